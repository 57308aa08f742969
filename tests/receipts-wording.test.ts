import assert from "node:assert/strict";
import { test } from "node:test";
import { receiptsWording } from "@/lib/client/receipts-wording";

// The receipts dialog's empty-list wording (components/chat/receipts-dialog.tsx).
test("the receipts dialog never says both 'Nobody yet' and 'Everyone has read it'", () => {
  const table: [number, number, string | null, string | null, string | null][] = [
    // read, unread → none, readEmpty, unreadEmpty
    [0, 0, "No one else to read it", null, null],
    [0, 3, null, "Nobody yet", null],
    [2, 0, null, null, "Everyone has read it"],
    [2, 3, null, null, null],
  ];
  for (const [read_count, unread_count, none, readEmpty, unreadEmpty] of table) {
    const w = receiptsWording({ read_count, unread_count });
    assert.deepEqual([w.none, w.readEmpty, w.unreadEmpty], [none, readEmpty, unreadEmpty], `${read_count}/${unread_count}`);
    assert.ok(!(w.readEmpty && w.unreadEmpty));
  }
});
