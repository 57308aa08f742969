import { healthDb } from "@/lib/db/client";
import { pingDatabase } from "@/lib/db/queries/health";
import { migrationStatus } from "@/lib/db/queries/migrations";

export interface Health {
  status: "ok" | "error";
  problems?: string[];
}

const DEADLINE_MS = 2000;

/** Public and minimal: ok, or what is wrong in words — within two seconds, whatever the request pool is doing. */
export async function checkHealth(): Promise<Health> {
  const probe = async (): Promise<Health> => {
    try {
      await pingDatabase({ db: healthDb() });
    } catch (err) {
      return { status: "error", problems: [`database does not answer: ${(err as Error).message}`] };
    }
    const m = await migrationStatus(healthDb());
    if (m.applied !== m.expected) {
      return {
        status: "error",
        problems: [`database schema is at migration ${m.applied}, this code expects ${m.expected}: restart to migrate`],
      };
    }
    return { status: "ok" };
  };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Health>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: "error", problems: [`database did not answer within ${DEADLINE_MS / 1000} s`] }),
      DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([probe(), late]);
  } finally {
    clearTimeout(timer);
  }
}
