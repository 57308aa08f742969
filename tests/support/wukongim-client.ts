import { createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from "node:crypto";
import WebSocket from "ws";

/**
 * A real WuKongIM client: WuKongIM's JSON-RPC over its client WebSocket port
 * (v2.2.5 pkg/jsonrpc, main pkg/protocol/jsonrpc; both sniff a leading `{`).
 * One process may hold several users. `connect` must come within 2 s of
 * opening; every `recv` is acknowledged with `recvack`, as an SDK does, or
 * WuKongIM redelivers it. v2 skips payload encryption on JSON connections;
 * main does not: it refuses a connect without `clientKey` (Curve25519) and
 * sends payloads AES-128-CBC encrypted with the key both sides derive
 * (pkg/protocol/wkprotoenc: md5 hex of the base64 shared secret, first 16
 * characters; the connack's salt is the IV).
 */
export interface WkRecv {
  messageId: string;
  messageSeq: number;
  clientMsgNo?: string;
  timestamp: number;
  channelId: string;
  channelType: number;
  fromUid: string;
  header?: { noPersist?: boolean; redDot?: boolean; syncOnce?: boolean };
  /** The payload decoded (WuKongIM sends base64 of the sender's bytes). */
  payload: unknown;
  /** The notification exactly as it came. */
  raw: Record<string, unknown>;
}

export class WkClient {
  readonly received: WkRecv[] = [];
  private waiters = new Set<() => void>();
  private pending = new Map<string, (msg: any) => void>();
  private nextId = 1;
  private closed = false;
  private aes?: { key: Buffer; iv: Buffer };

  private constructor(
    readonly uid: string,
    private readonly ws: WebSocket,
  ) {
    ws.on("message", (data) => this.onMessage(String(data)));
    ws.on("close", () => {
      this.closed = true;
      this.notify();
    });
  }

  /** Opens a connection and authenticates with a token registered through `/user/token`. */
  static async connect(wsUrl: string, uid: string, token: string, deviceFlag = 1): Promise<WkClient> {
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const client = new WkClient(uid, ws);
    const { privateKey, publicKey } = generateKeyPairSync("x25519");
    const clientKey = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url").toString("base64");
    const answer = await client.request("connect", {
      uid,
      token,
      deviceFlag,
      deviceId: `imdesk-test-${uid}`,
      clientTimestamp: Date.now(),
      clientKey,
    });
    if (answer.error || answer.result?.reasonCode !== 1) {
      ws.close();
      throw new Error(`WuKongIM refused ${uid}'s connect: ${JSON.stringify(answer)}`);
    }
    if (answer.result.serverKey && answer.result.salt) client.aes = sessionKey(privateKey, answer.result.serverKey, answer.result.salt);
    return client;
  }

  get isOpen() {
    return !this.closed;
  }

  private request(method: string, params: unknown): Promise<any> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`WuKongIM did not answer ${method} within 15s`)), 15_000);
      this.pending.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      this.ws.send(JSON.stringify({ jsonrpc: "2.0", method, params, id }));
    });
  }

  private onMessage(text: string) {
    let msg: any;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.id && this.pending.has(String(msg.id))) {
      this.pending.get(String(msg.id))?.(msg);
      this.pending.delete(String(msg.id));
      return;
    }
    if (msg.method === "recv") {
      const p = msg.params;
      const bytes = typeof p.payload === "string" ? this.plain(Buffer.from(p.payload, "base64")) : JSON.stringify(p.payload);
      let payload: unknown = bytes;
      try {
        payload = JSON.parse(bytes);
      } catch {}
      this.received.push({ ...p, messageId: String(p.messageId), payload, raw: p });
      this.ws.send(
        JSON.stringify({ jsonrpc: "2.0", method: "recvack", params: { messageId: String(p.messageId), messageSeq: p.messageSeq } }),
      );
      this.notify();
    }
  }

  /** The payload's bytes: as sent (v2), or decrypted when they are not JSON and a session key exists (main). */
  private plain(bytes: Buffer): string {
    const text = bytes.toString("utf8");
    if (!this.aes || /^\s*[[{"]/.test(text)) return text;
    const decipher = createDecipheriv("aes-128-cbc", this.aes.key, this.aes.iv);
    return Buffer.concat([decipher.update(Buffer.from(text, "base64")), decipher.final()]).toString("utf8");
  }

  private notify() {
    for (const w of this.waiters) w();
  }

  /** Waits until a received message satisfies the check. */
  async waitFor(what: string, check: (m: WkRecv) => boolean, ms = 30_000): Promise<WkRecv> {
    const found = () => this.received.find(check);
    if (found()) return found()!;
    return new Promise((resolve, reject) => {
      const done = () => {
        const m = found();
        if (!m) return;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(
          new Error(
            `${this.uid}'s WuKongIM client timed out waiting for ${what}; received ${JSON.stringify(this.received.map((m) => m.raw))}`,
          ),
        );
      }, ms);
      this.waiters.add(done);
    });
  }

  async close() {
    if (this.closed) return;
    const closed = new Promise<void>((r) => this.ws.once("close", () => r()));
    this.ws.close();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    this.ws.terminate();
  }
}

function sessionKey(privateKey: KeyObject, serverKey: string, salt: string) {
  const serverPublic = createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(serverKey, "base64").toString("base64url") },
    format: "jwk",
  });
  const secret = diffieHellman({ privateKey, publicKey: serverPublic });
  const key = Buffer.from(createHash("md5").update(secret.toString("base64")).digest("hex").slice(0, 16));
  return { key, iv: Buffer.from(salt).subarray(0, 16) };
}
