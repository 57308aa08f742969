"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Modal } from "@/components/ui/modal";
import type { RevokeRecord } from "@/lib/chat/wire";
import { api } from "@/lib/client/api";
import { applyRevoke, type ChatMessage, type MessagePage, queryKeys } from "@/lib/client/message-cache";

export function RecallDialog({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  const client = useQueryClient();
  const recall = useMutation({
    mutationFn: () => api<RevokeRecord>(`/api/messages/${message.message_id}/revoke`, { body: {} }),
    onSuccess: (record) => {
      client.setQueryData<MessagePage>(queryKeys.messages(message.channel_id), (p) =>
        p ? applyRevoke(p, record) : p,
      );
      onClose();
    },
  });
  return (
    <Modal title="Recall this message?" onClose={onClose}>
      <p className="text-sm text-slate-600">Everyone in the conversation will see that a message was recalled instead of its content.</p>
      {recall.isError && (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {recall.error.message}
        </p>
      )}
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="danger" disabled={recall.isPending} onClick={() => recall.mutate()} autoFocus>
          Recall
        </Button>
      </div>
    </Modal>
  );
}
