"use client";

import { useQuery } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/error-text";
import { Modal } from "@/components/ui/modal";
import { api, call } from "@/lib/client/api";
import type { ChatMessage } from "@/lib/client/message-cache";
import { receiptsWording } from "@/lib/client/receipts-wording";

export function ReceiptsDialog({ message, onClose }: { message: ChatMessage; onClose: () => void }) {
  // The live count is part of the key: the lists refresh when it changes.
  const receipts = useQuery({
    queryKey: ["receipts", message.message_id, message.read_count],
    queryFn: () => call(api.messages[":message_id"].receipts.$get({ param: { message_id: message.message_id } })),
  });
  const wording = receipts.data ? receiptsWording(receipts.data) : null;
  return (
    <Modal title="Read receipts" onClose={onClose}>
      {receipts.isPending && <p className="text-sm text-slate-600">Loading…</p>}
      <ErrorText error={receipts.error} className="" />
      {wording?.none && <p className="mb-2 text-sm text-slate-600">{wording.none}</p>}
      {receipts.data && (
        <div className="grid grid-cols-2 gap-4 text-sm">
          <section aria-label="Read">
            <h3 className="font-medium">Read ({receipts.data.read_count})</h3>
            <ul data-testid="read-list" className="mt-1 space-y-1">
              {receipts.data.read.map((r) => (
                <li key={r.uid}>
                  {r.name} <span className="text-slate-600">{r.read_at ? new Date(r.read_at).toLocaleTimeString() : ""}</span>
                </li>
              ))}
              {wording?.readEmpty && <li className="text-slate-600">{wording.readEmpty}</li>}
            </ul>
          </section>
          <section aria-label="Unread">
            <h3 className="font-medium">Unread ({receipts.data.unread_count})</h3>
            <ul data-testid="unread-list" className="mt-1 space-y-1">
              {receipts.data.unread.map((r) => (
                <li key={r.uid}>{r.name}</li>
              ))}
              {wording?.unreadEmpty && <li className="text-slate-600">{wording.unreadEmpty}</li>}
            </ul>
          </section>
        </div>
      )}
      <div className="mt-4 flex justify-end">
        <Button onClick={onClose}>Close</Button>
      </div>
    </Modal>
  );
}
