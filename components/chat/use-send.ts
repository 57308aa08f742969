"use client";

import { useQueryClient } from "@tanstack/react-query";
import { api, call } from "@/lib/client/api";
import { type ChatMessage, type MessagePage, queryKeys, upsertMessages } from "@/lib/client/message-cache";
import type { Me } from "./types";

/** Sends with the message shown at once (pending) and retried with the same client_msg_no, so a retry never duplicates. */
export function useSend(channelId: string, me: Me) {
  const client = useQueryClient();
  const key = queryKeys.messages(channelId);
  const put = (m: ChatMessage) => client.setQueryData<MessagePage>(key, (p) => (p ? upsertMessages(p, [m]) : p));

  return async function send(content: string, clientMsgNo = crypto.randomUUID().replaceAll("-", "")) {
    const draft: ChatMessage = {
      message_id: "",
      client_msg_no: clientMsgNo,
      message_seq: Number.MAX_SAFE_INTEGER,
      channel_id: channelId,
      channel_type: 2,
      from_uid: me.uid,
      timestamp: Math.floor(Date.now() / 1000),
      payload: { type: 1, content },
      revoked: false,
      revoked_by: null,
      revoked_at: null,
      pending: true,
    };
    put(draft);
    try {
      const { message } = await call(
        api.channels[":channel_id"].messages.$post({
          param: { channel_id: channelId },
          json: { client_msg_no: clientMsgNo, payload: { type: 1, content } },
        }),
      );
      put(message);
      void client.invalidateQueries({ queryKey: queryKeys.channels });
    } catch {
      put({ ...draft, failed: true });
    }
  };
}
