import path from "node:path";
import { loadConfig } from "@/lib/config";
import { startEmbeddedPostgres } from "@/lib/server/embedded-db";
import { loadOrCreateSecrets } from "@/lib/server/secrets";

// `npm run db`: only the embedded PostgreSQL, for running several imdesk
// instances against one database on one machine. Ctrl-C stops it.
const dataDir = path.resolve(loadConfig().DATA_DIR);
const { pg_password } = loadOrCreateSecrets(dataDir);
const db = await startEmbeddedPostgres({ dataDir, password: pg_password });
console.log(`PostgreSQL ${db.version} under ${dataDir}/pg\n\nDATABASE_URL=${db.url}\n`);
console.log("Run instances with the same secrets, e.g.:");
console.log(`  DATABASE_URL=${db.url} CLUSTER=postgres AUTH_SECRET=… WEBHOOK_SECRET=… PORT=3001 npm start`);
console.log(`  DATABASE_URL=${db.url} CLUSTER=postgres AUTH_SECRET=… WEBHOOK_SECRET=… PORT=3002 npm start`);
const stop = async () => {
  await db.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
