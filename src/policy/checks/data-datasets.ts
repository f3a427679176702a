// Shared by the data-* check kinds: which dataset of the manifest declares a file (by its
// `paths` globs), and what the data scanner found in the files a system governs.
import type { Observation, ObservationKind } from "../../inventory/types.js";
import type { DatasetEntry } from "../../manifest/types.js";
import type { CheckContext } from "../types.js";
import { matchesGlobOrBelow } from "../../util/glob.js";

export interface DeclaredDataset {
  index: number;
  entry: DatasetEntry;
  /** The dataset's globs, resolved to paths relative to the scanned root. */
  globs: string[];
}

/** Kinds of personal data the manifest can declare beyond `none`. */
export const DECLARED_PERSONAL = new Set(["identifiable", "special-category", "pseudonymised"]);

export function declaredDatasets(ctx: CheckContext): DeclaredDataset[] {
  return (ctx.system.manifest.datasets ?? []).map((entry, index) => ({
    index,
    entry,
    globs: (entry.paths ?? []).map((p) => ctx.resolve(p)),
  }));
}

/** A glob matches the file itself or, when it names a folder, anything below it (nothing when it fails checkGlob). */
export function globMatches(glob: string, path: string): boolean {
  return matchesGlobOrBelow(path, glob);
}

export function datasetFor(datasets: readonly DeclaredDataset[], path: string): DeclaredDataset | undefined {
  return datasets.find((d) => d.globs.some((g) => globMatches(g, path)));
}

/** The data scanner's observations of these kinds in the system's governed files. */
export function dataObservations(ctx: CheckContext, kinds: readonly ObservationKind[]): Observation[] {
  const governed = ctx.governed;
  return ctx.inventory.observations.filter((o) => kinds.includes(o.kind) && governed.has(o.location.path));
}

/** Personal-data observations grouped by the dataset that declares their file. */
export function personalDataByDataset(ctx: CheckContext, datasets: readonly DeclaredDataset[]): Map<number, Observation[]> {
  const out = new Map<number, Observation[]>();
  for (const o of dataObservations(ctx, ["data.personal-data"])) {
    const d = datasetFor(datasets, o.location.path);
    if (!d) continue;
    const list = out.get(d.index) ?? [];
    list.push(o);
    out.set(d.index, list);
  }
  return out;
}

/** "e-mail (3), payment-card (2)": what was found, by kind and count, never values. */
export function summariseKinds(observations: readonly Observation[]): string {
  const counts = new Map<string, number>();
  for (const o of observations) {
    const kind = String(o.data?.["kind"] ?? "personal data");
    counts.set(kind, (counts.get(kind) ?? 0) + Number(o.data?.["count"] ?? 0));
  }
  return [...counts.entries()].map(([k, n]) => `${k} (${n})`).join(", ");
}

/** Where a dataset entry sits in the manifest, as "ai-system.yaml:12". */
export function manifestPlace(ctx: CheckContext, pointer: string): string {
  const l = ctx.system.locate(pointer, "key");
  return `${l.path}:${l.line}`;
}
