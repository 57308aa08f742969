"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, call } from "@/lib/client/api";
import { when } from "./data-table";
import { PageHeader, Stat } from "./ui";

export function OverviewPage() {
  const data = useQuery({ queryKey: ["admin", "overview"], queryFn: () => call(api.admin.overview.$get()) });
  const health = useQuery({ queryKey: ["admin", "webhooks", "health"], queryFn: () => call(api.admin.health.$get()) });
  const t = data.data?.totals;
  return (
    <div>
      <PageHeader title="Overview" />
      {data.isError && (
        <p role="alert" className="text-red-600">
          {data.error.message}
        </p>
      )}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="Messages" value={t?.messages ?? "…"} />
        <Stat label="Revokes" value={t?.revokes ?? "…"} />
        <Stat label="Channels" value={t?.channels ?? "…"} />
        <Stat label="Users" value={t?.users ?? "…"} />
        <Stat label="IM devices online" value={t?.online_devices ?? "…"} hint={`${health.data?.realtime.sockets ?? "…"} sockets here`} />
      </div>
      <section className="mt-6 rounded-lg bg-surface p-4 ring-1 ring-slate-200" aria-label="Activity over the last 24 hours">
        <h2 className="mb-2 font-medium">Last 24 hours</h2>
        <div className="h-64">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={(data.data?.activity ?? []).map((a) => ({ ...a, hour: `${new Date(a.hour).getHours()}:00` }))}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="hour" fontSize={11} />
              <YAxis fontSize={11} allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="messages" fill="#6366f1" name="Messages" />
              <Bar dataKey="reads" fill="#10b981" name="Read events" />
              <Bar dataKey="revokes" fill="#ef4444" name="Revokes" />
              <Bar dataKey="deliveries" fill="#f59e0b" name="Webhook deliveries" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>
      <div className="mt-6 grid gap-3 md:grid-cols-2">
        <section className="rounded-lg bg-surface p-4 ring-1 ring-slate-200">
          <h2 className="font-medium">Outbox</h2>
          <p className="mt-1 text-sm text-slate-600">
            {health.data
              ? `${health.data.outbox.pending} pending${health.data.outbox.oldest_pending_at ? `, oldest since ${when(health.data.outbox.oldest_pending_at)}` : ""}`
              : "…"}
          </p>
        </section>
        <section className="rounded-lg bg-surface p-4 ring-1 ring-slate-200">
          <h2 className="font-medium">Webhook last seen</h2>
          <ul className="mt-1 text-sm text-slate-600">
            {health.data?.webhook.last_delivery.length === 0 && <li>No delivery yet.</li>}
            {health.data?.webhook.last_delivery.map((d) => (
              <li key={d.event}>
                {d.event}: {when(d.at)} ({d.status})
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
