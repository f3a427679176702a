// Loads one ai-system.yaml: safe YAML with positions, schema validation, then the checks a schema
// cannot express (unique names, references, Exchange ids and aliases, contradicting facts).
// Every problem is a located diagnostic; a manifest with errors yields no System.
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { factConflicts } from "../exchange/analysis.js";
import { resolveId } from "../exchange/taxonomy.js";
import type { Taxonomy } from "../exchange/types.js";
import type { Diagnostic, DiagnosticId } from "../findings/diagnostics.js";
import type { Location } from "../inventory/types.js";
import { checkGlob } from "../util/glob.js";
import { joinPointer } from "../util/pointer.js";
import * as validators from "../generated/validators.js";
import { schemaProblems } from "../util/schema-errors.js";
import { didYouMean } from "../util/suggest.js";
import { nearestRange, parseYamlSource, type YamlSource } from "../util/yaml-source.js";
import type { Manifest, ManifestSource, System } from "./types.js";

export interface LoadedManifest {
  system?: System;
  diagnostics: Diagnostic[];
  /** The system name when it could be read, even from an invalid manifest. */
  name: string | null;
}

// The manifest schema is compiled ahead of time (src/generated, `npm run generate`): compiling it
// at every run would cost more than the rest of the run on a small repository.
function manifestValidator(_t: Taxonomy): ValidateFunction {
  return validators.manifest;
}

export function makeLocator(path: string, src: Pick<YamlSource, "ranges" | "position">) {
  return (pointer: string, prefer: "key" | "value" = "value"): Location => {
    const r = src.ranges.get(pointer) ?? nearestRange(src.ranges, pointer);
    if (!r) return { path, line: 1, column: 1 };
    const [start, end] = prefer === "key" && r.key ? r.key : r.value;
    const s = src.position(start);
    const e = src.position(end);
    return { path, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  };
}

export async function loadManifest(root: string, relPath: string, taxonomy: Taxonomy): Promise<LoadedManifest> {
  let raw: string;
  try {
    raw = await readFile(join(root, relPath), "utf8");
  } catch (e) {
    return {
      name: null,
      diagnostics: [
        {
          id: "manifest-yaml",
          message: `cannot read the manifest: ${(e as Error).message}`,
          location: { path: relPath, line: 1, column: 1 },
          key: "unreadable",
          system: null,
        },
      ],
    };
  }
  return parseManifest(relPath, raw, taxonomy);
}

export function parseManifest(relPath: string, raw: string, taxonomy: Taxonomy): LoadedManifest {
  const src = parseYamlSource(raw);
  const at = (offset: number): Location => ({ path: relPath, ...src.position(offset) });
  const locate = makeLocator(relPath, src);
  const value = src.value as Record<string, unknown> | undefined;
  const name = value && typeof value === "object" && typeof value.name === "string" ? value.name : null;
  const diagnostics: Diagnostic[] = [];
  const add = (id: DiagnosticId, message: string, location: Location, key: string) => diagnostics.push({ id, message, location, key, system: name });

  for (const p of src.problems) add("manifest-yaml", p.message, at(p.offset), `${p.code}:${p.message}`);
  if (src.problems.some((p) => p.fatal) || !value) return { name, diagnostics };
  if (typeof value !== "object" || Array.isArray(value)) {
    add(
      "manifest-schema",
      "the manifest must be a mapping of keys (apiVersion, name, owner, profile, ...)",
      { path: relPath, line: 1, column: 1 },
      "not-a-mapping",
    );
    return { name, diagnostics };
  }

  normaliseIds(value, src, taxonomy, relPath, add, locate);
  for (const p of schemaProblems(src, manifestValidator(taxonomy), value))
    add("manifest-schema", p.message, at(p.offset), `${p.pointer}|${p.keyword}|${p.message}`);
  const m = value as unknown as Manifest;
  checkSemantics(m, taxonomy, add, locate);

  if (diagnostics.some((d) => d.id !== "manifest-old-id")) return { name, diagnostics };
  const source: ManifestSource = { path: relPath, text: src.text, ranges: src.ranges, position: src.position };
  const folder = posix.dirname(relPath) === "." ? "" : posix.dirname(relPath);
  const system: System = { manifest: m, source, folder, excludedFolders: [], synthetic: false, locate };
  return { system, diagnostics, name };
}

type Add = (id: DiagnosticId, message: string, location: Location, key: string) => void;
type Locate = (pointer: string, prefer?: "key" | "value") => Location;

/** Maps older Exchange slugs and other spellings to current ids (with a note), before the schema sees them. */
function normaliseIds(value: Record<string, unknown>, src: YamlSource, t: Taxonomy, path: string, add: Add, locate: Locate): void {
  const controls = value.controls;
  if (controls && typeof controls === "object" && !Array.isArray(controls)) {
    const c = controls as Record<string, unknown>;
    for (const key of Object.keys(c)) {
      if (key.startsWith("x-") || t.controls.some((x) => x.id === key)) continue;
      const r = resolveId(t.controls, key);
      const ptr = joinPointer("/controls", key);
      if (r && !(r.id in c)) {
        add("manifest-old-id", `control "${key}" is written "${r.id}" in the current Exchange`, locate(ptr, "key"), `controls:${key}`);
        c[r.id] = c[key];
        delete c[key];
        moveRanges(src, ptr, joinPointer("/controls", r.id));
      } else if (!r && resolveId(t.threats, key)) {
        add("manifest-reference", `"${key}" is an Exchange threat, not a control: list the controls that mitigate it`, locate(ptr, "key"), `controls:${key}`);
        delete c[key];
      }
    }
  }
  const fixList = (pointer: string, items: unknown, kind: "threats" | "controls") => {
    if (!Array.isArray(items)) return;
    items.forEach((id, i) => {
      if (typeof id !== "string") return;
      fixOne(joinPointer(pointer, i), id, kind, (v) => (items[i] = v));
    });
  };
  const fixOne = (ptr: string, id: string, kind: "threats" | "controls", set: (v: string) => void) => {
    const list = kind === "threats" ? t.threats : t.controls;
    const r = resolveId(list, id);
    if (r?.writtenAs) {
      add("manifest-old-id", `${kind === "threats" ? "threat" : "control"} "${id}" is written "${r.id}" in the current Exchange`, locate(ptr), `${ptr}:${id}`);
      set(r.id);
    } else if (!r) {
      const other = kind === "threats" ? t.controls : t.threats;
      const hint = resolveId(other, id)
        ? ` ("${id}" is an Exchange ${kind === "threats" ? "control" : "threat"})`
        : didYouMean(
            id,
            list.map((x) => x.id),
          );
      add("manifest-reference", `unknown Exchange ${kind === "threats" ? "threat" : "control"} "${id}"${hint}`, locate(ptr), `${ptr}:${id}`);
    }
  };
  const resp = value.responsibilities;
  if (Array.isArray(resp)) {
    resp.forEach((r, i) => {
      if (!r || typeof r !== "object") return;
      fixList(`/responsibilities/${i}/threats`, (r as Record<string, unknown>).threats, "threats");
      fixList(`/responsibilities/${i}/controls`, (r as Record<string, unknown>).controls, "controls");
    });
  }
  const ras = value.riskAcceptances;
  if (Array.isArray(ras)) {
    ras.forEach((ra, i) => {
      if (!ra || typeof ra !== "object") return;
      const o = ra as Record<string, unknown>;
      if (typeof o.threat === "string") fixOne(`/riskAcceptances/${i}/threat`, o.threat, "threats", (v) => (o.threat = v));
      if (typeof o.control === "string") fixOne(`/riskAcceptances/${i}/control`, o.control, "controls", (v) => (o.control = v));
    });
  }
  void path;
}

function moveRanges(src: YamlSource, from: string, to: string): void {
  for (const [k, v] of [...src.ranges]) {
    if (k === from || k.startsWith(from + "/")) src.ranges.set(to + k.slice(from.length), v);
  }
}

const fieldName = (ptr: string) => ptr.slice(1).split("/").join(".");

function checkSemantics(m: Manifest, t: Taxonomy, add: Add, locate: Locate): void {
  const unique = (list: { name?: unknown }[] | undefined, what: string, base: string) => {
    const seen = new Map<string, number>();
    (Array.isArray(list) ? list : []).forEach((item, i) => {
      if (!item || typeof item.name !== "string") return;
      const prev = seen.get(item.name);
      if (prev !== undefined)
        add(
          "manifest-schema",
          `${what} name "${item.name}" is used twice (first at ${base}[${prev}])`,
          locate(`/${base}/${i}/name`),
          `${base}:dup:${item.name}`,
        );
      else seen.set(item.name, i);
    });
    return seen;
  };
  const models = unique(m.models, "model", "models");
  const datasets = unique(m.datasets, "dataset", "datasets");
  unique(m.tools, "tool", "tools");

  // Globs are bounded before any use (size, brace expansion): one that is not would be ignored, so say so.
  const glob = (ptr: string, g: unknown) => {
    const problem = typeof g === "string" ? checkGlob(g) : null;
    if (problem) add("manifest-schema", `${fieldName(ptr)}: ${problem}`, locate(ptr), `${ptr}:glob`);
  };
  (Array.isArray(m.ignore) ? m.ignore : []).forEach((g, i) => glob(`/ignore/${i}`, g));
  (Array.isArray(m.datasets) ? m.datasets : []).forEach((d, i) =>
    (Array.isArray(d?.paths) ? d.paths : []).forEach((g, j) => glob(`/datasets/${i}/paths/${j}`, g)),
  );
  (Array.isArray(m.riskAcceptances) ? m.riskAcceptances : []).forEach((a, i) =>
    (Array.isArray(a?.paths) ? a.paths : []).forEach((g, j) => glob(`/riskAcceptances/${i}/paths/${j}`, g)),
  );
  for (const [id, claim] of Object.entries(m.controls && typeof m.controls === "object" ? m.controls : {})) {
    (Array.isArray(claim?.evidence) ? claim.evidence : []).forEach((g, j) => glob(joinPointer(joinPointer("/controls", id), "evidence") + `/${j}`, g));
  }

  const ref = (ptr: string, name: unknown, known: Map<string, number>, what: string) => {
    if (typeof name === "string" && !known.has(name)) {
      add("manifest-reference", `${what} "${name}" is not defined in this manifest${didYouMean(name, [...known.keys()])}`, locate(ptr), `${ptr}:${name}`);
    }
  };
  (Array.isArray(m.models) ? m.models : []).forEach((model, i) => {
    if (!model || typeof model !== "object") return;
    (Array.isArray(model.trainedOn) ? model.trainedOn : []).forEach((d, j) => ref(`/models/${i}/trainedOn/${j}`, d, datasets, "dataset"));
    ref(`/models/${i}/baseModel`, model.baseModel, models, "model");
    const where = [model.path !== undefined, model.provider !== undefined, model.source !== undefined];
    if (!where.some(Boolean)) {
      add(
        "manifest-schema",
        `model "${model.name}" must say where it lives: path (weights in the repository), provider + id (hosted by a supplier) or source (downloaded)`,
        locate(`/models/${i}`),
        `/models/${i}:where`,
      );
    } else if (model.provider !== undefined && model.path !== undefined) {
      add(
        "manifest-schema",
        `model "${model.name}" has both path and provider: a model is either in the repository or hosted by a supplier`,
        locate(`/models/${i}/provider`, "key"),
        `/models/${i}:path+provider`,
      );
    } else if (model.provider !== undefined && model.id === undefined) {
      add(
        "manifest-schema",
        `model "${model.name}" has a provider but no id: name the provider's model id with its version`,
        locate(`/models/${i}/provider`, "key"),
        `/models/${i}:provider-id`,
      );
    }
  });
  (Array.isArray(m.responsibilities) ? m.responsibilities : []).forEach((r, i) =>
    (Array.isArray(r?.models) ? r.models : []).forEach((name, j) => ref(`/responsibilities/${i}/models/${j}`, name, models, "model")),
  );
  const escapes = (p: unknown) => typeof p === "string" && !/^https?:\/\//.test(p) && posix.normalize(p.replace(/^\/+/, "")).startsWith("..");
  const pathFields: [string, unknown][] = [];
  (Array.isArray(m.models) ? m.models : []).forEach((x, i) => pathFields.push([`/models/${i}/path`, x?.path]));
  (Array.isArray(m.tools) ? m.tools : []).forEach((x, i) => pathFields.push([`/tools/${i}/path`, x?.path]));
  for (const [id, c] of Object.entries(m.controls && typeof m.controls === "object" ? m.controls : {})) {
    (Array.isArray(c?.evidence) ? c.evidence : []).forEach((e, j) => pathFields.push([`/controls/${id}/evidence/${j}`, e]));
  }
  for (const [ptr, p] of pathFields) {
    if (escapes(p)) add("manifest-schema", `path "${String(p)}" leaves the repository and is never read`, locate(ptr), `${ptr}:escapes`);
  }
  const dates: [string, unknown][] = [];
  for (const [id, c] of Object.entries(m.controls && typeof m.controls === "object" ? m.controls : {})) dates.push([`/controls/${id}/due`, c?.due]);
  (Array.isArray(m.responsibilities) ? m.responsibilities : []).forEach((r, i) =>
    dates.push([`/responsibilities/${i}/reviewed`, r?.reviewed], [`/responsibilities/${i}/expires`, r?.expires]),
  );
  (Array.isArray(m.riskAcceptances) ? m.riskAcceptances : []).forEach((r, i) =>
    dates.push([`/riskAcceptances/${i}/approved`, r?.approved], [`/riskAcceptances/${i}/expires`, r?.expires]),
  );
  for (const [ptr, d] of dates) {
    if (typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) && !isCalendarDate(d))
      add("manifest-schema", `${ptr.slice(1).replace(/\//g, ".")} is not a calendar date: ${d}`, locate(ptr), `${ptr}:date`);
  }
  if (m.profile && typeof m.profile === "object") {
    for (const c of factConflicts(t, m.profile)) {
      add("profile-fact-conflict", `profile.${c.fact} contradicts profile.${c.because}: ${c.why}`, locate(`/profile/${c.fact}`), `conflict:${c.fact}`);
    }
  }
}

function isCalendarDate(d: string): boolean {
  const t = Date.parse(d + "T00:00:00Z");
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}
