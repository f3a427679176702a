// GitHub's REST OpenAPI description (package @octokit/openapi, the one api.github.com file loaded
// directly) as a request and response validator for the fake API server.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema?: Schema;
  $ref?: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: Schema }>; required?: boolean };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema; examples?: Record<string, { $ref?: string; value?: unknown }> }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface MatchedOperation {
  template: string;
  method: string;
  operation: Operation;
  params: Record<string, string>;
}

/** Ajv 8 takes OpenAPI 3.0's `nullable` only beside `type`; rewrite the other uses to anyOf [..., null]. */
function fixNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullable);
  if (!node || typeof node !== "object") return node;
  const o: Schema = {};
  for (const [k, v] of Object.entries(node)) o[k] = fixNullable(v);
  // OpenAPI 3.0: nullable admits null even past an enum; Ajv's `nullable` only widens the type.
  if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...(o.enum as unknown[]), null];
  if (o.nullable === true && o.type === undefined) {
    delete o.nullable;
    return { anyOf: [o, { type: "null" }] };
  }
  return o;
}

function retarget(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(retarget);
  if (!node || typeof node !== "object") return node;
  const o: Schema = {};
  for (const [k, v] of Object.entries(node)) o[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `gh${v}` : retarget(v);
  return o;
}

export class OpenApi {
  readonly spec: Spec;
  private ajv: Ajv;
  private routes: { template: string; re: RegExp; literal: number; names: string[] }[];
  private cache = new Map<string, ValidateFunction>();

  constructor() {
    const file = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
    this.spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats.default(this.ajv);
    this.ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    this.ajv.addSchema({ $id: "gh", components: fixNullable(this.spec.components) } as Schema);
    this.routes = Object.keys(this.spec.paths).map((template) => {
      const names: string[] = [];
      const re = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), "([^/]+)")) + "$");
      return { template, re, names, literal: template.split("/").filter((s) => s && !s.startsWith("{")).length };
    });
    this.routes.sort((a, b) => b.literal - a.literal);
  }

  match(method: string, pathname: string): MatchedOperation | null {
    for (const r of this.routes) {
      const m = r.re.exec(pathname);
      const op = m && this.spec.paths[r.template]![method.toLowerCase()];
      if (m && op)
        return {
          template: r.template,
          method: method.toLowerCase(),
          operation: op,
          params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])),
        };
    }
    return null;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(retarget(fixNullable(schema)) as Schema);
      this.cache.set(key, v);
    }
    return v;
  }

  private resolve<T>(x: T & { $ref?: string }): T {
    if (!x.$ref) return x;
    const [, section, name] = x.$ref.split("/").slice(1);
    return this.spec.components[section!]![name!] as T;
  }

  /** Errors of a request against its operation: path and query parameters and the JSON body. */
  validateRequest(m: MatchedOperation, query: URLSearchParams, body: unknown): string[] {
    const errors: string[] = [];
    const params = (m.operation.parameters ?? []).map((p) => this.resolve(p));
    for (const p of params) {
      const raw = p.in === "path" ? m.params[p.name] : p.in === "query" ? (query.get(p.name) ?? undefined) : undefined;
      if (p.in === "header") continue;
      if (raw === undefined) {
        if (p.required) errors.push(`missing ${p.in} parameter ${p.name}`);
        continue;
      }
      const type = (p.schema as { type?: string } | undefined)?.type;
      const value = type === "integer" || type === "number" ? Number(raw) : type === "boolean" ? (raw === "true" ? true : raw === "false" ? false : raw) : raw;
      const v = this.validator(`${m.template} ${m.method} param ${p.name}`, p.schema ?? {});
      if (!v(value)) errors.push(`${p.in} parameter ${p.name}=${raw}: ${this.ajv.errorsText(v.errors)}`);
    }
    const known = new Set(params.filter((p) => p.in === "query").map((p) => p.name));
    for (const k of query.keys()) if (!known.has(k)) errors.push(`unknown query parameter ${k}`);
    const schema = m.operation.requestBody?.content?.["application/json"]?.schema;
    if (schema) {
      const v = this.validator(`${m.template} ${m.method} body`, schema);
      if (!v(body)) errors.push(`body: ${this.ajv.errorsText(v.errors, { separator: "; " })}`);
    } else if (body !== undefined && m.operation.requestBody === undefined) errors.push("a body was sent to an operation that takes none");
    return errors;
  }

  /** The operation's documented response for a status: schema check of `body`, and its example. */
  validateResponse(m: MatchedOperation, status: number, body: unknown): string[] {
    const r = m.operation.responses[String(status)];
    if (!r) return [`status ${status} is not a documented response of ${m.operation.operationId}`];
    const res = this.resolve(r);
    const schema = res.content?.["application/json"]?.schema;
    if (!schema) return body === undefined ? [] : [`status ${status} of ${m.operation.operationId} has no body`];
    const v = this.validator(`${m.template} ${m.method} response ${status}`, schema);
    return v(body) ? [] : [`response ${status}: ${this.ajv.errorsText(v.errors, { separator: "; " })}`];
  }

  /** The documented example of a response (a template for the fake server's answers). */
  example(m: MatchedOperation, status: number): unknown {
    const r = this.resolve(m.operation.responses[String(status)]!);
    const ex = Object.values(r.content?.["application/json"]?.examples ?? {})[0];
    if (!ex) return undefined;
    const value = ex.$ref ? (this.spec.components.examples![ex.$ref.split("/").pop()!] as { value: unknown }).value : ex.value;
    return structuredClone(value);
  }
}
