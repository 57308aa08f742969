import type { IncomingMessage } from "node:http";
import { ApiError } from "@/lib/errors";

/**
 * Reads a request body as text, streaming, and stops at `max` bytes: a body
 * without Content-Length (chunked) is never buffered past the cap, and a
 * declared length over it is refused before a byte is read. On the custom
 * server the Node request is read directly (`node`): asking a Fetch Request
 * for its body builds a whole undici Request and a web stream per call, which
 * the bench's profile showed costing more than the rest of a read (#22).
 */
export async function readBodyText(req: Request, max: number, node?: IncomingMessage): Promise<string> {
  const tooLarge = () => new ApiError("payload_too_large", `Body over ${max} bytes.`, { max_bytes: max });
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > max) throw tooLarge();
  if (node && !node.readableDidRead) return readNodeBody(node, max, tooLarge);
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

function readNodeBody(node: IncomingMessage, max: number, tooLarge: () => ApiError): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      node.off("data", onData).off("end", onEnd).off("error", onError);
      if (err) {
        // The rest is discarded as it arrives, never buffered: closing at once would lose the answer.
        node.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) return done(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = (err: Error) => done(err);
    node.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
