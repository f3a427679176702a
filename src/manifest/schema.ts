// The JSON Schema of ai-system.yaml, generated from the taxonomy so that editors complete fact and
// control ids and a new fact or control needs no code change. `npm run generate` writes it to schemas/.
// Only keywords that draft-07 editors (yaml-language-server) read the same way are used.
import type { Taxonomy } from "../exchange/types.js";
import { MANIFEST_MODEL_FORMATS } from "../inventory/scanners/models/formats/index.js";

const str = (maxLength = 500, extra: Record<string, unknown> = {}) => ({ type: "string", minLength: 1, maxLength, ...extra });
const strList = (maxItems = 100, item: Record<string, unknown> = str()) => ({ type: "array", items: item, maxItems });
// Dates are checked by pattern here and for real calendar dates by the loader, so the schema needs
// no format plugin and compiles to a standalone validator.
const date = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "A date, YYYY-MM-DD (quote it or not: YAML 1.2 reads it as a string)." };
const closed = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
  patternProperties: { "^x-": {} },
  ...extra,
});

export const MANIFEST_SCHEMA_ID = "https://github.com/aigate-dev/aigate/schemas/ai-system.schema.json";

export function buildManifestSchema(t: Taxonomy): Record<string, unknown> {
  const facts = Object.fromEntries(
    t.profileFacts.map((f) => [f.id, { type: "boolean", description: `${f.question}${f.core ? "" : ` (optional; default ${f.default})`}` }]),
  );
  const controls = Object.fromEntries(t.controls.map((c) => [c.id, { $ref: "#/$defs/controlClaim", description: `${c.title} — ${c.link}` }]));
  const idPattern = { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_-]{1,63}$" };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: MANIFEST_SCHEMA_ID,
    title: "aigate AI system manifest (ai-system.yaml)",
    description: "Describes one AI system: its Exchange profile, models, data, tools, claimed controls, supplier responsibilities and risk acceptances.",
    ...closed(
      {
        apiVersion: { const: "aigate/v1", description: "Manifest format version." },
        name: str(64, { pattern: "^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$", description: "Unique system name: lower case, digits and dashes." }),
        description: str(4000),
        owner: closed({ team: str(200), contact: str(500) }, ["team", "contact"], { description: "Who is accountable for the system." }),
        profile: closed(facts, [], {
          description: "Facts that decide which OWASP AI Exchange threats apply. Omit a fact you do not know: the analysis then assumes the worst.",
        }),
        ignore: strList(100),
        models: { type: "array", maxItems: 200, items: { $ref: "#/$defs/model" } },
        datasets: { type: "array", maxItems: 200, items: { $ref: "#/$defs/dataset" } },
        tools: { type: "array", maxItems: 200, items: { $ref: "#/$defs/tool" } },
        controls: closed(controls, [], { description: "Exchange controls the system claims, keyed by control id." }),
        responsibilities: { type: "array", maxItems: 100, items: { $ref: "#/$defs/responsibility" } },
        riskAcceptances: { type: "array", maxItems: 200, items: { $ref: "#/$defs/riskAcceptance" } },
      },
      ["apiVersion", "name", "owner", "profile"],
    ),
    $defs: {
      model: closed(
        {
          name: str(128, { pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$" }),
          role: { enum: ["primary", "base", "adapter", "embedding", "classifier", "guardrail", "reranker", "other"] },
          path: str(1000, { description: "Weights in the repository, relative to this file (a leading / is the repository root)." }),
          provider: str(200, { description: "The supplier that runs the model (e.g. azure-openai): the model is hosted externally." }),
          id: str(200, { description: "The provider's model id, with its version." }),
          source: closed({ uri: str(1000), revision: str(200, { description: "Commit hash or digest the download is pinned to; quote it." }) }, ["uri"]),
          sha256: { type: "string", pattern: "^[0-9a-f]{64}$", description: "sha256 of the weights file, quoted." },
          format: { enum: [...MANIFEST_MODEL_FORMATS] },
          license: str(200),
          baseModel: str(128),
          trainedOn: strList(50),
        },
        ["name"],
      ),
      dataset: closed(
        {
          name: str(128),
          use: { type: "array", minItems: 1, maxItems: 6, items: { enum: ["training", "fine-tuning", "evaluation", "augmentation", "prompt", "other"] } },
          paths: strList(100),
          uri: str(1000),
          provenance: closed(
            {
              origin: { enum: ["internal", "customer", "vendor", "public", "scraped", "synthetic", "user-generated"] },
              supplier: str(200),
              uri: str(1000),
              revision: str(200),
              collection: str(1000),
            },
            ["origin"],
          ),
          sensitivity: { enum: ["public", "internal", "confidential", "restricted"] },
          personalData: { enum: ["none", "anonymised", "pseudonymised", "identifiable", "special-category"] },
          anonymization: str(1000),
          retention: str(100, {
            pattern: "^(indefinite|P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?)$",
            description: "ISO 8601 duration (P2Y, P90D) or 'indefinite'.",
          }),
          license: str(200),
        },
        ["name", "use", "sensitivity", "personalData"],
      ),
      tool: closed(
        {
          name: str(128),
          kind: { enum: ["function", "plugin", "mcp-server", "agent", "api", "other"] },
          privileges: {
            type: "array",
            uniqueItems: true,
            maxItems: 9,
            items: { enum: ["read", "write", "delete", "execute", "network", "send", "payments", "admin"] },
          },
          resources: strList(50),
          actsAs: { enum: ["user", "service"] },
          humanApproval: { enum: ["always", "on-write", "never"] },
          path: str(1000),
        },
        ["name", "privileges", "humanApproval"],
      ),
      controlClaim: closed(
        {
          status: { enum: ["implemented", "partial", "planned", "not-applicable"] },
          evidence: strList(50),
          note: str(2000),
          due: date,
        },
        ["status"],
        {
          allOf: [
            { if: { properties: { status: { enum: ["implemented", "partial"] } }, required: ["status"] }, then: { required: ["evidence"] } },
            { if: { properties: { status: { const: "not-applicable" } }, required: ["status"] }, then: { required: ["note"] } },
            { if: { properties: { status: { const: "planned" } }, required: ["status"] }, then: { required: ["due"] } },
          ],
        },
      ),
      responsibility: closed(
        {
          supplier: str(200),
          models: strList(50),
          share: { enum: ["supplier", "shared"] },
          threats: strList(60, idPattern),
          controls: strList(60, idPattern),
          assurance: { ...strList(50), minItems: 1 },
          reviewed: date,
          expires: date,
          note: str(2000),
        },
        ["supplier", "share", "assurance"],
        { anyOf: [{ required: ["threats"] }, { required: ["controls"] }] },
      ),
      riskAcceptance: closed(
        {
          id: str(100),
          rule: str(100),
          control: idPattern,
          threat: idPattern,
          paths: { ...strList(50), description: "Globs of the paths (relative to the checked folder) whose findings it accepts." },
          fingerprints: {
            ...strList(200, { type: "string", pattern: "^[0-9a-fA-F]{32}$" }),
            minItems: 1,
            description: "Exact findings it accepts, by the fingerprint reports show: the narrowest acceptance, which covers no problem it does not name.",
          },
          packages: {
            ...strList(100, str(214)),
            minItems: 1,
            description: "Packages whose findings it accepts (e.g. torch); a finding about another package stays open.",
          },
          advisories: {
            ...strList(200, str(100)),
            minItems: 1,
            description: "Advisory ids or aliases (PYSEC-, GHSA-, CVE-) it accepts; a finding is accepted only when every advisory it reports is named.",
          },
          models: {
            ...strList(100, str(1000)),
            minItems: 1,
            description: "Models whose findings it accepts: a models[].name, a model file's path or a hub id.",
          },
          justification: str(4000, { minLength: 20 }),
          approver: str(200),
          approved: date,
          expires: date,
          ticket: str(200),
        },
        ["justification", "approver", "expires"],
        { anyOf: [{ required: ["rule"] }, { required: ["control"] }, { required: ["threat"] }, { required: ["fingerprints"] }] },
      ),
    },
  };
}
