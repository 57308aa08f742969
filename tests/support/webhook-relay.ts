import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RelayedCall {
  event: string;
  raw: string;
  /** What the webhook behind answered; 0 when it was unreachable or the relay was down. */
  status: number;
}

/**
 * A fixed webhook address for a real WuKongIM in front of an imdesk that
 * may stop, restart on another port, or be made unreachable: every call is
 * recorded as WuKongIM sent it (to compare with the fake) and passed on.
 * While `down`, connections are cut without an answer, as when nothing
 * listens.
 */
export class WebhookRelay {
  readonly calls: RelayedCall[] = [];
  target: string | null = null;
  down = false;
  private server?: Server;

  get url() {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("the webhook relay is not running");
    return `http://127.0.0.1:${address.port}/hook`;
  }

  async start() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      const event = new URL(req.url ?? "/", "http://x").searchParams.get("event") ?? "";
      const call: RelayedCall = { event, raw, status: 0 };
      this.calls.push(call);
      if (this.down || !this.target) return req.socket.destroy();
      try {
        const answer = await fetch(`${this.target}?event=${encodeURIComponent(event)}`, {
          method: "POST",
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body: raw,
        });
        call.status = answer.status;
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        req.socket.destroy();
      }
    });
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", () => r()));
    return this;
  }

  /** The calls of one event whose body mentions `text`. */
  find(event: string, text: string) {
    return this.calls.filter((c) => c.event === event && c.raw.includes(text));
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
