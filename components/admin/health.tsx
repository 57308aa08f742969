"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { api, call } from "@/lib/client/api";
import { when } from "./data-table";
import { PageHeader } from "./ui";

export function Health() {
  const q = useQuery({
    queryKey: ["admin", "webhooks", "health-detail"],
    queryFn: () => call(api.admin.health.$get()),
    refetchInterval: 10_000,
  });
  if (q.isPending) return <p className="text-sm text-slate-600">Checking…</p>;
  if (q.isError)
    return (
      <p role="alert" className="text-red-600">
        {q.error.message}
      </p>
    );
  const h = q.data;
  return (
    <div className="space-y-4">
      <PageHeader title="Health" />
      <section
        role="status"
        className={`rounded-lg p-4 ${h.problems.length ? "bg-amber-50 ring-1 ring-amber-300" : "bg-emerald-50 ring-1 ring-emerald-300"}`}
      >
        <h2 className="font-medium">{h.problems.length ? "Needs attention" : "Everything is working"}</h2>
        <ul className="mt-1 list-disc pl-5 text-sm">
          {h.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
      <section className="rounded-lg bg-surface p-4 ring-1 ring-slate-200">
        <h2 className="font-medium">Database</h2>
        <p className="text-sm">
          {h.database.mode === "embedded" ? "Embedded PostgreSQL" : "External PostgreSQL"} {h.database.version} · migrations{" "}
          {h.database.migrations_applied}/{h.database.migrations_expected}{" "}
          {h.database.migrations_applied === h.database.migrations_expected ? "(current)" : "(behind!)"}
        </p>
      </section>
      <section className="rounded-lg bg-surface p-4 ring-1 ring-slate-200">
        <h2 className="font-medium">WuKongIM webhook</h2>
        <p className="text-sm text-slate-600">
          Paste into WuKongIM's configuration (the secret is the only authentication — keep it private):
        </p>
        <div className="mt-1 flex items-start gap-2">
          <pre className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs" data-testid="webhook-config">
            {h.webhook.wukongim_config}
          </pre>
          <CopyButton text={h.webhook.url} label="Copy webhook address" />
        </div>
        <ul className="mt-2 text-sm">
          {h.webhook.last_delivery.length === 0 && <li>No delivery received yet.</li>}
          {h.webhook.last_delivery.map((d) => (
            <li key={d.event}>
              Last {d.event}: {when(d.at)} ({d.status})
            </li>
          ))}
        </ul>
      </section>
      <section className="rounded-lg bg-surface p-4 ring-1 ring-slate-200">
        <h2 className="font-medium">Gateway and outbox</h2>
        <p className="text-sm">
          {h.gateway.mode === "wukongim"
            ? `WuKongIM at ${h.gateway.url}: ${h.gateway.reachable ? "reachable" : `unreachable (${h.gateway.error})`}`
            : "Built-in delivery (no WuKongIM configured)."}
        </p>
        <p className="text-sm">
          Outbox: {h.outbox.pending} pending{h.outbox.oldest_pending_at ? `, oldest since ${when(h.outbox.oldest_pending_at)}` : ""}.
          Sockets connected here: {h.realtime.sockets}.
        </p>
      </section>
    </div>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <Button
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        )
      }
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed — select the text" : "Copy"}</span>
    </Button>
  );
}
