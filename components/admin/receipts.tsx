"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import type { ReceiptsChannelDetail, ReceiptsChannelStat } from "@/lib/contracts/admin";
import { type Column, DataTable, type Page, when } from "./data-table";
import { PageHeader, pct, Stat, secs } from "./ui";
import { useAdminList } from "./use-admin-list";

const columns: Column<ReceiptsChannelStat>[] = [
  { key: "channel", label: "Channel", render: (r) => `${r.name} (${r.channel_id})`, sort: (r) => r.name },
  { key: "members", label: "Members", render: (r) => r.members, sort: (r) => r.members },
  { key: "messages", label: "Messages", render: (r) => r.messages, sort: (r) => r.messages },
  {
    key: "rate",
    label: "Read rate (latest 200)",
    render: (r) => (r.receipts ? pct(r.read_rate) : "receipts off"),
    sort: (r) => r.read_rate ?? -1,
  },
];

export function ReceiptStats() {
  const list = useAdminList<ReceiptsChannelStat>(
    "receipts",
    {},
    (query) => call(api.admin.receipts.stats.$get({ query })) as Promise<Page<ReceiptsChannelStat>>,
  );
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div>
      <PageHeader title="Receipts" />
      <DataTable
        query={list}
        columns={columns}
        rowKey={(r) => r.channel_id}
        empty="No channels yet."
        onOpen={(r) => setOpen(r.channel_id)}
        testId="receipts-table"
      />
      {open && <ChannelStats channelId={open} />}
    </div>
  );
}

function ChannelStats({ channelId }: { channelId: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ["admin", "receipts", channelId],
    queryFn: () => call(api.admin.receipts.stats.$get({ query: { channel_id: channelId } })) as Promise<ReceiptsChannelDetail>,
  });
  if (q.isPending) return <p className="mt-6 text-sm text-slate-600">Loading {channelId}…</p>;
  if (q.isError)
    return (
      <p role="alert" className="mt-6 text-sm text-red-600">
        {q.error.message}
      </p>
    );
  const d = q.data;
  return (
    <section className="mt-6" aria-label={`Receipts of ${d.name}`}>
      <h2 className="mb-3 font-medium">{d.name}</h2>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Read rate" value={pct(d.read_rate)} hint="latest 200 messages" />
        <Stat label="Median time to read" value={secs(d.time_to_read.median_seconds)} hint={`${d.time_to_read.pairs} reads, 30 days`} />
        <Stat label="p90 time to read" value={secs(d.time_to_read.p90_seconds)} />
        <Stat label="Messages" value={d.messages} />
      </div>
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <div className="h-56 rounded-lg bg-surface p-3 ring-1 ring-slate-200">
          <h3 className="text-sm font-medium">Time to read</h3>
          <ResponsiveContainer width="100%" height="90%">
            <BarChart data={d.time_to_read.distribution}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="bucket" fontSize={11} />
              <YAxis fontSize={11} allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="count" fill="#6366f1" name="Reads" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <div className="rounded-lg bg-surface p-3 ring-1 ring-slate-200">
          <h3 className="text-sm font-medium">Most unread</h3>
          <ul className="mt-1 text-sm">
            {d.most_unread.map((m) => (
              <li key={m.uid} className="flex justify-between">
                <span>{m.name}</span>
                <span className="text-slate-600">{m.unread}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <h3 className="mt-4 text-sm font-medium">Recent messages</h3>
      <ul className="mt-1 divide-y divide-slate-100 rounded-lg bg-surface text-sm ring-1 ring-slate-200">
        {d.recent_messages.map((m) => (
          <li key={m.message_id}>
            <button
              type="button"
              className="flex w-full gap-3 px-3 py-1.5 text-left hover:bg-slate-50"
              onClick={() => setMessage(m.message_id)}
            >
              <span className="w-14 text-slate-600">#{m.message_seq}</span>
              <span className="w-24">{m.from_uid}</span>
              <span className="flex-1 text-slate-600">{when(m.sent_at)}</span>
              <span>
                read {m.read_count} · unread {m.unread_count}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {message && <MessageReceipts messageId={message} onClose={() => setMessage(null)} />}
    </section>
  );
}

function MessageReceipts({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const q = useQuery({
    queryKey: ["admin", "receipts", "message", messageId],
    queryFn: () => call(api.messages[":message_id"].receipts.$get({ param: { message_id: messageId } })),
  });
  return (
    <Modal title={`Receipts of ${messageId}`} onClose={onClose}>
      {q.isPending && <p className="text-sm text-slate-600">Loading…</p>}
      {q.isError && (
        <p role="alert" className="text-sm text-red-600">
          {q.error.message}
        </p>
      )}
      {q.data && (
        <div className="grid grid-cols-2 gap-4 text-sm">
          <div>
            <h3 className="font-medium">Read ({q.data.read.length})</h3>
            <ul>
              {q.data.read.map((r) => (
                <li key={r.uid}>
                  {r.name} <span className="text-slate-600">{when(r.read_at)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h3 className="font-medium">Unread ({q.data.unread.length})</h3>
            <ul>
              {q.data.unread.map((r) => (
                <li key={r.uid}>{r.name}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}
