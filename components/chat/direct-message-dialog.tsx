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

/** Starts (or reopens) a one-to-one conversation — WuKongIM's person channel. */
export function DirectMessageDialog({ me, onClose, onOpened }: { me: Me; onClose: () => void; onOpened: (channelId: string) => void }) {
  const client = useQueryClient();
  const users = useDirectory();
  const [filter, setFilter] = useState("");
  const open = useMutation({
    mutationFn: (uid: string) => call(api.channels.direct.$post({ json: { uid } })),
    onSuccess: async ({ channel_id }) => {
      await client.invalidateQueries({ queryKey: queryKeys.channels });
      onOpened(channel_id);
      onClose();
    },
  });
  const needle = filter.trim().toLowerCase();
  const people = (users.data ?? []).filter((u) => u.uid !== me.uid && (!needle || `${u.name} ${u.uid}`.toLowerCase().includes(needle)));
  return (
    <Modal title="New message" onClose={onClose}>
      <label className="block text-sm">
        <span className="font-medium">To</span>
        <input
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Search people"
          className="mt-1 w-full rounded-lg border border-slate-400 bg-surface px-3 py-2"
        />
      </label>
      {users.isPending && <p className="mt-2 text-sm text-slate-600">Loading people…</p>}
      <ErrorText error={users.error} prefix="Could not load people" />
      {users.isSuccess && people.length === 0 && <p className="mt-2 text-sm text-slate-600">Nobody matches “{filter}”.</p>}
      <ul className="mt-2 max-h-60 space-y-1 overflow-y-auto" aria-label="People">
        {people.map((u) => (
          <li key={u.uid}>
            <button
              type="button"
              disabled={open.isPending}
              onClick={() => open.mutate(u.uid)}
              className="flex min-h-10 w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm hover:bg-slate-100"
            >
              <span className="font-medium">{u.name}</span> <span className="text-slate-600">{u.uid}</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorText error={open.error} className="mt-2" />
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Modal>
  );
}
