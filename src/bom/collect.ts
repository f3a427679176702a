// What an AI bill of materials says about each system, gathered once: the run's report (the
// Exchange analysis and control statuses, the model files with their hashes, formats and verdicts),
// the validated manifest (models, datasets, tools, owner), and the agents and dependency scanners'
// facts (MCP servers; AI/ML libraries with their pinned versions), limited to the files the system
// governs. Nothing here reads beyond what the gate itself reads.
import { posix } from "node:path";
import { loadTaxonomy } from "../exchange/taxonomy.js";
import type { ThreatAssessment } from "../exchange/types.js";
import { scanContext } from "../inventory/context.js";
import { agentsScanner, type AgentFacts, type AgentServerFact } from "../inventory/scanners/agents/index.js";
import { isAiLibrary } from "../inventory/scanners/dependencies/libraries.js";
import { dependencyScanner } from "../inventory/scanners/dependencies/scanner.js";
import { hashModelFiles } from "../inventory/scanners/models/index.js";
import type { ModelArtifact } from "../inventory/types.js";
import { isUnder, walkRepository } from "../inventory/walk.js";
import { loadManifest } from "../manifest/load.js";
import type { DatasetEntry, Manifest, ModelEntry, ToolEntry } from "../manifest/types.js";
import type { Report } from "../report/types.js";
import { run, type RunOptions } from "../run.js";
import { findRepository, headCommit } from "../util/git.js";
import { matchesAny } from "../util/glob.js";
import { VERSION } from "../version.js";
import { byCodeUnits } from "../util/sorted.js";

export interface BomModel {
  /** The manifest entry, when the model is declared. */
  entry?: ModelEntry;
  /** The model file in the repository, when there is one (an LFS pointer carries the real file's digest). */
  artifact?: ModelArtifact;
}

export interface BomDependency {
  ecosystem: "pypi" | "npm";
  name: string;
  version?: string;
  /** Where it is declared (path:line). */
  declared: string;
}

export interface SystemBomInput {
  name: string;
  manifestPath: string;
  folder: string;
  manifest: Manifest;
  /** The commit the repository is at, when it is a git work tree. */
  revision?: string;
  today: string;
  toolVersion: string;
  threats: ThreatAssessment[];
  /** Control statuses; `because`: the applicable threats each mitigates. */
  controls: { id: string; title: string; link: string; status: string; claimed: string | null; because: string[] }[];
  verdict: string;
  findings: { errors: number; warnings: number; notes: number };
  models: BomModel[];
  hostedModels: ModelEntry[];
  datasets: DatasetEntry[];
  tools: ToolEntry[];
  servers: AgentServerFact[];
  dependencies: BomDependency[];
}

interface DependencyFacts {
  pins: Record<"pypi" | "npm", Record<string, { version: string; path: string; line: number }[]>>;
}

/** Resolves a manifest path: relative to the manifest's folder; a leading "/" is the scanned root. */
const resolveIn = (folder: string, p: string) => (p.startsWith("/") ? p.replace(/^\/+/, "") : posix.normalize(folder ? `${folder}/${p}` : p));

/** `existing`: a report of the same root from a run the caller already made (the Action's). */
export async function collectSystems(
  opts: Pick<RunOptions, "root" | "today" | "manifestGlob" | "policyFiles" | "cwd">,
  existing?: Report,
): Promise<{ report: Report; systems: SystemBomInput[] }> {
  // A BOM carries every model's digest: a gate run computes only the declared ones, so fill in the rest.
  const report = existing ?? (await run({ ...opts, failOn: "never", hashModels: true }));
  if (existing) await hashModelFiles(opts.root, report.inventory.models);
  const taxonomy = loadTaxonomy();
  const walk = await walkRepository(opts.root);
  const ctx = scanContext(opts.root, walk.files, {});
  const deps = await dependencyScanner.scan(ctx);
  const agents = (await agentsScanner.scan(ctx)).facts as unknown as AgentFacts;
  const repo = await findRepository(opts.root).catch(() => null);
  const revision = repo ? await headCommit(repo).catch(() => undefined) : undefined;
  const folders = report.systems.map((s) => s.folder);
  const out: SystemBomInput[] = [];
  for (const s of report.systems) {
    if (!s.evaluated) continue;
    const loaded = await loadManifest(opts.root, s.manifest, taxonomy);
    if (!loaded.system) continue;
    const manifest = loaded.system.manifest;
    const nested = folders.filter((f) => f !== s.folder && isUnder(f, s.folder));
    const rel = (p: string) => (s.folder ? p.slice(s.folder.length + 1) : p);
    const governs = (p: string) =>
      isUnder(p, s.folder) && !nested.some((f) => isUnder(p, f)) && !(manifest.ignore?.length && matchesAny(rel(p), manifest.ignore));

    const artifacts = report.inventory.models.filter((m) => governs(m.path));
    const used = new Set<string>();
    const models: BomModel[] = [];
    const hostedModels: ModelEntry[] = [];
    for (const entry of manifest.models ?? []) {
      const artifact = entry.path ? artifacts.find((a) => a.path === resolveIn(s.folder, entry.path!)) : undefined;
      if (artifact) used.add(artifact.path);
      if (entry.provider && !entry.path && !entry.source) hostedModels.push(entry);
      else models.push({ entry, ...(artifact ? { artifact } : {}) });
    }
    for (const a of artifacts) if (!used.has(a.path)) models.push({ artifact: a });

    const dependencies = new Map<string, BomDependency>();
    const pins = (deps.facts as unknown as DependencyFacts | undefined)?.pins ?? { pypi: {}, npm: {} };
    for (const eco of ["pypi", "npm"] as const) {
      for (const [name, list] of Object.entries(pins[eco] ?? {})) {
        if (!isAiLibrary(eco, name)) continue;
        for (const p of list)
          if (governs(p.path)) dependencies.set(`${eco}:${name}@${p.version}`, { ecosystem: eco, name, version: p.version, declared: `${p.path}:${p.line}` });
      }
    }
    for (const o of deps.observations) {
      if ((o.kind !== "dependency.unpinned" && o.kind !== "dependency.url-install") || !governs(o.location.path)) continue;
      const eco = o.data?.ecosystem === "npm" ? "npm" : "pypi";
      const name = String(o.data?.package ?? "");
      if (!name || !isAiLibrary(eco, name) || [...dependencies.values()].some((d) => d.ecosystem === eco && d.name === name)) continue;
      dependencies.set(`${eco}:${name}`, { ecosystem: eco, name, declared: `${o.location.path}:${o.location.line}` });
    }

    out.push({
      name: manifest.name,
      manifestPath: s.manifest,
      folder: s.folder,
      manifest,
      ...(revision ? { revision } : {}),
      today: report.today,
      toolVersion: VERSION,
      threats: s.threats,
      controls: s.controls.map((c) => ({ id: c.id, title: c.title, link: c.link, status: String(c.status), claimed: c.claimed, because: c.because ?? [] })),
      verdict: s.summary.verdict ?? (s.summary.passed ? "passed" : "failed"),
      findings: { errors: s.summary.errors, warnings: s.summary.warnings, notes: s.summary.notes },
      models,
      hostedModels,
      datasets: manifest.datasets ?? [],
      tools: manifest.tools ?? [],
      servers: (agents?.servers ?? []).filter((srv) => governs(srv.location.replace(/:\d+:\d+$/, ""))),
      dependencies: [...dependencies.values()].sort((a, b) =>
        byCodeUnits(`${a.ecosystem}:${a.name}:${a.version ?? ""}`, `${b.ecosystem}:${b.name}:${b.version ?? ""}`),
      ),
    });
  }
  return { report, systems: out };
}
