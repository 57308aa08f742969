import os from "node:os";
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", "on", "off", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["1", "true", "on", "yes"].includes(v)));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: z.string().min(16).optional(),
  DEMO_SEED: z.string().optional(),
  DEMO_PASSWORD: z.string().min(1).default("demo-password"),
  REVOKE_WINDOW_SECONDS: z.coerce.number().int().min(0).default(120),
  REVOKE_RETAIN_CONTENT: flag(true),
  RECEIPT_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  RECEIPT_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  // "postgres": several instances share realtime through the Socket.IO Postgres adapter.
  CLUSTER: z.enum(["none", "postgres"]).default("none"),
  // Server processes on this machine behind one port (lib/server/workers.ts): a whole number ≥ 1, or "auto" (one per core).
  WORKERS: z
    .string()
    .trim()
    .regex(/^(auto|[1-9][0-9]{0,2})$/, 'a whole number from 1 to 999, or "auto" (one per core)')
    .default("1")
    .transform((v) => (v === "auto" ? os.availableParallelism() : Number(v))),
  OUTBOX_DISPATCH: flag(true),
  OUTBOX_RECOVERY_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(20),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(3000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  WEBHOOK_SECRET: z.string().min(8).optional(),
  SIGNIN_PER_ACCOUNT_PER_MINUTE: z.coerce.number().positive().default(10),
  SIGNIN_PER_ADDRESS_PER_MINUTE: z.coerce.number().positive().default(60),
  WUKONGIM_API_URL: z.string().url().optional(),
  WUKONGIM_MANAGER_TOKEN: z.string().optional(),
  // Gap repair beside WuKongIM (lib/ingest/gap-repair.ts): a round at start-up, then every so many seconds; 0 turns it off.
  WUKONGIM_GAP_REPAIR_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  // Test mode (docs/api.md § Test mode): /api/test/* for end-to-end tests. Never on a real deployment.
  IMDESK_TEST_MODE: flag(false),
  IMDESK_TEST_TOKEN: z.string().min(16).optional(),
  IMDESK_TEST_MODE_ALLOW_EXTERNAL_DB: flag(false),
  // Sends /api through Next's catch-all route instead of the direct listener (the tests compare both paths).
  IMDESK_API_VIA_NEXT: flag(false),
});

export type Config = z.infer<typeof envSchema> & { demoSeed: boolean };

/** Parsed once per module copy; lib/server/boot.ts publishes generated secrets into process.env (publishRuntime) before anything reads it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const cfg = parsed.data;
  // The demo seed defaults on with the embedded database and off against a database we do not own.
  const demoSeed = cfg.DEMO_SEED === undefined ? !cfg.DATABASE_URL : !["0", "false", "off", "no"].includes(cfg.DEMO_SEED);
  return { ...cfg, demoSeed };
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * What the server settles at start — generated secrets, the embedded
 * database's URL, whether the demo seed ran — published once by boot.ts
 * through process.env: the one channel every module copy (route handlers get
 * their own) shares, and read only through these functions.
 */
export function publishRuntime(r: {
  authSecret: string;
  webhookSecret: string;
  testToken?: string;
  databaseUrl?: string;
  dbMode: "embedded" | "external";
  demoSeed: boolean;
}) {
  process.env.AUTH_SECRET ??= r.authSecret;
  process.env.WEBHOOK_SECRET ??= r.webhookSecret;
  if (r.testToken) process.env.IMDESK_TEST_TOKEN ??= r.testToken;
  if (r.databaseUrl) process.env.DATABASE_URL = r.databaseUrl;
  process.env.IMDESK_DB_MODE = r.dbMode;
  process.env.IMDESK_DEMO_SEED = r.demoSeed ? "1" : "0";
}

export function runtimeSecrets() {
  return { authSecret: process.env.AUTH_SECRET, webhookSecret: process.env.WEBHOOK_SECRET, testToken: process.env.IMDESK_TEST_TOKEN };
}

export function runtime() {
  return {
    databaseUrl: process.env.DATABASE_URL,
    dbMode: process.env.IMDESK_DB_MODE === "embedded" ? ("embedded" as const) : ("external" as const),
    demoSeed: process.env.IMDESK_DEMO_SEED === "1",
    demoPassword: process.env.DEMO_PASSWORD || "demo-password",
  };
}
