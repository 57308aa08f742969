import { now } from "@/lib/clock";
import { config, runtime, runtimeSecrets } from "@/lib/config";
import type { HealthReport } from "@/lib/contracts/admin";
import { lastDeliveryPerEvent } from "@/lib/db/queries/admin-logs";
import { serverVersion } from "@/lib/db/queries/health";
import { migrationStatus } from "@/lib/db/queries/migrations";
import { outboxBacklog } from "@/lib/db/queries/outbox";
import type { Deps } from "@/lib/shared/context";
import { wukongim } from "@/lib/wukongim/gateway";

/**
 * Everything an operator needs to see at a glance — the page that would have
 * shown docs/background.md §4's failure (webhook silent, messages not stored,
 * schema behind the code) — with what is wrong said in words.
 */
export async function detailedHealth(ctx: Deps<"db" | "io">, origin: string): Promise<HealthReport> {
  const problems: string[] = [];
  const version = await serverVersion({ db: ctx.db() });
  const migrations = await migrationStatus(ctx.db());
  if (migrations.applied !== migrations.expected) {
    problems.push(
      `The database schema is at migration ${migrations.applied} but this code expects ${migrations.expected}: restart imdesk so it migrates.`,
    );
  }
  const backlog = await outboxBacklog({ db: ctx.db() });
  const oldestAge = backlog.oldest ? (now() - new Date(backlog.oldest).getTime()) / 1000 : 0;
  if (backlog.pending > 0 && oldestAge > 60) {
    problems.push(
      `${backlog.pending} notices wait in the outbox, the oldest for ${Math.round(oldestAge)} s: check the gateway below and the logs.`,
    );
  }
  const last = await lastDeliveryPerEvent({ db: ctx.db() });
  const cfg = config();
  const im = wukongim();
  let gateway: { mode: string; url?: string; reachable?: boolean; error?: string };
  if (im) {
    // Any HTTP answer means reachable; only a network failure means not.
    const reachable = await fetch(im.baseUrl, { method: "GET", signal: AbortSignal.timeout(3000) })
      .then(() => ({ reachable: true }))
      .catch((e: Error) => ({ reachable: false, error: e.message }));
    gateway = { mode: "wukongim", url: im.baseUrl, ...reachable };
    if (!reachable.reachable)
      problems.push(`WuKongIM's API at ${im.baseUrl} does not answer: sends fail and revoke CMDs wait in the outbox.`);
    const notify = last.find((l) => l.event === "msg.notify");
    if (!notify)
      problems.push(
        "WuKongIM is configured but no msg.notify has ever arrived: set webhook.httpAddr in WuKongIM to the URL below, or messages will not be stored and cannot be recalled.",
      );
  } else {
    gateway = { mode: "built-in" };
  }
  return {
    status: problems.length ? "degraded" : "ok",
    problems,
    database: { mode: runtime().dbMode, version, migrations_applied: migrations.applied, migrations_expected: migrations.expected },
    webhook: {
      url: `${origin}/api/webhooks/wukongim/${runtimeSecrets().webhookSecret ?? ""}`,
      wukongim_config: `webhook.httpAddr: "${origin}/api/webhooks/wukongim/${runtimeSecrets().webhookSecret ?? ""}"`,
      last_delivery: last.map((l) => ({ event: l.event, at: new Date(l.lastAt).toISOString(), status: l.lastStatus })),
    },
    gateway,
    outbox: { pending: backlog.pending, oldest_pending_at: backlog.oldest ? new Date(backlog.oldest).toISOString() : null },
    realtime: { sockets: ctx.io()?.engine.clientsCount ?? 0 },
    memory: { rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20), heap_used_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) },
    config: {
      revoke_window_seconds: cfg.REVOKE_WINDOW_SECONDS,
      receipt_flush_ms: cfg.RECEIPT_FLUSH_MS,
      revoke_retain_content: cfg.REVOKE_RETAIN_CONTENT,
    },
  };
}
