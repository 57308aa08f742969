/**
 * What the receipts dialog says when a list is empty. With nobody left in a
 * message's audience (everyone it was sent to left without reading, or the
 * sender was alone) both lists are empty: that is said once, so the dialog
 * never claims both "nobody has read it" and "everyone has read it".
 */
export function receiptsWording({ read_count, unread_count }: { read_count: number; unread_count: number }) {
  if (read_count === 0 && unread_count === 0) return { none: "No one else to read it", readEmpty: null, unreadEmpty: null };
  return {
    none: null,
    readEmpty: read_count === 0 ? "Nobody yet" : null,
    unreadEmpty: unread_count === 0 ? "Everyone has read it" : null,
  };
}
