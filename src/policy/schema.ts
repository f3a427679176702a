// The JSON Schema of a policy pack, built from the taxonomy and the check-kind registry so that
// editors complete control ids, threat ids and check kinds. `npm run generate` writes it to schemas/.
import { loadCrosswalk } from "../crosswalk/index.js";
import type { Taxonomy } from "../exchange/types.js";
import type { CheckKind } from "./types.js";

export const PACK_SCHEMA_ID = "https://github.com/aigate-dev/aigate/schemas/policy-pack.schema.json";

export function buildPackSchema(t: Taxonomy, kinds: readonly CheckKind[]): Record<string, unknown> {
  const severity = { enum: ["error", "warning", "note"] };
  const controlId = { enum: t.controls.map((c) => c.id), description: "An OWASP AI Exchange control id." };
  const threatId = { enum: t.threats.map((x) => x.id) };
  const standards = loadCrosswalk().standards.map((s) => s.id);
  const globs = { type: "array", items: { type: "string", minLength: 1, maxLength: 500 }, maxItems: 200 };
  const ruleId = { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 80, description: "Stable kebab-case id, never reused." };
  const checkBranches = kinds.map((k) => ({
    if: { properties: { kind: { const: k.meta.kind } }, required: ["kind"] },
    then: {
      properties: { kind: { const: k.meta.kind }, ...((k.meta.paramsSchema.properties as object) ?? {}) },
      required: ["kind", ...((k.meta.paramsSchema.required as string[]) ?? [])],
      additionalProperties: false,
    },
  }));
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: PACK_SCHEMA_ID,
    title: "aigate policy pack",
    description: "Rules that check OWASP AI Exchange controls against a system's manifest and repository.",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "name", "version"],
    properties: {
      apiVersion: { const: "aigate/v1" },
      kind: { const: "PolicyPack" },
      name: { type: "string", minLength: 1, maxLength: 100 },
      version: { type: "string", minLength: 1, maxLength: 40 },
      description: { type: "string", maxLength: 4000 },
      extends: {
        type: "array",
        items: { type: "string", minLength: 1, maxLength: 500 },
        maxItems: 50,
        description: "Other local packs (paths relative to this file), loaded first.",
      },
      rules: { type: "array", maxItems: 1000, items: { $ref: "#/$defs/rule" } },
      overrides: { type: "array", maxItems: 1000, items: { $ref: "#/$defs/override" } },
      settings: {
        type: "object",
        description: "Settings for scanners, merged across packs (lists are concatenated).",
        properties: {
          modelAllowlist: {
            type: "array",
            maxItems: 10000,
            description: "Globals (module + name) the model scanner treats as safe for this organisation.",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["module", "name", "reason"],
              properties: { module: { type: "string", minLength: 1 }, name: { type: "string", minLength: 1 }, reason: { type: "string", minLength: 1 } },
            },
          },
        },
      },
    },
    $defs: {
      rule: {
        type: "object",
        additionalProperties: false,
        required: ["id", "title", "control", "threats", "severity", "check", "message", "remediation", "link"],
        properties: {
          id: ruleId,
          title: { type: "string", minLength: 1, maxLength: 200 },
          control: controlId,
          threats: { type: "array", items: threatId, maxItems: 60 },
          severity,
          when: {
            type: "object",
            additionalProperties: false,
            properties: {
              threats: { type: "array", items: threatId, minItems: 1, maxItems: 60 },
              facts: { type: "object", propertyNames: { enum: t.profileFacts.map((f) => f.id) }, additionalProperties: { type: "boolean" } },
              always: { type: "boolean" },
              standards: {
                type: "array",
                minItems: 1,
                maxItems: 100,
                description:
                  "Run only when the rule maps, through its control and threats, to one of these (policies/crosswalk/): a standard id, or <standard>/<item> (e.g. owasp-llm-2025/LLM01).",
                // The enum completes standard ids in an editor; the loader checks every id and item, with "did you mean".
                items: { anyOf: [{ enum: standards }, { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*(/[A-Za-z0-9][A-Za-z0-9.:-]*)?$", maxLength: 100 }] },
              },
            },
          },
          check: {
            type: "object",
            required: ["kind"],
            properties: { kind: { enum: kinds.map((k) => k.meta.kind) } },
            allOf: checkBranches,
          },
          message: { type: "string", minLength: 1, maxLength: 2000 },
          remediation: { type: "string", minLength: 1, maxLength: 4000 },
          link: { type: "string", pattern: "^https?://[^\\s]+$", maxLength: 2000 },
          paths: globs,
          enabled: { type: "boolean" },
          sources: {
            type: "object",
            description: "The same requirement in other frameworks (ISO/IEC 42001, NIST AI RMF, ...).",
            additionalProperties: { type: "string" },
          },
        },
      },
      override: {
        type: "object",
        additionalProperties: false,
        required: ["rule"],
        properties: { rule: ruleId, enabled: { type: "boolean" }, severity, paths: globs },
      },
    },
  };
}
