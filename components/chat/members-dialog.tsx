"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useDirectory } from "@/lib/client/use-directory";
import type { MemberItem, WireChannel } from "@/lib/contracts/chat";
import { CHANNEL_TYPE } from "@/lib/contracts/enums";
import type { Me } from "./types";
import { membersKey, useMembers } from "./use-members";

type Act = (run: () => Promise<unknown>, opts?: { onSuccess?: () => void }) => void;

/**
 * The people of a conversation and what the viewer may do with them. Every
 * action shown comes from the server's answer (`can_rename`,
 * `can_add_members`, each member's `can_remove` and `can_change_role`), which
 * the mutating routes' own rules compute: the browser holds no copy of them.
 */
export function MembersDialog({ channel, me, onClose, onLeft }: { channel: WireChannel; me: Me; onClose: () => void; onLeft: () => void }) {
  const client = useQueryClient();
  const members = useMembers(channel.channel_id);
  const param = { channel_id: channel.channel_id };
  const member = api.channels[":channel_id"].members[":uid"];
  const act = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: membersKey(channel.channel_id) });
      await client.invalidateQueries({ queryKey: queryKeys.channels });
    },
  });
  const leave = useMutation({
    mutationFn: () => call(member.$delete({ param: { ...param, uid: me.uid } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.channels });
      onClose();
      onLeft();
    },
  });
  const run: Act = (fn, opts) => act.mutate(fn, opts);
  const mine = members.data?.members.find((m) => m.uid === me.uid);
  const isGroup = channel.channel_type === CHANNEL_TYPE.group;

  return (
    <Modal title={isGroup ? `Members of ${channel.name}` : "Conversation"} onClose={onClose}>
      {members.data?.can_rename && <RenameForm channel={channel} busy={act.isPending} act={run} />}
      {members.isPending && <p className="text-sm text-slate-600">Loading members…</p>}
      <ErrorText error={members.error} prefix="Could not load members" className="" />
      <ul className="max-h-64 divide-y divide-slate-200 overflow-y-auto" aria-label="Members">
        {members.data?.members.map((m) => (
          <MemberRow key={m.uid} member={m} me={me} channelId={channel.channel_id} busy={act.isPending} act={run} />
        ))}
      </ul>
      {members.data?.can_add_members && (
        <AddMemberForm channelId={channel.channel_id} members={members.data.members} busy={act.isPending} act={run} />
      )}
      <ErrorText error={act.error ?? leave.error} />
      <div className="mt-4 flex justify-between gap-2">
        {mine?.can_remove ? (
          <Button variant="danger" disabled={leave.isPending} onClick={() => leave.mutate()}>
            Leave group
          </Button>
        ) : (
          <span />
        )}
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}

function RenameForm({ channel, busy, act }: { channel: WireChannel; busy: boolean; act: Act }) {
  const [name, setName] = useState(channel.name);
  return (
    <form
      className="mb-3 flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        act(() => call(api.channels[":channel_id"].$patch({ param: { channel_id: channel.channel_id }, json: { name } })));
      }}
    >
      <label className="flex-1 text-sm">
        <span className="font-medium">Group name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          required
          className="mt-1 w-full rounded-lg border border-slate-400 bg-surface px-3 py-1.5"
        />
      </label>
      <Button type="submit" disabled={busy || name.trim() === "" || name.trim() === channel.name}>
        Rename
      </Button>
    </form>
  );
}

function MemberRow({ member: m, me, channelId, busy, act }: { member: MemberItem; me: Me; channelId: string; busy: boolean; act: Act }) {
  const endpoint = api.channels[":channel_id"].members[":uid"];
  const param = { channel_id: channelId, uid: m.uid };
  return (
    <li data-testid="member" data-uid={m.uid} className="flex items-center gap-2 py-2 text-sm">
      <span className="min-w-0 flex-1 truncate">
        {m.name} <span className="text-slate-600">{m.uid === me.uid ? "(you)" : m.uid}</span>
      </span>
      {m.role !== "member" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{m.role}</span>}
      {m.can_change_role && (
        <Button
          disabled={busy}
          onClick={() => act(() => call(endpoint.$patch({ param, json: { role: m.role === "admin" ? "member" : "admin" } })))}
        >
          {m.role === "admin" ? `Demote ${m.name}` : `Make ${m.name} admin`}
        </Button>
      )}
      {/* One's own removal is leaving: the "Leave group" button below. */}
      {m.can_remove && m.uid !== me.uid && (
        <Button variant="danger" disabled={busy} onClick={() => act(() => call(endpoint.$delete({ param })))}>
          Remove {m.name}
        </Button>
      )}
    </li>
  );
}

function AddMemberForm({ channelId, members, busy, act }: { channelId: string; members: MemberItem[]; busy: boolean; act: Act }) {
  const directory = useDirectory();
  const [adding, setAdding] = useState("");
  const candidates = (directory.data ?? []).filter((u) => !members.some((m) => m.uid === u.uid));
  return (
    <form
      className="mt-3 flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!adding) return;
        act(() => call(api.channels[":channel_id"].members.$post({ param: { channel_id: channelId }, json: { uids: [adding] } })), {
          onSuccess: () => setAdding(""),
        });
      }}
    >
      <label className="flex-1 text-sm">
        <span className="font-medium">Add someone</span>
        <select
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          className="mt-1 w-full rounded-lg border border-slate-400 bg-surface px-2 py-1.5"
        >
          <option value="">Choose a person…</option>
          {candidates.map((u) => (
            <option key={u.uid} value={u.uid}>
              {u.name} ({u.uid})
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="primary" disabled={!adding || busy}>
        Add
      </Button>
    </form>
  );
}
