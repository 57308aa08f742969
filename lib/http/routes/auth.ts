import { Hono } from "hono";
import { checkCredentials, credentialsSchema } from "@/lib/auth/credentials";
import { issueBearerToken } from "@/lib/auth/tokens";
import { tokenAnswerSchema } from "@/lib/contracts/chat";
import { clientAddress } from "@/lib/security/rate-limit";
import { type HttpEnv, operation } from "../operation";

/** Bearer tokens for scripts and devices; browsers sign in through Auth.js (/api/auth/*, served by Next). */
export const authRoutes = new Hono<HttpEnv>().post(
  "/auth/token",
  operation({
    access: "public",
    body: credentialsSchema,
    requestExample: { username: "alice", password: "demo-password" },
    summary: "Get a bearer token",
    tags: ["Auth"],
    responses: { 200: { description: "A token for `Authorization: Bearer …`, and who it is for.", schema: tokenAnswerSchema } },
    errors: [401, 429],
  }),
  async (c) => {
    const user = await checkCredentials(c.var.ctx, c.req.valid("json"), clientAddress(c.req.raw.headers));
    return c.json({ token: await issueBearerToken(user), user }, 200);
  },
);
