"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useDirectory } from "@/lib/client/use-directory";
import type { MemberItem, WireChannel } from "@/lib/contracts/chat";
import { CHANNEL_TYPE, type ChannelRole } from "@/lib/contracts/enums";
import type { Me } from "./types";

export const membersKey = (channelId: string) => ["members", channelId] as const;

/**
 * The people of a group and what the viewer may do with them — the server's
 * rules, mirrored: owners and admins add and remove members, only the owner
 * removes admins and promotes or demotes, nobody removes the owner, and
 * anyone but the owner may leave.
 */
export function MembersDialog({ channel, me, onClose, onLeft }: { channel: WireChannel; me: Me; onClose: () => void; onLeft: () => void }) {
  const client = useQueryClient();
  const ch = api.channels[":channel_id"];
  const param = { channel_id: channel.channel_id };
  const members = useQuery({
    queryKey: membersKey(channel.channel_id),
    queryFn: () => call(ch.members.$get({ param })).then((r) => r.members),
  });
  const directory = useDirectory();
  const [name, setName] = useState(channel.name);
  const [adding, setAdding] = useState("");
  const isGroup = channel.channel_type === CHANNEL_TYPE.group;
  const myRole: ChannelRole | undefined = members.data?.find((m) => m.uid === me.uid)?.role;
  const isOwner = myRole === "owner" || me.role === "admin";
  const manages = myRole === "owner" || myRole === "admin" || me.role === "admin";

  const refresh = async () => {
    await client.invalidateQueries({ queryKey: membersKey(channel.channel_id) });
    await client.invalidateQueries({ queryKey: queryKeys.channels });
  };
  const act = useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: () => call(ch.members[":uid"].$delete({ param: { ...param, uid: me.uid } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.channels });
      onClose();
      onLeft();
    },
  });
  const mayRemove = (m: MemberItem) => m.uid !== me.uid && m.role !== "owner" && (m.role === "admin" ? isOwner : manages);
  const candidates = (directory.data ?? []).filter((u) => !members.data?.some((m) => m.uid === u.uid));
  const error = act.error ?? leave.error;

  return (
    <Modal title={isGroup ? `Members of ${channel.name}` : "Conversation"} onClose={onClose}>
      {isGroup && manages && (
        <form
          className="mb-3 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate(() => call(ch.$patch({ param, json: { name } })));
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
          <Button type="submit" disabled={act.isPending || name.trim() === "" || name.trim() === channel.name}>
            Rename
          </Button>
        </form>
      )}
      {members.isPending && <p className="text-sm text-slate-600">Loading members…</p>}
      <ErrorText error={members.error} prefix="Could not load members" className="" />
      <ul className="max-h-64 divide-y divide-slate-200 overflow-y-auto" aria-label="Members">
        {members.data?.map((m) => (
          <li key={m.uid} data-testid="member" data-uid={m.uid} className="flex items-center gap-2 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate">
              {m.name} <span className="text-slate-600">{m.uid === me.uid ? "(you)" : m.uid}</span>
            </span>
            {m.role !== "member" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{m.role}</span>}
            {isGroup && isOwner && m.role !== "owner" && (
              <Button
                disabled={act.isPending}
                onClick={() =>
                  act.mutate(() =>
                    call(
                      ch.members[":uid"].$patch({
                        param: { ...param, uid: m.uid },
                        json: { role: m.role === "admin" ? "member" : "admin" },
                      }),
                    ),
                  )
                }
              >
                {m.role === "admin" ? `Demote ${m.name}` : `Make ${m.name} admin`}
              </Button>
            )}
            {isGroup && mayRemove(m) && (
              <Button
                variant="danger"
                disabled={act.isPending}
                onClick={() => act.mutate(() => call(ch.members[":uid"].$delete({ param: { ...param, uid: m.uid } })))}
              >
                Remove {m.name}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {isGroup && manages && (
        <form
          className="mt-3 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (adding) act.mutate(() => call(ch.members.$post({ param, json: { uids: [adding] } })), { onSuccess: () => setAdding("") });
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
          <Button type="submit" variant="primary" disabled={!adding || act.isPending}>
            Add
          </Button>
        </form>
      )}
      <ErrorText error={error} />
      <div className="mt-4 flex justify-between gap-2">
        {isGroup && myRole && myRole !== "owner" ? (
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
