"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/message-cache";
import { useDirectory } from "@/lib/client/use-directory";
import type { Me } from "./types";

export function CreateGroupDialog({ me, onClose, onCreated }: { me: Me; onClose: () => void; onCreated: (channelId: string) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [members, setMembers] = useState<string[]>([]);
  const users = useDirectory();
  const create = useMutation({
    mutationFn: () => call(api.channels.$post({ json: { name, members } })),
    onSuccess: async ({ channel_id }) => {
      await client.invalidateQueries({ queryKey: queryKeys.channels });
      onCreated(channel_id);
      onClose();
    },
  });
  return (
    <Modal title="New group" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        className="space-y-3"
      >
        <label className="block text-sm">
          <span className="font-medium">Group name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            className="mt-1 w-full rounded-lg border border-slate-400 bg-surface px-3 py-2"
          />
        </label>
        <fieldset className="text-sm">
          <legend className="font-medium">Members</legend>
          {users.isPending && <p className="text-slate-600">Loading people…</p>}
          <div className="mt-1 max-h-48 space-y-1 overflow-y-auto">
            {/* The creator is the owner already: not offered as a member. */}
            {users.data
              ?.filter((u) => u.uid !== me.uid)
              .map((u) => (
                <label key={u.uid} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={members.includes(u.uid)}
                    onChange={(e) => setMembers((m) => (e.target.checked ? [...m, u.uid] : m.filter((x) => x !== u.uid)))}
                  />
                  {u.name} <span className="text-slate-600">({u.uid})</span>
                </label>
              ))}
          </div>
        </fieldset>
        <ErrorText error={create.error} className="" />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={create.isPending || name.trim() === ""}>
            {create.isPending ? "Creating…" : "Create group"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
