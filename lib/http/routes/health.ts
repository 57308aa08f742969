import { Hono } from "hono";
import { healthSchema } from "@/lib/contracts/chat";
import { checkHealth } from "@/lib/health";
import { type HttpEnv, operation } from "../operation";

/** Liveness for load balancers: 503 when the database is unreachable. */
export const healthRoutes = new Hono<HttpEnv>().get(
  "/health",
  operation({
    access: "public",
    summary: "Health",
    tags: ["Health"],
    responses: {
      200: { description: "Up.", schema: healthSchema },
      503: { description: "Degraded: the database is unreachable or behind.", schema: healthSchema },
    },
  }),
  async (c) => {
    const health = await checkHealth();
    c.header("cache-control", "no-store");
    return health.status === "ok" ? c.json(health, 200) : c.json(health, 503);
  },
);
