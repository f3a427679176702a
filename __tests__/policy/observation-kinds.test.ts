// The observation-kind catalogue against what the scanners really emit: every observation the
// scanners report on the scanner fixtures and the examples has a catalogued kind, comes from the
// scanner the catalogue names, and carries only the data fields the catalogue lists.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OBSERVATION_KINDS, observationKind } from "../../src/inventory/observation-kinds.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import type { Observation } from "../../src/inventory/types.js";
import { writeAgentRepo } from "../fixtures/agents/repo.js";
import { contextFor, materialize } from "../inventory/scanners/fixture-harness.js";

const FOLDERS = [
  "__tests__/inventory/scanners/code/fixtures",
  "__tests__/inventory/scanners/data/fixtures",
  "__tests__/inventory/scanners/dependencies/fixtures",
  "__tests__/inventory/scanners/docker/fixtures",
  "__tests__/inventory/scanners/models/fixtures",
  "examples",
];

/** What no fixture folder shows: a secret in a data file, a folder of images. */
function extras(): string {
  const root = mkdtempSync(join(tmpdir(), "aigate-kinds-"));
  mkdirSync(join(root, "data"));
  writeFileSync(join(root, "data", "keys.csv"), "id,key\n1,AKIAQWERTYUIOPASDFGH\n2,AKIAZXCVBNMLKJHGFDSA\n");
  mkdirSync(join(root, "images"));
  for (let i = 0; i < 20; i++) writeFileSync(join(root, "images", `${i}.png`), "");
  return root;
}

let observations: Observation[] = [];
beforeAll(async () => {
  const agents = mkdtempSync(join(tmpdir(), "aigate-kinds-agents-"));
  await writeAgentRepo(agents);
  for (const folder of [...FOLDERS, agents, extras()]) {
    const root = folder.startsWith("/") ? folder : materialize(join(process.cwd(), folder));
    try {
      const ctx = contextFor(root);
      for (const scanner of SCANNERS) observations.push(...(await scanner.scan(ctx)).observations);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}, 120_000);
afterAll(() => {
  observations = [];
});

test("kinds are unique, named <area>.<what>, and described", () => {
  const kinds = OBSERVATION_KINDS.map((k) => k.kind);
  expect(new Set(kinds).size).toBe(kinds.length);
  for (const k of OBSERVATION_KINDS) {
    expect(k.kind).toMatch(/^[a-z]+(\.[a-zA-Z-]+)?$/);
    expect(k.description.length).toBeGreaterThan(10);
    expect(SCANNERS.map((s) => s.meta.id)).toContain(k.scanner);
  }
});

test("every observation emitted has a catalogued kind, from the scanner the catalogue names", () => {
  expect(observations.length).toBeGreaterThan(100);
  const wrong = observations.filter((o) => observationKind(o.kind)?.scanner !== o.scanner).map((o) => `${o.scanner} ${o.kind}`);
  expect([...new Set(wrong)]).toEqual([]);
});

test("every observation carries only the data fields its kind lists", () => {
  const extra = new Set<string>();
  for (const o of observations) {
    const fields = Object.keys(observationKind(o.kind)?.fields ?? {});
    for (const key of Object.keys(o.data ?? {})) if (!fields.includes(key)) extra.add(`${o.kind}.${key}`);
  }
  expect([...extra].sort()).toEqual([]);
});

test("which catalogued kinds the fixtures show", () => {
  const seen = new Set(observations.map((o) => o.kind));
  const unseen = OBSERVATION_KINDS.map((k) => k.kind).filter((k) => !seen.has(k));
  expect(unseen).toEqual([]);
});
