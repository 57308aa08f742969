import type { Tx } from "@/lib/db/client";
import { insertPushNotifications } from "@/lib/db/queries/push-notifications";
import { isRevokedMessage } from "@/lib/db/queries/revocations";
import { pushProvider } from "@/lib/push/provider";
import { findUnsafeJson } from "@/lib/util/json-guard";
import { channelKey } from "@/lib/wukongim/channel-key";
import { messageRespSchema, offlineSchema } from "@/lib/wukongim/schemas";
import { emptyResult, type IngestResult } from "./result";

/**
 * msg.offline: one message and the uids without a master-device connection.
 * One decision per (message, uid), idempotent: chat → push, CMD → no push,
 * already recalled → suppressed.
 */
export async function ingestOffline(tx: Tx, body: unknown): Promise<IngestResult> {
  const result = emptyResult();
  result.total = 1;
  const unsafe = findUnsafeJson(body);
  if (unsafe) {
    result.rejected = 1;
    result.errors.push(unsafe);
    return result;
  }
  const message = messageRespSchema.safeParse(body);
  const extra = offlineSchema.safeParse(body);
  if (!message.success || !extra.success) {
    result.rejected = 1;
    const issues = [...(message.error?.issues ?? []), ...(extra.error?.issues ?? [])];
    result.errors.push(issues.map((x) => `${x.path.join(".") || "body"} ${x.message}`).join("; "));
    return result;
  }
  const m = message.data;
  const kind = m.syncOnce ? "cmd" : "chat";
  const revoked = kind === "chat" && (await isRevokedMessage({ db: tx, messageId: m.messageId }));
  const decision = kind === "cmd" ? "no_push_cmd" : revoked ? "suppressed_revoked" : "push";
  // v2 leaves the sender out of to_uids; main lists every subscriber, the sender too. Nobody is pushed their own message.
  const rows = extra.data.toUids
    .filter((uid) => uid !== m.fromUid)
    .map((uid) => ({
      messageId: m.messageId,
      uid,
      channelId: channelKey(m),
      kind,
      decision,
      provider: pushProvider().name,
    })) satisfies Parameters<typeof insertPushNotifications>[0]["rows"];
  const inserted = await insertPushNotifications({ db: tx, rows });
  result[kind] = 1;
  if (inserted.length === 0 && rows.length > 0) result.duplicate = 1;
  else result.accepted = 1;
  result.pushed = inserted.filter((n) => n.decision === "push");
  return result;
}
