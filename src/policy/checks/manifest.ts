// `manifest`: a value in the manifest, found by JSON pointer (`*` for every item or member),
// must be present and/or satisfy a JSON Schema fragment.
// The fragment is a pack author's JSON Schema: its `pattern`/`patternProperties` regexes run on
// RE2 (linear time), never on JavaScript's backtracking RegExp, because the values they test are
// the manifest's, written by whoever opens the pull request.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expandPointer, getAt } from "../../util/pointer.js";
import { ajvRegExp } from "../../util/regex.js";
import { AJV_OPTIONS } from "../../util/schema-errors.js";
import type { CheckKind, CheckResult } from "../types.js";
import { fill } from "./template.js";

const compiled = new WeakMap<object, ValidateFunction>();

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
  formats: string[],
) => void;

let ajv: Ajv2020 | undefined;
/** Compiles a pack's schema fragment (lenient: unknown keywords are allowed), patterns on RE2; once per fragment object. */
export function compileFragment(schema: Record<string, unknown>): ValidateFunction {
  ajv ??= fragmentAjv(true);
  return compiledBy(compiled, ajv, schema);
}

// Rules run fragments the pack's validation checked against the JSON Schema meta-schema (or the
// built-in pack's, checked when it is built): compiling them without that check again saves
// compiling the meta-schema itself (70 ms, more than every fragment together) on every run.
let checkedAjv: Ajv2020 | undefined;
const compiledChecked = new WeakMap<object, ValidateFunction>();
function checkedFragment(schema: Record<string, unknown>): ValidateFunction {
  checkedAjv ??= fragmentAjv(false);
  return compiledBy(compiledChecked, checkedAjv, schema);
}

function fragmentAjv(validateSchema: boolean): Ajv2020 {
  const instance = new Ajv2020({ ...AJV_OPTIONS, strict: false, validateSchema, code: { regExp: ajvRegExp } });
  addFormats(instance, ["date", "uri", "date-time"]);
  return instance;
}

function compiledBy(table: WeakMap<object, ValidateFunction>, instance: Ajv2020, schema: Record<string, unknown>): ValidateFunction {
  let validate = table.get(schema);
  if (!validate) table.set(schema, (validate = instance.compile(schema)));
  return validate;
}

export const manifestCheck: CheckKind = {
  meta: {
    kind: "manifest",
    description: "A manifest value (JSON pointer, `*` for every item) must exist and/or satisfy a JSON Schema fragment.",
    paramsSchema: {
      type: "object",
      required: ["pointer"],
      properties: {
        pointer: { type: "string", pattern: "^(/[^/]*)*$", description: "JSON pointer into the manifest; `*` expands to every array item or object member." },
        required: { type: "boolean", description: "The value must be present." },
        schema: { type: "object", description: "JSON Schema (2020-12) the value must satisfy when present." },
      },
      additionalProperties: false,
      anyOf: [{ required: ["required"] }, { required: ["schema"] }],
    },
    placeholders: ["pointer", "value", "name"],
  },
  validate(params) {
    if (!params.schema) return undefined;
    try {
      compileFragment(params.schema as Record<string, unknown>);
      return undefined;
    } catch (e) {
      return `check.schema is not a valid JSON Schema: ${(e as Error).message}`;
    }
  },
  run(params, ctx) {
    if (ctx.system.synthetic) return [];
    const pointer = params.pointer as string;
    const schema = params.schema as object | undefined;
    const validate = schema ? checkedFragment(schema as Record<string, unknown>) : undefined;
    const results: CheckResult[] = [];
    for (const { pointer: p, value } of expandPointer(ctx.system.manifest, pointer)) {
      // For items of a list, name the item (its `name` field) in the message.
      const itemPointer = p
        .split("/")
        .slice(0, pointer.split("/").indexOf("*") + 1)
        .join("/");
      const item = pointer.includes("*") ? getAt(ctx.system.manifest, itemPointer) : undefined;
      const vars = { pointer: p, value: typeof value === "object" ? JSON.stringify(value) : value, name: (item as { name?: string } | undefined)?.name ?? "" };
      if (value === undefined) {
        if (params.required) results.push({ location: ctx.system.locate(p, "key"), key: `${p}:missing`, message: fill(ctx.rule.message, vars) });
        continue;
      }
      if (validate && !validate(value)) {
        results.push({ location: ctx.system.locate(p), key: `${p}:${JSON.stringify(value)}`, message: fill(ctx.rule.message, vars) });
      }
    }
    return results;
  },
};
