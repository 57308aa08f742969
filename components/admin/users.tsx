"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/modal";
import { api } from "@/lib/client/api";
import { type Column, DataTable, when } from "./data-table";
import { Field, inputClass, PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

interface UserRow {
  uid: string;
  name: string;
  role: string;
  disabled: boolean;
  created_at: string;
  can_sign_in: boolean;
}

export function Users() {
  const client = useQueryClient();
  const list = useAdminList<UserRow>("users", "/api/admin/users", {});
  const [form, setForm] = useState({ uid: "", name: "", password: "", role: "user" });
  const create = useMutation({
    mutationFn: () => api("/api/admin/users", { body: form }),
    onSuccess: () => {
      setForm({ uid: "", name: "", password: "", role: "user" });
      void client.invalidateQueries({ queryKey: ["admin", "users"] });
    },
  });
  const toggle = useMutation({
    mutationFn: (u: UserRow) => api(`/api/admin/users/${encodeURIComponent(u.uid)}`, { method: "PATCH", body: { disabled: !u.disabled } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["admin", "users"] }),
  });
  const columns: Column<UserRow>[] = [
    { key: "uid", label: "Uid", render: (r) => r.uid, sort: (r) => r.uid },
    { key: "name", label: "Name", render: (r) => r.name, sort: (r) => r.name },
    { key: "role", label: "Role", render: (r) => r.role, sort: (r) => r.role },
    { key: "state", label: "State", render: (r) => (r.disabled ? <span className="text-red-600">disabled</span> : r.can_sign_in ? "active" : "IM user (no sign-in)") },
    { key: "created", label: "Created", render: (r) => when(r.created_at), sort: (r) => r.created_at },
    {
      key: "action",
      label: "",
      render: (r) => (
        <Button onClick={() => toggle.mutate(r)} disabled={toggle.isPending} aria-label={`${r.disabled ? "Enable" : "Disable"} ${r.uid}`}>
          {r.disabled ? "Enable" : "Disable"}
        </Button>
      ),
    },
  ];
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <div>
      <PageHeader title="Users" />
      <form
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        aria-label="Create user"
      >
        <Field label="Uid">
          <input className={inputClass} value={form.uid} onChange={set("uid")} required />
        </Field>
        <Field label="Name">
          <input className={inputClass} value={form.name} onChange={set("name")} required />
        </Field>
        <Field label="Password">
          <input type="password" className={inputClass} value={form.password} onChange={set("password")} required minLength={8} />
        </Field>
        <Field label="Role">
          <select className={inputClass} value={form.role} onChange={set("role")}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create user
        </Button>
        {create.isError && <p role="alert" className="text-sm text-red-600">{create.error.message}</p>}
      </form>
      {toggle.isError && <p role="alert" className="mb-2 text-sm text-red-600">{toggle.error.message}</p>}
      <DataTable query={list} columns={columns} rowKey={(r) => r.uid} empty="No users." testId="users-table" />
    </div>
  );
}
