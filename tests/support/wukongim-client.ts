import { createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from "node:crypto";
import WebSocket from "ws";
import { decodeFrames, encodeConnect, encodeRecvack, type Frame, FrameType, PING, type Recv } from "./wkproto";

/**
 * A real WuKongIM client over its client WebSocket port, which sniffs the
 * first byte: `{` is JSON-RPC, anything else the binary wkproto.
 *
 * - `jsonrpc` (v2.2.5 pkg/jsonrpc): `connect` must come within 2 s of opening.
 *   v2 skips payload encryption on JSON connections.
 * - `wkproto` (what main needs: main's gateway authenticates only wkproto
 *   sessions; a JSON-RPC session is opened with no user and its `connect`
 *   closed as an unsupported frame). The CONNECT carries a Curve25519
 *   `clientKey`; RECV payloads come AES-128-CBC encrypted, base64, with the
 *   key both sides derive (pkg/protocol/wkprotoenc: md5 hex of the base64
 *   shared secret, first 16 characters; the CONNACK's salt is the IV).
 *
 * Either way every message is acknowledged (`recvack` / RECVACK), as an SDK
 * does, or WuKongIM redelivers it. One process may hold several users.
 */
export type WkProtocol = "jsonrpc" | "wkproto";

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
  private inbound: Buffer = Buffer.alloc(0);
  private connack?: (f: Frame) => void;
  private pinger?: NodeJS.Timeout;

  private constructor(
    readonly uid: string,
    private readonly ws: WebSocket,
    readonly protocol: WkProtocol,
  ) {
    ws.on("message", (data: Buffer) => (protocol === "wkproto" ? this.onFrames(data) : this.onMessage(String(data))));
    ws.on("close", () => {
      this.closed = true;
      clearInterval(this.pinger);
      this.notify();
    });
  }

  /** Opens a connection and authenticates with a token registered through `/user/token`. */
  static async connect(wsUrl: string, uid: string, token: string, deviceFlag = 1, protocol: WkProtocol = "jsonrpc"): Promise<WkClient> {
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const client = new WkClient(uid, ws, protocol);
    const { privateKey, publicKey } = generateKeyPairSync("x25519");
    const clientKey = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url").toString("base64");
    if (protocol === "wkproto") {
      await client.connectBinary({ uid, token, deviceFlag, deviceId: `imdesk-test-${uid}`, clientKey }, privateKey);
      return client;
    }
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

  private async connectBinary(connect: Parameters<typeof encodeConnect>[0], privateKey: KeyObject) {
    const answer = await new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("WuKongIM did not answer CONNECT within 15s")), 15_000);
      this.ws.once("close", (code, reason) => reject(new Error(`WuKongIM closed ${this.uid}'s connection: ${code} ${reason}`)));
      this.connack = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.ws.send(encodeConnect(connect));
    });
    if (answer.type !== FrameType.CONNACK || !("reasonCode" in answer) || answer.reasonCode !== 1) {
      this.ws.close();
      throw new Error(`WuKongIM refused ${this.uid}'s CONNECT: ${JSON.stringify(answer)}`);
    }
    if (answer.serverKey && answer.salt) this.aes = sessionKey(privateKey, answer.serverKey, answer.salt);
    // main closes a session idle for 3 minutes; an SDK pings well inside that.
    this.pinger = setInterval(() => this.ws.readyState === WebSocket.OPEN && this.ws.send(PING), 30_000);
  }

  private onFrames(data: Buffer) {
    const { frames, rest } = decodeFrames(Buffer.concat([this.inbound, data]));
    this.inbound = rest;
    for (const f of frames) {
      if (f.type === FrameType.CONNACK) this.connack?.(f);
      else if (f.type === FrameType.RECV) this.onRecv(f as Recv);
    }
  }

  private onRecv(f: Recv) {
    const bytes = f.encrypted && this.aes ? this.decrypt(f.payload.toString("utf8")) : f.payload.toString("utf8");
    let payload: unknown = bytes;
    try {
      payload = JSON.parse(bytes);
    } catch {}
    const { type: _, payload: __, ...fields } = f;
    this.received.push({ ...fields, payload, raw: { ...fields, payload: bytes } });
    this.ws.send(encodeRecvack(f.messageId, f.messageSeq));
    this.notify();
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
    return this.decrypt(text);
  }

  /** AES-128-CBC over the base64 text WuKongIM sends (pkg/protocol/wkprotoenc DecryptPayload). */
  private decrypt(base64: string): string {
    if (!this.aes) throw new Error("no session key");
    const decipher = createDecipheriv("aes-128-cbc", this.aes.key, this.aes.iv);
    return Buffer.concat([decipher.update(Buffer.from(base64, "base64")), decipher.final()]).toString("utf8");
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
    clearInterval(this.pinger);
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
