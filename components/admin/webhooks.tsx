"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import type { WebhookEventItem } from "@/lib/contracts/admin";
import { indentJsonText } from "@/lib/util/json-indent";
import { type Column, DataTable, when } from "./data-table";
import { Field, inputClass, PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

const statusColor: Record<string, string> = { accepted: "text-emerald-700", duplicate: "text-slate-600", rejected: "text-red-600" };

const columns: Column<WebhookEventItem>[] = [
  { key: "id", label: "#", render: (r) => r.id, sort: (r) => Number(r.id) },
  { key: "event", label: "Event", render: (r) => r.event, sort: (r) => r.event },
  { key: "status", label: "Status", render: (r) => <span className={statusColor[r.status]}>{r.status}</span>, sort: (r) => r.status },
  { key: "received", label: "Received", render: (r) => when(r.received_at), sort: (r) => r.received_at },
  { key: "items", label: "Items (ok/dup/bad)", render: (r) => `${r.items_accepted}/${r.items_duplicate}/${r.items_rejected}` },
  { key: "kinds", label: "Chat / CMD", render: (r) => `${r.chat_count} / ${r.cmd_count}` },
  { key: "error", label: "Error", render: (r) => <span className="block max-w-xs truncate text-red-600">{r.error ?? ""}</span> },
];

export function Webhooks() {
  const [event, setEvent] = useState("");
  const [status, setStatus] = useState("");
  const [open, setOpen] = useState<WebhookEventItem | null>(null);
  const list = useAdminList<WebhookEventItem>("webhooks", { event: event || undefined, status: status || undefined }, (query) =>
    call(api.admin.webhooks.events.$get({ query })),
  );
  const stats = useQuery({
    queryKey: ["admin", "webhooks", "stats"],
    queryFn: () => call(api.admin.webhooks.stats.$get()),
  });
  const chart = Object.values(
    (stats.data?.by_hour ?? []).reduce<Record<string, Record<string, number | string>>>((acc, r) => {
      const h = `${new Date(r.hour).getHours()}:00`;
      acc[h] ??= { hour: h };
      acc[h][r.status] = ((acc[h][r.status] as number) ?? 0) + r.count;
      return acc;
    }, {}),
  );
  return (
    <div>
      <PageHeader title="Webhook deliveries" />
      <div className="mb-4 h-48 rounded-lg bg-surface p-3 ring-1 ring-slate-200">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={chart}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="hour" fontSize={11} />
            <YAxis fontSize={11} allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="accepted" stackId="s" fill="#10b981" />
            <Bar dataKey="duplicate" stackId="s" fill="#94a3b8" />
            <Bar dataKey="rejected" stackId="s" fill="#ef4444" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="mb-3 flex gap-3">
        <Field label="Event">
          <select className={inputClass} value={event} onChange={(e) => setEvent(e.target.value)}>
            <option value="">any</option>
            <option>msg.notify</option>
            <option>msg.offline</option>
            <option>user.onlinestatus</option>
          </select>
        </Field>
        <Field label="Status">
          <select className={inputClass} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            <option>accepted</option>
            <option>duplicate</option>
            <option>rejected</option>
          </select>
        </Field>
      </div>
      <DataTable
        query={list}
        columns={columns}
        rowKey={(r) => r.id}
        empty="No deliveries yet. Point WuKongIM's webhook at the URL on the Health page."
        onOpen={setOpen}
        testId="webhooks-table"
      />
      {open && <DeliveryDetail row={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function DeliveryDetail({ row, onClose }: { row: WebhookEventItem; onClose: () => void }) {
  const client = useQueryClient();
  const detail = useQuery({
    queryKey: ["admin", "webhooks", "detail", row.id],
    queryFn: () => call(api.admin.webhooks.events[":id"].$get({ param: { id: row.id } })),
  });
  const replay = useMutation({
    mutationFn: () => call(api.admin.webhooks.events[":id"].replay.$post({ param: { id: row.id } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "webhooks"] }),
  });
  // Indented as written: int64 ids keep every digit (no JSON.parse round trip).
  const pretty = indentJsonText(detail.data?.body ?? "");
  return (
    <Modal title={`Delivery #${row.id} — ${row.event}`} onClose={onClose}>
      {row.error && <pre className="mb-2 text-xs whitespace-pre-wrap text-red-600">{row.error}</pre>}
      <pre className="max-h-72 overflow-auto rounded bg-slate-100 p-2 text-xs" data-testid="raw-body">
        {detail.isPending ? "Loading…" : pretty}
      </pre>
      {detail.data?.body_truncated && (
        <p className="mt-1 text-xs text-amber-700">The body was too large to keep whole; it cannot be replayed.</p>
      )}
      {replay.data && (
        <p role="status" className="mt-2 text-sm">
          Replayed as #{replay.data.event_id}: {replay.data.status} ({replay.data.accepted} new, {replay.data.duplicate} duplicate)
        </p>
      )}
      {replay.isError && (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {replay.error.message}
        </p>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={() => replay.mutate()} disabled={replay.isPending || detail.data?.body_truncated}>
          Replay
        </Button>
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}
