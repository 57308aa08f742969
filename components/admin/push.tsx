"use client";

import { useState } from "react";
import { api, call } from "@/lib/client/api";
import type { PushItem } from "@/lib/contracts/admin";
import { type Column, DataTable, when } from "./data-table";
import { Field, inputClass, PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

const label: Record<string, string> = { push: "push", no_push_cmd: "no push (CMD)", suppressed_revoked: "suppressed (recalled)" };

const columns: Column<PushItem>[] = [
  { key: "at", label: "At", render: (r) => when(r.created_at), sort: (r) => r.created_at },
  { key: "uid", label: "To", render: (r) => r.uid, sort: (r) => r.uid },
  { key: "message", label: "Message", render: (r) => <code className="text-xs">{r.message_id}</code> },
  { key: "channel", label: "Channel", render: (r) => r.channel_id, sort: (r) => r.channel_id },
  { key: "kind", label: "Kind", render: (r) => r.kind, sort: (r) => r.kind },
  { key: "decision", label: "Decision", render: (r) => label[r.decision] ?? r.decision, sort: (r) => r.decision },
  { key: "retracted", label: "Retracted", render: (r) => (r.retracted_at ? when(r.retracted_at) : "—") },
];

export function PushLog() {
  const [decision, setDecision] = useState("");
  const list = useAdminList<PushItem>("push", { decision: decision || undefined }, (query) => call(api.admin.push.$get({ query })));
  return (
    <div>
      <PageHeader title="Push log">
        <Field label="Decision">
          <select className={inputClass} value={decision} onChange={(e) => setDecision(e.target.value)}>
            <option value="">any</option>
            <option value="push">push</option>
            <option value="no_push_cmd">no push (CMD)</option>
            <option value="suppressed_revoked">suppressed (recalled)</option>
            <option value="retracted">retracted</option>
          </select>
        </Field>
      </PageHeader>
      <DataTable
        query={list}
        columns={columns}
        rowKey={(r) => `${r.message_id}/${r.uid}`}
        empty="No offline notifications yet (they come from WuKongIM's msg.offline)."
      />
    </div>
  );
}
