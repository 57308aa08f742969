import type { MessageWithRevoke } from "@/lib/db/queries/messages";
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
  /** Chat messages that entered history now, as stored: announced after the commit without reading them back. */
  newChat: MessageWithRevoke[];
  /** Whether each channel of newChat keeps receipts (read in the storing transaction). */
  receiptsEnabled: Map<string, boolean>;
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
  receiptsEnabled: new Map(),
  cursorMoves: [],
  pushed: [],
});
