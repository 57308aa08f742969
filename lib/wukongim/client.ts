import { parseJsonKeepingBigInts, stringifyJsonWithBigInts } from "@/lib/wukongim/json";

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

export type WuKongImLine = "v2" | "main";
// What each WuKongIM address turned out to be (clients are made per call; the server stays what it is).
const lines = new Map<string, WuKongImLine>();

/** A send to a channel, or (main only, `sync_once` 1) to exactly the uids in `subscribers`, with no channel. */
export type SendInput = {
  header: { no_persist: 0 | 1; red_dot: 0 | 1; sync_once: 0 | 1 };
  client_msg_no: string;
  from_uid: string;
  payload: Record<string, unknown>;
} & (
  | { channel_id: string; channel_type: number; subscribers?: undefined }
  | { subscribers: string[]; channel_id?: undefined; channel_type?: undefined }
);

/**
 * WuKongIM's HTTP API (docs/wukongim.md § Outbound): the manager token in a `token`
 * header, JSON answers parsed big-int-safely, v2 envelopes
 * (`{"status":200,"data":…}`) and v3 bare objects both accepted.
 */
export class WuKongImClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call<T>(path: string, body: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`), {
        method: "POST",
        headers: { "content-type": "application/json", ...(this.token ? { token: this.token } : {}) },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new GatewayError(0, `WuKongIM unreachable at ${this.baseUrl}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? parseJsonKeepingBigInts(text) : null;
    } catch {}
    if (res.status !== 200) {
      const msg = (data as { msg?: string } | null)?.msg ?? text.slice(0, 200);
      throw new GatewayError(res.status, `WuKongIM ${path} answered ${res.status}: ${msg}`);
    }
    // v2 wraps answers in {"status":200,"data":…}; main answers the object itself.
    if (data && typeof data === "object" && "status" in data && "data" in data) {
      if (path === "message/send") lines.set(this.baseUrl, "v2");
      const env = data as { status: number; data: unknown; msg?: string };
      if (env.status !== 200) throw new GatewayError(env.status, `WuKongIM ${path}: ${env.msg ?? "error"}`);
      return env.data as T;
    }
    return data as T;
  }

  /**
   * Sends a message. The current main line answers a refusal with HTTP 200,
   * `reason` ≠ 1 (ReasonSuccess) and `message_id` 0: that is a refusal, never a
   * pending message "0".
   */
  async sendMessage(input: SendInput): Promise<{ messageId: string; messageSeq?: number }> {
    const answer = await this.call<{ message_id?: string | number; message_seq?: number; reason?: number }>(
      "message/send",
      JSON.stringify({
        ...input,
        payload: Buffer.from(JSON.stringify(input.payload)).toString("base64"),
        subscribers: input.subscribers ?? null,
      }),
    );
    const reason = answer?.reason;
    if (reason !== undefined) lines.set(this.baseUrl, "main");
    if (reason !== undefined && reason !== 1) throw new GatewayError(502, `WuKongIM refused the message (reason ${reason})`, { reason });
    if (answer?.message_id === undefined || !/^[1-9]\d{0,18}$/.test(String(answer.message_id))) {
      throw new GatewayError(502, `WuKongIM /message/send answered without a message id (${JSON.stringify(answer?.message_id ?? null)})`);
    }
    return { messageId: String(answer.message_id), messageSeq: answer.message_seq };
  }

  /**
   * Which WuKongIM line answers at this address, asked once per process:
   * main serves `GET /healthz` (200), v2.2.5 has no such route (404; its probe is
   * `/health`). Sends teach it too: v2 wraps answers in an envelope, main
   * answers bare with a `reason`.
   */
  async line(): Promise<WuKongImLine> {
    const known = lines.get(this.baseUrl);
    if (known) return known;
    const line = await fetch(new URL("healthz", this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`), {
      signal: AbortSignal.timeout(this.timeoutMs),
    })
      .then(async (res): Promise<WuKongImLine> => {
        await res.arrayBuffer();
        return res.status === 200 ? "main" : "v2";
      })
      .catch(() => null);
    if (line) lines.set(this.baseUrl, line);
    // Unreachable: assume v2's API, which the caller's request will report as unreachable anyway.
    return line ?? "v2";
  }

  /**
   * main's CMD directory (docs/wukongim.md § main's CMD path): after a bind, `POST
   * /message/sync` offers the uid the CMDs later stored in `<channel>____cmd`; an
   * unbind tombstones that. Binding an active binding keeps where it starts; binding
   * a tombstoned one starts it at the CMD channel's tail. v2 has neither route.
   */
  async cmdBind(action: "bind" | "unbind", input: { uid: string; channel_id: string; channel_type: number }): Promise<void> {
    await this.call(`message/cmd/${action}`, JSON.stringify(input));
  }

  /**
   * A page of a channel's messages from `start_message_seq` on, oldest first
   * (`/channel/messagesync`, pull_mode 1), as `login_uid` sees it: main answers only a
   * member of the channel, with nothing from before they joined.
   */
  async channelMessages(input: {
    login_uid: string;
    channel_id: string;
    channel_type: number;
    start_message_seq: number;
    limit: number;
  }): Promise<{ messages: unknown[]; more: boolean }> {
    const answer = await this.call<{ messages?: unknown[]; more?: unknown }>(
      "channel/messagesync",
      JSON.stringify({ ...input, end_message_seq: 0, pull_mode: 1 }),
    );
    return { messages: answer?.messages ?? [], more: Number(answer?.more ?? 0) === 1 || answer?.more === true };
  }

  /**
   * One message by id, in one request chosen by the server's line: v2 has
   * `POST /messages` (by id); main has not, so there the message is looked up
   * through `/channel/messagesync`: by its seq when known, else among the
   * channel's latest messages.
   */
  async fetchMessage(input: {
    login_uid: string;
    channel_id: string;
    channel_type: number;
    message_id: string;
    message_seq?: number;
  }): Promise<unknown[]> {
    if (!/^\d{1,19}$/.test(input.message_id)) return [];
    const { message_id, message_seq, ...where } = input;
    if ((await this.line()) === "v2") {
      // Go reads message_ids as []int64: the id goes out as a JSON number, digit for digit, never through a JS number.
      const body = stringifyJsonWithBigInts({ ...where, message_ids: [BigInt(message_id)], message_seqs: [], client_msg_nos: [] });
      const answer = await this.call<{ messages?: unknown[] }>("messages", body);
      return answer?.messages ?? [];
    }
    const byRange = message_seq !== undefined;
    const answer = await this.call<{ messages?: unknown[] }>(
      "channel/messagesync",
      JSON.stringify({
        ...where,
        start_message_seq: byRange ? message_seq : 0,
        end_message_seq: byRange ? message_seq + 1 : 0,
        limit: byRange ? 1 : 1000,
        pull_mode: byRange ? 1 : 0,
      }),
    );
    const id = (m: unknown) => {
      const r = m as { message_idstr?: unknown; message_id?: unknown } | null;
      return String(r?.message_idstr ?? r?.message_id ?? "");
    };
    return (answer?.messages ?? []).filter((m) => id(m) === message_id);
  }
}
