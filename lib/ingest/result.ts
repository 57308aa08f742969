import type { CursorMove } from "@/lib/db/queries/receipts";
import type { PushNotification } from "@/lib/push/provider";

/** What one delivery did: counts for the answer and the log, and what to announce after the commit. */
export interface IngestResult {
  total: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  chat: number;
  cmd: number;
  errors: string[];
  /** Chat messages that entered history now, to announce after the commit. */
  newChat: { channelId: string; messageId: string }[];
  cursorMoves: CursorMove[];
  pushed: PushNotification[];
}

export const emptyResult = (): IngestResult => ({
  total: 0,
  accepted: 0,
  duplicate: 0,
  rejected: 0,
  chat: 0,
  cmd: 0,
  errors: [],
  newChat: [],
  cursorMoves: [],
  pushed: [],
});
