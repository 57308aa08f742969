import { parseJsonKeepingBigInts } from "@/lib/webhooks/wukongim/parse-json";

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

export interface SendInput {
  header: { no_persist: 0 | 1; red_dot: 0 | 1; sync_once: 0 | 1 };
  client_msg_no: string;
  from_uid: string;
  channel_id: string;
  channel_type: number;
  payload: Record<string, unknown>;
}

/**
 * WuKongIM's HTTP API (wukongim.md § Outbound): the manager token in a `token`
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
    // v2 wraps answers in {"status":200,"data":…}; v3 answers the object itself.
    if (data && typeof data === "object" && "status" in data && "data" in data) {
      const env = data as { status: number; data: unknown; msg?: string };
      if (env.status !== 200) throw new GatewayError(env.status, `WuKongIM ${path}: ${env.msg ?? "error"}`);
      return env.data as T;
    }
    return data as T;
  }

  async sendMessage(input: SendInput): Promise<{ messageId: string; messageSeq?: number }> {
    const answer = await this.call<{ message_id?: string | number; message_seq?: number }>(
      "message/send",
      JSON.stringify({ ...input, payload: Buffer.from(JSON.stringify(input.payload)).toString("base64"), subscribers: null }),
    );
    if (answer?.message_id === undefined) throw new GatewayError(502, "WuKongIM /message/send answered without a message_id");
    return { messageId: String(answer.message_id), messageSeq: answer.message_seq };
  }

  async fetchMessages(input: { login_uid: string; channel_id: string; channel_type: number; message_ids: string[] }): Promise<unknown[]> {
    // Go reads message_ids as []int64: the ids go out as JSON numbers, digit for digit, never through a JS number.
    const ids = input.message_ids.filter((id) => /^\d{1,20}$/.test(id)).join(",");
    const body = JSON.stringify({ ...input, message_ids: "__IDS__", message_seqs: [], client_msg_nos: [] }).replace('"__IDS__"', `[${ids}]`);
    const answer = await this.call<{ messages?: unknown[] }>("messages", body);
    return answer?.messages ?? [];
  }
}
