import type { WireMessage } from "@/lib/contracts/chat";

export function previewText(m: WireMessage): string {
  if (m.revoked) return "A message was recalled";
  if (!m.payload) return "";
  if (m.payload.type === 1) return String(m.payload.content ?? "");
  return `[message type ${m.payload.type}]`;
}
