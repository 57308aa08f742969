"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { useQueryParam } from "@/lib/client/use-query-param";
import type { UserItem } from "@/lib/contracts/admin";
import type { SystemRole } from "@/lib/contracts/enums";
import { type Column, DataTable, when } from "./data-table";
import { Field, inputClass, PageHeader } from "./ui";
import { useAdminList } from "./use-admin-list";

export function Users({ meUid, initialSearch }: { meUid: string; initialSearch?: string }) {
  const client = useQueryClient();
  const [search, setSearch] = useQueryParam("q", initialSearch);
  const list = useAdminList<UserItem>("users", { q: search || undefined }, (query) => call(api.admin.users.$get({ query })));
  const [confirming, setConfirming] = useState<UserItem | null>(null);
  const [form, setForm] = useState({ uid: "", name: "", password: "", role: "user" });
  const create = useMutation({
    mutationFn: () => call(api.admin.users.$post({ json: { ...form, role: form.role as SystemRole } })),
    onSuccess: () => {
      setForm({ uid: "", name: "", password: "", role: "user" });
      void client.invalidateQueries({ queryKey: ["admin", "users"] });
    },
  });
  const toggle = useMutation({
    mutationFn: (u: UserItem) => call(api.admin.users[":uid"].$patch({ param: { uid: u.uid }, json: { disabled: !u.disabled } })),
    onSuccess: () => {
      setConfirming(null);
      return client.invalidateQueries({ queryKey: ["admin", "users"] });
    },
  });
  const columns: Column<UserItem>[] = [
    { key: "uid", label: "Uid", render: (r) => r.uid, sort: (r) => r.uid },
    { key: "name", label: "Name", render: (r) => r.name, sort: (r) => r.name },
    { key: "role", label: "Role", render: (r) => r.role, sort: (r) => r.role },
    {
      key: "state",
      label: "State",
      render: (r) => (r.disabled ? <span className="text-red-600">disabled</span> : r.can_sign_in ? "active" : "IM user (no sign-in)"),
    },
    { key: "created", label: "Created", render: (r) => when(r.created_at), sort: (r) => r.created_at },
    {
      key: "action",
      label: "",
      render: (r) =>
        r.uid === meUid ? (
          <span className="text-xs text-slate-600">you</span>
        ) : (
          // Enabling is harmless; disabling ends the person's sessions, so it asks first.
          <Button
            onClick={() => (r.disabled ? toggle.mutate(r) : setConfirming(r))}
            disabled={toggle.isPending}
            aria-label={`${r.disabled ? "Enable" : "Disable"} ${r.uid}`}
          >
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
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg bg-surface p-3 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        aria-label="Create user"
      >
        <Field label="New user's uid">
          <input className={inputClass} value={form.uid} onChange={set("uid")} required />
        </Field>
        <Field label="New user's name">
          <input className={inputClass} value={form.name} onChange={set("name")} required />
        </Field>
        <Field label="New user's password">
          <input type="password" className={inputClass} value={form.password} onChange={set("password")} required minLength={8} />
        </Field>
        <Field label="New user's role">
          <select className={inputClass} value={form.role} onChange={set("role")}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create user
        </Button>
        {create.isError && (
          <p role="alert" className="text-sm text-red-600">
            {create.error.message}
          </p>
        )}
      </form>
      <div className="mb-3">
        <Field label="Search users">
          <input
            type="search"
            className={inputClass}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="uid or name"
          />
        </Field>
      </div>
      {toggle.isError && (
        <p role="alert" className="mb-2 text-sm text-red-600">
          {toggle.error.message}
        </p>
      )}
      {confirming && (
        <Modal title={`Disable ${confirming.name} (${confirming.uid})?`} onClose={() => setConfirming(null)}>
          <p className="text-sm text-slate-700">
            They are signed out everywhere at once and cannot sign in until enabled again. Their messages stay.
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <Button onClick={() => setConfirming(null)}>Cancel</Button>
            <Button variant="danger" disabled={toggle.isPending} onClick={() => toggle.mutate(confirming)}>
              Disable {confirming.uid}
            </Button>
          </div>
        </Modal>
      )}
      <DataTable query={list} columns={columns} rowKey={(r) => r.uid} empty="No users." testId="users-table" />
    </div>
  );
}
