import type { z } from "zod";
import type { SeedAnswer, sessionAnswerSchema } from "../lib/contracts/testing";
import type { ImdeskTarget } from "./server";

// The test-mode routes (/api/test/*, docs/testing.md), as plain calls. Each
// carries X-Imdesk-Test-Token; a refusal throws with the server's answer so a
// failing fixture says why.

// The seed's shapes (lib/contracts/testing.ts is the source; POST /api/test/seed validates them).
type Iso = string | Date;

export interface SeedInput {
  users?: { uid: string; name?: string; role?: "user" | "admin"; password?: string }[];
  /** The owner creates each group; `ref` names it for later entries. */
  groups?: { ref?: string; name: string; owner: string; members?: string[]; admins?: string[]; receipts?: boolean }[];
  directs?: { ref?: string; between: [string, string] }[];
  /** `channel`: a ref of this seed or an existing channel_id; `sent_at` in the past (default now). */
  messages?: {
    ref?: string;
    channel: string;
    from: string;
    content: string;
    sent_at?: Iso;
    recalled?: true | { by?: string; reason?: string; at?: Iso };
  }[];
  /** Read positions: up to a message `ref` of this seed, or a message_seq. */
  reads?: { channel: string; uid: string; up_to?: string; message_seq?: number }[];
}

/** What the seed created: ids (decimal strings for messages) in input order, and every ref → its id. */
export type SeedResult = SeedAnswer;

const iso = (t: Iso | undefined) => (t instanceof Date ? t.toISOString() : t);

export type SessionAnswer = z.infer<typeof sessionAnswerSchema>;

export class TestMode {
  constructor(readonly target: ImdeskTarget) {}

  async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.target.url}/api/test/${path}`, {
      method,
      headers: { "x-imdesk-test-token": this.target.token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      const hint =
        res.status === 404 ? " (is the server in test mode? IMDESK_TEST_MODE=1)" : res.status === 401 ? " (IMDESK_TEST_TOKEN?)" : "";
      throw new Error(`${method} /api/test/${path} → ${res.status}${hint}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Back to the demo seed: data, realtime state, rate-limit buckets; open pages are told to reload. */
  reset() {
    return this.request<unknown>("POST", "reset", {});
  }

  seed(input: SeedInput) {
    return this.request<SeedResult>("POST", "seed", {
      ...input,
      messages: input.messages?.map((m) => ({
        ...m,
        sent_at: iso(m.sent_at),
        recalled: typeof m.recalled === "object" ? { ...m.recalled, at: iso(m.recalled.at) } : m.recalled,
      })),
    });
  }

  session(uid: string) {
    return this.request<SessionAnswer>("POST", "session", { uid });
  }

  clockNow() {
    return this.request<{ now: string; now_ms: number; offset_ms: number }>("GET", "clock");
  }

  clockAdvance(ms: number) {
    return this.request<unknown>("POST", "clock", { advance_ms: ms });
  }

  clockSet(at: Date | string) {
    return this.request<unknown>("POST", "clock", { set: at instanceof Date ? at.toISOString() : at });
  }

  clockReset() {
    return this.request<unknown>("POST", "clock", { reset: true });
  }

  rateLimits(enabled: boolean) {
    return this.request<unknown>("POST", "rate-limits", { enabled });
  }

  /** A WuKongIM-shaped event through the real webhook (with the configured secret); `raw` keeps int64 ids exact. */
  webhook(event: "msg.notify" | "msg.offline" | "user.onlinestatus", body: { body: unknown } | { raw: string }) {
    return this.request<{ status: number; body: unknown }>("POST", "webhook", { event, ...body });
  }
}
