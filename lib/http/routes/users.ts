import { Hono } from "hono";
import { z } from "zod";
import { listDirectory } from "@/lib/chat/channels";
import { directoryUserSchema } from "@/lib/contracts/chat";
import { type HttpEnv, operation } from "../operation";

/** The directory of people one can message or add to a group. */
export const userRoutes = new Hono<HttpEnv>().get(
  "/users",
  operation({
    access: "user",
    summary: "The user directory",
    tags: ["Users"],
    responses: { 200: { description: "Everyone who can sign in.", schema: z.object({ users: z.array(directoryUserSchema) }) } },
  }),
  async (c) => c.json({ users: await listDirectory(c.var.ctx) }, 200),
);
