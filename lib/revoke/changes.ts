import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import type { ChangesPage } from "@/lib/contracts/chat";
import { listRevocationsSince } from "@/lib/db/queries/revocations";
import { requireMember } from "@/lib/shared/access";
import type { Deps } from "@/lib/shared/context";

export const changesQuerySchema = z.object({
  since: z
    .string()
    .regex(/^\d{1,15}$/, "since is a version returned by this endpoint")
    .default("0")
    .transform(Number),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(500)
    .transform((n) => Math.min(n, 1000)),
});

/**
 * Incremental sync for a device that was away: every revoke in the channel
 * after `since`, plus the caller's read cursor as it is now. Versions come from
 * the channel row lock, so they become visible in order and none is skipped.
 */
export async function getChanges(
  ctx: Deps<"db">,
  { actor, channelId, query }: { actor: Actor; channelId: string; query: z.infer<typeof changesQuerySchema> },
): Promise<ChangesPage> {
  const { membership } = await requireMember({ db: ctx.db(), channelId, actor });
  const rows = await listRevocationsSince({ db: ctx.db(), channelId, since: query.since, limit: query.limit });
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  return {
    changes: page.map((r) => ({
      type: "message:revoked" as const,
      version: String(r.version),
      message_id: r.messageId,
      message_seq: r.messageSeq,
      revoked_by: r.revokedBy,
      revoked_at: r.revokedAt.toISOString(),
    })),
    version: String(page.at(-1)?.version ?? query.since),
    more,
    last_read_seq: membership.lastReadSeq,
  };
}
