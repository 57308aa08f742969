import { handle } from "hono/vercel";
import { app } from "@/lib/http/app";

// The same Hono app the custom server serves directly (lib/http/node.ts), for
// `next dev`, `next start` and serverless hosts. Every method goes to Hono so
// unknown routes and methods get the API's own 404/405, not Next's.
export const dynamic = "force-dynamic";
export const GET = handle(app);
export const HEAD = handle(app);
export const POST = handle(app);
export const PUT = handle(app);
export const PATCH = handle(app);
export const DELETE = handle(app);
export const OPTIONS = handle(app);
