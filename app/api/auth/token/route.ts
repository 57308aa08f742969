import { handle } from "hono/vercel";
import { app } from "@/lib/http/app";

// Auth.js's /api/auth/[...nextauth] is more specific than the API's
// catch-all, so this one path of the Hono app needs its own file to win.
export const dynamic = "force-dynamic";
export const GET = handle(app);
export const HEAD = handle(app);
export const POST = handle(app);
export const PUT = handle(app);
export const PATCH = handle(app);
export const DELETE = handle(app);
export const OPTIONS = handle(app);
