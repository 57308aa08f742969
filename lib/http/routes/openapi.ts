import { Hono } from "hono";
import { z } from "zod";
import { type HttpEnv, operation } from "../operation";

let cached: unknown;

/** The OpenAPI document for this app, built once from its routes on first request. */
export const openapiRoutes = new Hono<HttpEnv>().get(
  "/openapi.json",
  operation({
    access: "public",
    summary: "This document",
    description: "OpenAPI 3.1, generated from the zod schemas the routes validate with. The interactive reference is at /docs/api.",
    tags: ["Meta"],
    responses: { 200: { description: "The OpenAPI document.", schema: z.object({ openapi: z.string() }).loose() } },
  }),
  async (c) => {
    // Imported lazily: the app module is this route's parent, and the generator is only needed here.
    const [{ app }, { buildOpenApiDocument }] = await Promise.all([import("../app"), import("../openapi")]);
    cached ??= buildOpenApiDocument(app);
    return c.json(cached as Record<string, unknown>, 200);
  },
);
