import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";

type RoutedApp = { routes: { method: string; path: string; handler: unknown }[] };

import { z } from "zod";
import {
  channelReadEventSchema,
  channelUpdatedEventSchema,
  messageRevokedEventSchema,
  receiptsUpdateEventSchema,
  sessionEndedEventSchema,
} from "@/lib/contracts/chat";
import { type ErrorCode, errorCodesByStatus } from "@/lib/errors";
import { type OperationSpec, operationOf } from "./operation";

const STATUS_TEXT: Record<number, string> = {
  400: "Invalid input: bad JSON, a field that fails its schema, or text PostgreSQL cannot store.",
  401: "Not signed in, or the credentials/secret are wrong.",
  403: "Signed in but not allowed (role, membership, revoke window, cross-origin cookie request).",
  404: "No such channel, message, user or record.",
  409: "Conflicts with the current state.",
  411: "A chunked body without Content-Length where one is required.",
  413: "The body is over this route's cap.",
  429: "Too many attempts; see Retry-After.",
  500: "A bug on our side; nothing leaks.",
  502: "WuKongIM did not accept the request.",
  503: "The database is busy or unreachable; see Retry-After.",
};

/** The error shape for one status (`code` one of the codes lib/errors.ts maps to it), or for any status. */
function errorSchema(status?: number) {
  const codes = status === undefined ? [...errorCodesByStatus().values()].flat() : (errorCodesByStatus().get(status) ?? []);
  return z
    .object({
      error: z.object({
        code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
        message: z.string().meta({ description: "For people; may change. Match on `code`." }),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    })
    .meta({
      id: `Error${status ?? ""}`,
      description: status === undefined ? "Every error: one envelope, one code table (lib/errors.ts)." : undefined,
    });
}

/** Error statuses an operation can answer: from its inputs and access, plus the ones its service declares. */
function errorStatuses(spec: OperationSpec): number[] {
  const s = new Set<number>([500, 503, ...(spec.errors ?? [])]);
  if (spec.params || spec.query || spec.body) s.add(400);
  if (spec.body && !spec.raw) s.add(413);
  // Signed-in routes: 401 without a session; 403 for the role, membership, rules, or a cross-origin cookie write.
  if (spec.access !== "public") s.add(401).add(403);
  // Test mode's routes: 401 without the test token, 404 (as an unknown route) when test mode is off.
  if (spec.testMode) s.add(401).add(404);
  return [...s].sort((a, b) => a - b);
}

function toRoute(method: string, honoPath: string, spec: OperationSpec): RouteConfig {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      content: r.mediaType
        ? { [r.mediaType]: { schema: { type: "string" } } }
        : r.schema
          ? { "application/json": { schema: r.schema, ...(r.example === undefined ? {} : { example: r.example }) } }
          : undefined,
    };
  }
  for (const status of errorStatuses(spec)) {
    responses[status] ??= {
      description: STATUS_TEXT[status] ?? "Error.",
      content: { "application/json": { schema: errorSchema(status) } },
    };
  }
  const body = spec.body as z.ZodType | undefined;
  return {
    method: method.toLowerCase() as RouteConfig["method"],
    path: honoPath.replace(/:(\w+)/g, "{$1}"),
    operationId: `${method.toLowerCase()}${honoPath
      .replace(/^\/api/, "")
      .replace(/\/:?(\w)/g, (_, ch: string) => ch.toUpperCase())
      .replace(/\W/g, "")}`,
    summary: spec.summary,
    description: spec.testMode
      ? `**Test mode only** (IMDESK_TEST_MODE=1; otherwise 404 like any unknown route). ${spec.description ?? ""}`.trim()
      : spec.description,
    tags: spec.tags,
    ...(spec.testMode ? { "x-test-mode-only": true } : {}),
    security: spec.testMode
      ? [{ testToken: [] }]
      : spec.raw
        ? []
        : spec.access === "public"
          ? [{}, { bearer: [] }, { session: [] }]
          : [{ bearer: [] }, { session: [] }],
    request: {
      params: spec.params as RouteConfig["request"] extends infer R ? (R extends { params?: infer P } ? P : never) : never,
      query: spec.query as RouteConfig["request"] extends infer R ? (R extends { query?: infer Q } ? Q : never) : never,
      body: body
        ? {
            required: !spec.raw,
            content: {
              "application/json": { schema: body, ...(spec.requestExample === undefined ? {} : { example: spec.requestExample }) },
            },
          }
        : undefined,
    },
    responses,
  };
}

/** Every operation the app serves, as [method, path, spec]: the routes the document is made of. */
export function operationsOf(app: RoutedApp): [string, string, OperationSpec][] {
  return app.routes.flatMap((r) => {
    const spec = operationOf(r.handler);
    return spec ? [[r.method, r.path, spec] as [string, string, OperationSpec]] : [];
  });
}

/** The OpenAPI 3.1 document, generated from the zod schemas of the routes the app really serves. */
export function buildOpenApiDocument(app: RoutedApp, extend?: (registry: OpenAPIRegistry) => void) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A token from `POST /api/auth/token`.",
  });
  registry.registerComponent("securitySchemes", "testToken", {
    type: "apiKey",
    in: "header",
    name: "X-Imdesk-Test-Token",
    description: "Test mode only: IMDESK_TEST_TOKEN (generated into DATA_DIR/test-token and printed at start when unset).",
  });
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "authjs.session-token",
    description:
      "The browser's Auth.js session (`__Secure-authjs.session-token` behind https). Requests that change state must be same-origin.",
  });
  for (const [method, path, spec] of operationsOf(app)) registry.registerPath(toRoute(method, path, spec));
  extend?.(registry);
  // The envelope with every code (unknown routes and methods answer it too), and the Socket.IO events' payloads.
  // (Message is registered by the routes that answer it; registering it first would lose its nullable uses.)
  const schemas = [
    errorSchema(),
    messageRevokedEventSchema,
    receiptsUpdateEventSchema,
    channelReadEventSchema,
    channelUpdatedEventSchema,
    sessionEndedEventSchema,
  ];
  const doc = new OpenApiGeneratorV31([
    ...registry.definitions,
    ...schemas.map((schema) => ({ type: "schema" as const, schema })),
  ]).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "imdesk API",
      version: "1",
      description:
        "The business server beside WuKongIM: message revoke, group read receipts with exact counts, the WuKongIM webhook, and the admin console's data. The rules, events and precise points are in docs/api.md; this document is generated from the code's zod schemas.",
    },
    servers: [{ url: "/" }],
  });
  // Server → client events on Socket.IO (path /socket.io); rules and timing in docs/api.md § Realtime.
  return {
    ...doc,
    "x-socketio-events": {
      "message:new": { $ref: "#/components/schemas/Message" },
      "message:revoked": { $ref: "#/components/schemas/MessageRevokedEvent" },
      "receipts:update": { $ref: "#/components/schemas/ReceiptsUpdateEvent" },
      "channel:read": { $ref: "#/components/schemas/ChannelReadEvent" },
      "channel:updated": { $ref: "#/components/schemas/ChannelUpdatedEvent" },
      "session:ended": { $ref: "#/components/schemas/SessionEndedEvent" },
    },
  };
}
