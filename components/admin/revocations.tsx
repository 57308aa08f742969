"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { useQueryFilters } from "@/lib/client/use-query-param";
import type { RevocationItem } from "@/lib/contracts/admin";
import { type Column, DataTable, when } from "./data-table";
import { Field, inputClass, PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

const columns: Column<RevocationItem>[] = [
  { key: "message", label: "Message", render: (r) => <code className="text-xs">{r.message_id}</code> },
  { key: "channel", label: "Channel", render: (r) => r.channel_id, sort: (r) => r.channel_id },
  { key: "sender", label: "Sender", render: (r) => r.sender_uid, sort: (r) => r.sender_uid },
  { key: "revoker", label: "Revoked by", render: (r) => r.revoked_by, sort: (r) => r.revoked_by },
  { key: "rule", label: "Rule", render: (r) => r.rule, sort: (r) => r.rule },
  { key: "reason", label: "Reason", render: (r) => r.reason ?? "—" },
  { key: "sent", label: "Sent at", render: (r) => when(r.sent_at), sort: (r) => r.sent_at },
  { key: "revoked", label: "Revoked at", render: (r) => when(r.revoked_at), sort: (r) => r.revoked_at },
  { key: "gap", label: "Seconds between", render: (r) => r.seconds_between, sort: (r) => r.seconds_between },
];

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

const NO_FILTERS = { channel_id: "", sender_uid: "", revoked_by: "", rule: "", from: "", to: "" };

export function Revocations({ initial = {} }: { initial?: Record<string, string | string[] | undefined> }) {
  // Applied filters live in the query string (reload, bookmark, share); the form edits a copy.
  const [filters, setFilters] = useQueryFilters(NO_FILTERS, initial);
  const [form, setForm] = useState(filters);
  const [open, setOpen] = useState<RevocationItem | null>(null);
  const params = {
    channel_id: filters.channel_id || undefined,
    sender_uid: filters.sender_uid || undefined,
    revoked_by: filters.revoked_by || undefined,
    rule: filters.rule || undefined,
    from: toIso(filters.from),
    to: toIso(filters.to),
  };
  const list = useAdminList<RevocationItem>("revocations", params, (query) => call(api.admin.revocations.$get({ query })));
  const exportHref = `/api/admin/revocations/export?${new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][])}`;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <div>
      <PageHeader title="Revocations">
        <a href={exportHref} download className="rounded-md bg-surface px-3 py-1.5 text-sm ring-1 ring-slate-300 hover:bg-slate-50">
          Export CSV
        </a>
      </PageHeader>
      <form
        className="mb-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(form);
        }}
      >
        <Field label="Filter by channel">
          <input className={inputClass} value={form.channel_id} onChange={set("channel_id")} />
        </Field>
        <Field label="Filter by sender">
          <input className={inputClass} value={form.sender_uid} onChange={set("sender_uid")} />
        </Field>
        <Field label="Filter by revoker">
          <input className={inputClass} value={form.revoked_by} onChange={set("revoked_by")} />
        </Field>
        <Field label="Filter by rule">
          <select className={inputClass} value={form.rule} onChange={set("rule")}>
            <option value="">any</option>
            <option value="sender">sender</option>
            <option value="channel_owner">channel_owner</option>
            <option value="channel_admin">channel_admin</option>
            <option value="system_admin">system_admin</option>
          </select>
        </Field>
        <Field label="Revoked from">
          <input type="datetime-local" className={inputClass} value={form.from} onChange={set("from")} />
        </Field>
        <Field label="Revoked before">
          <input type="datetime-local" className={inputClass} value={form.to} onChange={set("to")} />
        </Field>
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
      </form>
      <DataTable
        query={list}
        columns={columns}
        rowKey={(r) => r.message_id}
        empty="No revocations match."
        onOpen={setOpen}
        testId="revocations-table"
      />
      {open && <RevocationDetailDialog item={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

function RevocationDetailDialog({ item, onClose }: { item: RevocationItem; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ["admin", "revocations", "detail", item.message_id],
    queryFn: () => call(api.admin.revocations[":message_id"].$get({ param: { message_id: item.message_id } })),
  });
  return (
    <Modal title={`Revoked message ${item.message_id}`} onClose={onClose}>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">Channel</dt>
        <dd>{item.channel_id}</dd>
        <dt className="text-slate-600">Sender</dt>
        <dd>{item.sender_uid}</dd>
        <dt className="text-slate-600">Revoked by</dt>
        <dd>
          {item.revoked_by} ({item.rule})
        </dd>
        <dt className="text-slate-600">Reason</dt>
        <dd>{item.reason ?? "—"}</dd>
      </dl>
      <h3 className="mt-3 text-sm font-medium">Original content (admins only)</h3>
      {detail.isPending && <p className="text-sm text-slate-600">Loading…</p>}
      <ErrorText error={detail.error} className="" />
      {detail.data && <OriginalContent payload={detail.data.original_payload} />}
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}

/** The recalled content as a person reads it: text as text, other types with their fields. */
function OriginalContent({ payload }: { payload: unknown }) {
  if (payload === null)
    return (
      <p className="mt-1 text-sm text-slate-700" data-testid="original-content">
        Erased at revoke time (REVOKE_RETAIN_CONTENT=false).
      </p>
    );
  const p = payload as { type?: unknown; content?: unknown };
  if (p.type === 1 && typeof p.content === "string") {
    return (
      <blockquote
        data-testid="original-content"
        className="mt-1 max-h-60 overflow-auto rounded-lg bg-slate-100 px-3 py-2 text-sm break-words whitespace-pre-wrap text-slate-900"
      >
        {p.content}
      </blockquote>
    );
  }
  return (
    <div data-testid="original-content" className="mt-1">
      <p className="text-sm text-slate-700">Message type {String(p.type ?? "?")}:</p>
      <pre className="mt-1 max-h-60 overflow-auto rounded bg-slate-100 p-2 text-xs whitespace-pre-wrap">
        {JSON.stringify(payload, null, 2)}
      </pre>
    </div>
  );
}
