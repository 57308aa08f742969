"use client";

import { api, call } from "@/lib/client/api";
import type { PresenceItem } from "@/lib/contracts/admin";
import { type Column, DataTable, when } from "./data-table";
import { PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

const columns: Column<PresenceItem>[] = [
  { key: "uid", label: "User", render: (r) => r.uid, sort: (r) => r.uid },
  { key: "device", label: "Device", render: (r) => r.device, sort: (r) => r.device_flag },
  {
    key: "online",
    label: "Online",
    render: (r) => (r.online ? <span className="text-emerald-700">online</span> : "offline"),
    sort: (r) => (r.online ? 1 : 0),
  },
  { key: "count", label: "Devices of this kind", render: (r) => r.device_online_count ?? "—" },
  { key: "total", label: "All devices", render: (r) => r.total_online_count ?? "—", sort: (r) => r.total_online_count ?? 0 },
  { key: "at", label: "Updated", render: (r) => when(r.updated_at), sort: (r) => r.updated_at },
];

export function Presence() {
  const list = useAdminList<PresenceItem>("presence", {}, () => call(api.admin.presence.$get()));
  return (
    <div>
      <PageHeader title="Presence" />
      <DataTable
        query={list}
        columns={columns}
        rowKey={(r) => `${r.uid}/${r.device_flag}`}
        empty="No status from WuKongIM yet (user.onlinestatus)."
      />
    </div>
  );
}
