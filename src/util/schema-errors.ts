// Turns ajv errors into located, readable problems: the field named, the YAML pitfall explained,
// "did you mean" for unknown keys and enum values.
import { redactText } from "./redact.js";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { didYouMean } from "./suggest.js";
import { joinPointer } from "./pointer.js";
import { nearestRange, type YamlSource } from "./yaml-source.js";

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
  formats: string[],
) => void;

export interface SchemaProblem {
  pointer: string;
  message: string;
  offset: number;
  keyword: string;
}

export const AJV_OPTIONS = { allErrors: true, verbose: true, strictRequired: false, allowUnionTypes: true, addUsedSchema: false, inlineRefs: false } as const;

// One Ajv instance per mode: creating an instance compiles the 2020-12 meta-schema, which costs
// far more than compiling our schemas.
const instances: { strict?: Ajv2020; lenient?: Ajv2020 } = {};

function ajvFor(lenient: boolean): Ajv2020 {
  const key = lenient ? "lenient" : "strict";
  let ajv = instances[key];
  if (!ajv) {
    ajv = new Ajv2020({ ...AJV_OPTIONS, strict: !lenient });
    addFormats(ajv, ["date", "uri", "date-time"]);
    instances[key] = ajv;
  }
  return ajv;
}

/** Compiles one of aigate's own schemas (strict), or a rule's schema fragment written by a pack author (lenient). */
export function compileSchema(schema: Record<string, unknown>, opts: { lenient?: boolean } = {}): ValidateFunction {
  return ajvFor(opts.lenient === true).compile(schema);
}

function fieldName(pointer: string): string {
  return pointer === "" ? "the document" : pointer.slice(1).replace(/\//g, ".").replace(/~1/g, "/").replace(/~0/g, "~");
}

function describeValue(src: YamlSource, pointer: string, data: unknown): string {
  const r = src.ranges.get(pointer);
  // Redact before cutting: a cut URL or token is no longer recognisable as one.
  const raw = redactText(r ? src.text.slice(r.value[0], r.value[1]) : JSON.stringify(data));
  return raw.length > 40 ? raw.slice(0, 37) + "..." : raw;
}

function typeHint(src: YamlSource, e: ErrorObject): string {
  const want = String((e.params as { type?: string }).type);
  const data = e.data;
  if (want === "boolean" && typeof data === "string" && /^(yes|no|on|off|y|n)$/i.test(data)) return ` ("${data}" is a string in YAML 1.2; write true or false)`;
  if (want.includes("string") && typeof data === "number") return ` (YAML read ${describeValue(src, e.instancePath, data)} as a number; quote it)`;
  if (want.includes("string") && typeof data === "boolean") return ` (YAML read ${data} as a boolean; quote it)`;
  if (data === null) {
    const r = src.ranges.get(e.instancePath);
    const line = r?.key ? src.text.slice(r.key[1], src.text.indexOf("\n", r.key[1]) >>> 0) : "";
    if (/:\s*#/.test(line)) return " (a bare # starts a comment; quote the value)";
    return " (the value is empty; omit the key to leave it unstated)";
  }
  return "";
}

export function schemaProblems(src: YamlSource, validate: ValidateFunction, data: unknown): SchemaProblem[] {
  if (validate(data)) return [];
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // `if` and `anyOf` wrap the errors that say what is wrong; keep those.
    if (e.keyword === "if") continue;
    let pointer = e.instancePath;
    let message: string;
    let at: "key" | "value" = "value";
    const field = fieldName(pointer);
    switch (e.keyword) {
      case "additionalProperties": {
        const prop = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        pointer = joinPointer(pointer, prop);
        at = "key";
        message = prop === "<<" ? "merge keys (<<) are not supported" : `unknown key "${prop}" in ${field}${didYouMean(prop, known)}`;
        break;
      }
      case "required": {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        at = "key";
        message = `${field} is missing the required key "${missing}"`;
        break;
      }
      case "enum": {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const got = String(e.data);
        const hint = didYouMean(got, allowed);
        message = `${field} must be one of ${allowed.join(", ")}; got "${got}"${hint}`;
        break;
      }
      case "const":
        message = `${field} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
        break;
      case "type":
        message = `${field} must be ${(e.params as { type: string }).type}${typeHint(src, e)}`;
        break;
      case "anyOf": {
        const branches = ((e.schema as object[]) ?? []).map((s) => (s as { required?: string[] }).required?.join(" + ")).filter(Boolean);
        if (branches.length !== (e.schema as object[]).length) continue;
        at = "key";
        message = `${field} needs at least one of: ${branches.join(", ")}`;
        break;
      }
      case "format":
        message = `${field} must be a valid ${(e.params as { format: string }).format}${(e.params as { format: string }).format === "date" ? " (YYYY-MM-DD)" : ""}; got ${describeValue(src, pointer, e.data)}`;
        break;
      case "pattern":
        message = `${field} has an invalid value ${describeValue(src, pointer, e.data)}${typeof e.data === "number" ? " (YAML read it as a number; quote it)" : ""}`;
        break;
      default:
        message = `${field} ${e.message ?? "is invalid"}`;
    }
    const dedupe = `${pointer}|${e.keyword}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const r = src.ranges.get(pointer) ?? nearestRange(src.ranges, pointer);
    const offset = r ? (at === "key" && r.key ? r.key[0] : r.value[0]) : 0;
    out.push({ pointer, message, offset, keyword: e.keyword });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
