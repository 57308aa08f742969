import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";

// ajv and ajv-formats are CommonJS; their default export sits on module.exports.
const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default as typeof import("ajv").default;
const addFormats = require("ajv-formats").default as (ajv: InstanceType<typeof Ajv2020>) => void;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: unknown;
}

/**
 * The API's own OpenAPI document as a checker: every answer a test receives
 * must have its status listed for its operation and its body valid against
 * that status's schema, so the document cannot lie without a test failing.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false });
  private readonly routes: { pattern: RegExp; template: string }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly doc: Document) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: "doc", components: doc.components ?? {} });
    this.routes = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}/?$`),
    }));
  }

  private static cache = new Map<string, Promise<Contract>>();

  /** The document the server at baseUrl serves, fetched once per server. */
  static of(baseUrl: string): Promise<Contract> {
    let c = Contract.cache.get(baseUrl);
    if (!c) {
      c = fetch(`${baseUrl}/api/openapi.json`).then(async (res) => {
        if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
        return new Contract((await res.json()) as Document);
      });
      Contract.cache.set(baseUrl, c);
    }
    return c;
  }

  /** Throws when the answer is not what the document says this operation answers. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown) {
    const pathname = new URL(url, "http://x").pathname;
    const route = this.routes.find((r) => r.pattern.test(pathname));
    const where = `${method} ${pathname} → ${status}`;
    // Unknown routes and methods answer the error envelope (404/405), documented by the routes that exist.
    const op = route ? this.doc.paths[route.template][(method === "HEAD" ? "GET" : method).toLowerCase()] : undefined;
    if (!op) {
      if (status !== 404 && status !== 405) throw new Error(`${where}: not in the OpenAPI document`);
      return this.validate(where, { $ref: "doc#/components/schemas/Error" }, body);
    }
    const response = op.responses?.[String(status)];
    if (!response)
      throw new Error(`${where}: status not listed for ${route?.template} (lists ${Object.keys(op.responses ?? {}).join(", ")})`);
    if (method === "HEAD" || !response.content) return;
    const [mediaType, media] = Object.entries(response.content)[0];
    if (mediaType !== "application/json") {
      if (!contentType?.startsWith(mediaType)) throw new Error(`${where}: content-type ${contentType}, document says ${mediaType}`);
      return;
    }
    if (media.schema) this.validate(where, media.schema, body);
  }

  private validate(where: string, schema: unknown, body: unknown) {
    const key = JSON.stringify(schema);
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(JSON.parse(key.replaceAll('"#/components/', '"doc#/components/')));
      this.validators.set(key, v);
    }
    if (!v(body))
      throw new Error(
        `${where}: body does not match the document: ${this.ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
      );
  }
}
