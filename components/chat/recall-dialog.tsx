"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import { applyRevoke, type ChatMessage, type MessagePage, queryKeys } from "@/lib/client/message-cache";
import { previewText } from "./preview-text";

/** Confirms a recall, showing the message it is about, with an optional reason (kept in the audit log). */
export function RecallDialog({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  const client = useQueryClient();
  const [reason, setReason] = useState("");
  const recall = useMutation({
    mutationFn: () =>
      call(
        api.messages[":message_id"].revoke.$post({
          param: { message_id: message.message_id },
          json: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: (record) => {
      client.setQueryData<MessagePage>(queryKeys.messages(message.channel_id), (p) => (p ? applyRevoke(p, record) : p));
      onClose();
    },
  });
  return (
    <Modal title="Recall this message?" onClose={onClose}>
      <blockquote
        data-testid="recall-preview"
        className="rounded-lg bg-slate-100 px-3 py-2 text-sm break-words whitespace-pre-wrap text-slate-800"
      >
        {previewText(message)}
      </blockquote>
      <p className="mt-2 text-sm text-slate-600">
        Everyone in the conversation will see that a message was recalled instead of its content.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          recall.mutate();
        }}
      >
        <label className="mt-3 block text-sm">
          <span className="font-medium">Reason (optional, for the audit log)</span>
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            className="mt-1 w-full rounded-lg border border-slate-400 bg-surface px-3 py-1.5"
          />
        </label>
        <ErrorText error={recall.error} className="mt-2" />
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          {/* Named apart from the message's own "Recall" button, so an exact locator finds only one. */}
          <Button type="submit" variant="danger" disabled={recall.isPending} autoFocus>
            Confirm recall
          </Button>
        </div>
      </form>
    </Modal>
  );
}
