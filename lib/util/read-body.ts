import { ApiError } from "@/lib/errors";

/**
 * Reads a request body as text, streaming, and stops at `max` bytes: a body
 * without Content-Length (chunked) is never buffered past the cap, and a
 * declared length over it is refused before a byte is read.
 */
export async function readBodyText(req: Request, max: number): Promise<string> {
  const tooLarge = () => new ApiError("payload_too_large", `Body over ${max} bytes.`, { max_bytes: max });
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > max) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
