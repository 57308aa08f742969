import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for WuKongIM's HTTP API, faithful to docs/wukongim.md: manager token
 * in a `token` header (401 without it), 400 `{"msg","status":400}` errors, v2
 * (`{"status":200,"data":…}`) or v3 (bare) answers, int64 ids written as JSON
 * numbers, and — like WuKongIM — it calls the business server's webhook back
 * with `msg.notify` after `/message/send` (persisted, non-CMD messages too).
 */
export interface FakeMessage {
  header: { no_persist: number; red_dot: number; sync_once: number };
  message_id: bigint;
  client_msg_no: string;
  message_seq: number;
  from_uid: string;
  channel_id: string;
  channel_type: number;
  timestamp: number;
  payload: string;
}

export class FakeWuKongIM {
  readonly requests: { path: string; headers: IncomingMessage["headers"]; body: any; raw: string }[] = [];
  readonly messages: FakeMessage[] = [];
  private server?: Server;
  // Snowflake ids as WuKongIM makes them (Twitter epoch, ms << 22 | node << 12 | step); each fake
  // is its own node, as separate WuKongIM clusters would be.
  private node = BigInt(Math.floor(Math.random() * 1024));
  private step = 0n;
  private nextSnowflake(now: number) {
    return ((BigInt(now) - 1288834974657n) << 22n) | (this.node << 12n) | (this.step++ & 0xfffn);
  }
  private seqs = new Map<string, number>();
  /** Answer the next n calls with HTTP 500. */
  failNext = 0;
  /** Refuse the next n sends as the main line does: HTTP 200, reason ≠ 1, message_id 0. */
  refuseNext = 0;
  webhookUrl?: string;

  constructor(readonly opts: { version: 2 | 3; token?: string }) {}

  get url() {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("the fake WuKongIM is not running");
    return `http://127.0.0.1:${address.port}`;
  }

  async start(port = 0) {
    this.server = createServer(async (req, res) => {
      const raw = await new Promise<string>((resolve) => {
        let s = "";
        req.on("data", (d) => (s += d));
        req.on("end", () => resolve(s));
      });
      let body: any = null;
      try {
        // int64 arrays (message_ids) must survive: read digits as text.
        body = JSON.parse(raw.replace(/([[,:]\s*)(\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
      } catch {}
      this.requests.push({ path: req.url ?? "", headers: req.headers, body, raw });
      // main serves GET /healthz without a token; v2.2.5 has no such route.
      if (req.method === "GET" && req.url === "/healthz" && this.opts.version === 3)
        return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      const send = (status: number, text: string) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(text);
      };
      if (this.failNext > 0) {
        this.failNext--;
        return send(500, '{"msg":"internal error","status":500}');
      }
      // v2.2.5 refuses a missing or wrong manager token with a bare 401, no body.
      if (this.opts.token && req.headers.token !== this.opts.token) return send(401, "");
      if (!body) return send(400, '{"msg":"数据格式有误！","status":400}');
      if (req.url === "/message/send") return this.onSend(body, send);
      // v2.2.5 has POST /messages; the current main line (v3) does not.
      if (req.url === "/messages" && this.opts.version === 2) return this.onMessages(body, send);
      if (req.url === "/channel/messagesync") return this.onMessageSync(body, send);
      if (this.opts.version === 3) {
        if (req.url === "/message/cmd/bind" || req.url === "/message/cmd/unbind")
          return this.onCmdBind(req.url.endsWith("/bind"), body, send);
        if (req.url === "/message/sync") return this.onCmdSync(body, send);
        if (req.url === "/message/syncack") return this.onCmdSyncAck(body, send);
      }
      send(404, '{"msg":"not found","status":404}');
    });
    await new Promise<void>((r) => this.server?.listen(port, "127.0.0.1", () => r()));
    return this;
  }

  async stop() {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections();
  }

  /** Stores a message as WuKongIM would (e.g. one the webhook never delivered). */
  store(input: Omit<FakeMessage, "message_id" | "message_seq" | "timestamp"> & { message_seq?: number }): FakeMessage {
    const seq = input.message_seq ?? (this.seqs.get(input.channel_id) ?? 0) + 1;
    this.seqs.set(input.channel_id, Math.max(seq, this.seqs.get(input.channel_id) ?? 0));
    const now = Date.now();
    const m: FakeMessage = { ...input, message_id: this.nextSnowflake(now), message_seq: seq, timestamp: Math.floor(now / 1000) };
    this.messages.push(m);
    return m;
  }

  /**
   * main's CMD directory, per (uid, `<channel>____cmd`, type): a bind starts at the CMD
   * log's tail + 1 (binding an active binding again changes nothing; a tombstoned one
   * starts afresh), an unbind tombstones it (200 also for a uid never bound).
   */
  readonly cmdBindings = new Map<
    string,
    { uid: string; cmdChannel: string; channelType: number; start: number; ack: number; tombstone: boolean }
  >();
  private cmdSyncRecords = new Map<string, Map<string, number>>();

  private onCmdBind(bind: boolean, body: any, send: (s: number, t: string) => void) {
    if (!body.uid || !body.channel_id || !body.channel_type)
      return send(400, '{"msg":"uid、channel_id和channel_type不能为空！","status":400}');
    const cmdChannel = `${body.channel_id}____cmd`;
    const key = `${body.uid}|${cmdChannel}|${body.channel_type}`;
    const existing = this.cmdBindings.get(key);
    if (bind && (!existing || existing.tombstone)) {
      const tail = Math.max(0, ...this.messages.filter((m) => m.channel_id === cmdChannel).map((m) => m.message_seq));
      this.cmdBindings.set(key, { uid: body.uid, cmdChannel, channelType: body.channel_type, start: tail + 1, ack: 0, tombstone: false });
    }
    if (!bind && existing) existing.tombstone = true;
    send(200, '{"status":200}');
  }

  /**
   * `/message/sync`: the CMDs of every channel the uid is bound to, from the binding's start
   * (or after its ack), as a bare array with the `____cmd` suffix stripped. Like main at
   * b249d3a, a binding to a channel whose CMD log holds nothing yet fails the whole sync.
   */
  private onCmdSync(body: any, send: (s: number, t: string) => void) {
    if (!body.uid) return send(400, '{"msg":"uid不能为空！","status":400}');
    const limit = Number(body.limit) > 0 ? Number(body.limit) : 200;
    const found: FakeMessage[] = [];
    const records = new Map<string, number>();
    for (const b of this.cmdBindings.values()) {
      if (b.uid !== body.uid || b.tombstone) continue;
      const log = this.messages.filter((m) => m.channel_id === b.cmdChannel && m.channel_type === b.channelType);
      if (log.length === 0)
        return send(
          400,
          `{"msg":"internal/message: channel not found: channel: channel not found: {${b.cmdChannel} ${b.channelType}}","status":400}`,
        );
      const from = Math.max(b.start, b.ack + 1);
      for (const m of log.filter((m) => m.message_seq >= from).sort((a, c) => a.message_seq - c.message_seq)) {
        if (found.length >= limit) break;
        found.push({ ...m, channel_id: b.cmdChannel.slice(0, -"____cmd".length) });
        records.set(`${b.cmdChannel}|${b.channelType}`, m.message_seq);
      }
    }
    this.cmdSyncRecords.set(body.uid, records);
    send(200, `[${found.map((m) => messageRespOf(m, 2, 0)).join(",")}]`);
  }

  /** `/message/syncack`: acknowledges what the uid's last sync returned (its `last_message_seq` is not read). */
  private onCmdSyncAck(body: any, send: (s: number, t: string) => void) {
    if (!body.uid) return send(400, '{"msg":"uid不能为空！","status":400}');
    if (!body.last_message_seq) return send(400, '{"msg":"last_message_seq不能为空！","status":400}');
    for (const [key, seq] of this.cmdSyncRecords.get(body.uid) ?? []) {
      const [cmdChannel, type] = key.split("|");
      const b = this.cmdBindings.get(`${body.uid}|${cmdChannel}|${type}`);
      if (b && !b.tombstone && seq > b.ack) b.ack = seq;
    }
    this.cmdSyncRecords.delete(body.uid);
    send(200, '{"status":200}');
  }

  private onSend(body: any, send: (s: number, t: string) => void) {
    // main: a send to `subscribers` (uids) has no channel and must be a CMD; it is
    // stored as the temp channel `<fnv-1a 64 of the uids joined by ",">____cmd`, type 8.
    const scoped = this.opts.version === 3 && Array.isArray(body.subscribers) && body.subscribers.length > 0;
    if (scoped && (body.channel_id || body.header?.sync_once !== 1)) return send(400, '{"error":"invalid request"}');
    if (typeof body.from_uid !== "string" || (!scoped && typeof body.channel_type !== "number") || typeof body.payload !== "string") {
      return send(400, '{"msg":"数据格式有误！","status":400}');
    }
    if (!scoped && !body.channel_id) return send(400, '{"msg":"频道ID不能为空！","status":400}');
    if (this.refuseNext > 0 && this.opts.version === 3) {
      this.refuseNext--;
      return send(200, `{"message_id":0,"message_seq":0,"client_msg_no":${JSON.stringify(body.client_msg_no ?? "")},"reason":4}`);
    }
    const noPersist = body.header?.no_persist === 1;
    const syncOnce = body.header?.sync_once ?? 0;
    const channelId = scoped
      ? `${fnv1a64([...new Set<string>(body.subscribers)].join(","))}____cmd`
      : syncOnce === 1 && body.channel_type !== 1
        ? `${body.channel_id}____cmd`
        : body.channel_id;
    // main answers a send it already has (same sender, client_msg_no, channel and payload) with the stored message.
    const again =
      this.opts.version === 3 && body.client_msg_no
        ? this.messages.find(
            (m) =>
              m.from_uid === body.from_uid &&
              m.client_msg_no === body.client_msg_no &&
              m.channel_id === channelId &&
              m.payload === body.payload,
          )
        : undefined;
    if (again) return send(200, `{"message_id":${again.message_id},"message_seq":${again.message_seq},"reason":1}`);
    const m = this.store({
      header: { no_persist: body.header?.no_persist ?? 0, red_dot: body.header?.red_dot ?? 0, sync_once: syncOnce },
      client_msg_no: body.client_msg_no ?? "",
      from_uid: body.from_uid,
      // A CMD is stored in, and comes back through msg.notify from, the channel's CMD channel.
      channel_id: channelId,
      channel_type: scoped ? 8 : body.channel_type,
      payload: body.payload,
      message_seq: noPersist ? 0 : undefined,
    });
    const data = `{"message_id":${m.message_id},"client_msg_no":${JSON.stringify(m.client_msg_no)}${this.opts.version === 3 ? `,"message_seq":${m.message_seq},"reason":1` : ""}}`;
    send(200, this.opts.version === 2 ? `{"status":200,"data":${data}}` : data);
    if (this.webhookUrl && !noPersist) setTimeout(() => void this.notify([m]), 20);
  }

  private onMessages(body: any, send: (s: number, t: string) => void) {
    const ids = new Set((body.message_ids ?? []).map(String));
    const found = this.messages.filter((m) => m.channel_id === body.channel_id && ids.has(String(m.message_id)));
    send(200, `{"start_message_seq":0,"end_message_seq":0,"more":0,"messages":[${found.map(messageResp).join(",")}]}`);
  }

  /**
   * Seq-range sync of one channel as login_uid sees it (a person channel is
   * the other party's uid): start inclusive, end exclusive, 0/0 the latest.
   */
  private onMessageSync(body: any, send: (s: number, t: string) => void) {
    const inChannel = (m: FakeMessage) =>
      body.channel_type === 1
        ? (m.from_uid === body.login_uid && m.channel_id === body.channel_id) ||
          (m.from_uid === body.channel_id && m.channel_id === body.login_uid)
        : m.channel_id === body.channel_id;
    const start = Number(body.start_message_seq ?? 0);
    const end = Number(body.end_message_seq ?? 0);
    const limit = Math.min(Number(body.limit ?? 100), 10_000);
    let found = this.messages.filter(
      (m) => m.channel_type === body.channel_type && inChannel(m) && m.message_seq >= start && (end === 0 || m.message_seq < end),
    );
    found = found.sort((a, b) => a.message_seq - b.message_seq);
    found = body.pull_mode === 1 ? found.slice(0, limit) : found.slice(-limit);
    // main's messagesync answers "timestamp":0 for every message (the id carries the time).
    // Both lines answer red_dot 0 here, whatever the send asked for.
    const resp = (m: FakeMessage) => messageRespOf(this.opts.version === 3 ? { ...m, timestamp: 0 } : m, 2, 0);
    send(200, `{"start_message_seq":${start},"end_message_seq":${end},"more":0,"messages":[${found.map(resp).join(",")}]}`);
  }

  /** POSTs msg.notify as WuKongIM writes it: a JSON array, int64 ids as bare numbers, in its line's field order. */
  async notify(list: FakeMessage[]) {
    if (!this.webhookUrl) return;
    await fetch(`${this.webhookUrl}?event=msg.notify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // main writes red_dot 0 back; v2 echoes the send's.
      body: `[${list.map((m) => messageRespOf(m, this.opts.version, this.opts.version === 3 ? 0 : m.header.red_dot)).join(",")}]`,
    }).catch(() => {});
  }
}

/**
 * MessageResp text exactly as WuKongIM's Go encoder writes it. v2.2.5 writes
 * `expire` after `channel_type`; main's msg.notify writes it right after
 * `setting` (its messagesync keeps v2's order).
 */
export function messageResp(m: FakeMessage): string {
  return messageRespOf(m, 2);
}

export function messageRespOf(m: FakeMessage, version: 2 | 3, redDot = m.header.red_dot): string {
  const header = `"header":{"no_persist":${m.header.no_persist},"red_dot":${redDot},"sync_once":${m.header.sync_once}},"setting":0`;
  const ids = `"message_id":${m.message_id},"message_idstr":"${m.message_id}","client_msg_no":${JSON.stringify(m.client_msg_no)},"message_seq":${m.message_seq},"from_uid":${JSON.stringify(m.from_uid)},"channel_id":${JSON.stringify(m.channel_id)},"channel_type":${m.channel_type}`;
  const rest = `"timestamp":${m.timestamp},"payload":"${m.payload}"`;
  return version === 3 ? `{${header},"expire":0,${ids},${rest}}` : `{${header},${ids},"expire":0,${rest}}`;
}

/** FNV-1a 64 of a string's UTF-8 bytes, as decimal (Go's hash/fnv New64a, as main names a subscribers send's channel). */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString();
}
