import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { minimatch } from "minimatch";
import { parse } from "yaml";
import { analyse } from "../../src/exchange/analysis.js";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { initManifest } from "../../src/init.js";
import { scanContext } from "../../src/inventory/context.js";
import { SCANNERS } from "../../src/inventory/scanners/index.js";
import type { Inventory } from "../../src/inventory/types.js";
import { walkRepository } from "../../src/inventory/walk.js";
import { loadManifest, parseManifest } from "../../src/manifest/load.js";
import { evaluate } from "../../src/policy/engine.js";
import { loadPacks } from "../../src/policy/load.js";

const FIXTURE = join(process.cwd(), "__tests__/inventory/scanners/code/fixtures/python");

/** The built-in pack's findings for the manifest init wrote into `root`. */
async function checkFindings(root: string) {
  const taxonomy = loadTaxonomy();
  const pack = await loadPacks(taxonomy, []);
  const walk = await walkRepository(root);
  const inventory: Inventory = { root, files: walk.files, observations: [], unscanned: [], models: [], facts: {} };
  const ctx = scanContext(root, walk.files, pack.settings);
  for (const s of SCANNERS) {
    const r = await s.scan(ctx);
    inventory.observations.push(...r.observations);
    inventory.models.push(...(r.models ?? []));
    if (r.facts) inventory.facts[s.meta.id] = r.facts;
  }
  const loaded = await loadManifest(root, "ai-system.yaml", taxonomy);
  expect(loaded.diagnostics).toEqual([]);
  const system = loaded.system!;
  return evaluate([{ system, analysis: analyse(taxonomy, system.manifest.profile), governedFiles: walk.files.map((f) => f.path) }], pack, {
    taxonomy,
    inventory,
    today: "2026-11-27",
    folders: walk.folders,
  }).findings;
}

function repo(files: Record<string, string | Buffer>): string {
  const root = join(mkdtempSync(join(tmpdir(), "aigate-init-")), "app");
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe("aigate init", () => {
  it("writes a manifest the loader accepts, with the inferred profile, models and tools commented by source", async () => {
    const root = join(mkdtempSync(join(tmpdir(), "aigate-init-")), "support-bot");
    cpSync(FIXTURE, root, { recursive: true });
    const text = await initManifest(root);
    const loaded = parseManifest("ai-system.yaml", text, loadTaxonomy());
    expect(loaded.diagnostics).toEqual([]);
    const m = parse(text) as {
      name: string;
      profile: Record<string, boolean>;
      models: { name: string }[];
      tools: { name: string; privileges: string[]; humanApproval: string }[];
    };
    expect(m.name).toBe("support-bot");
    expect(m.profile).toEqual({ isGenAI: true, isLLM: true, usesRAG: true, hasAgency: true, modelHostedExternally: true });
    expect(text).toMatch(/isLLM: true # inferred: sinks\.py:15 calls openai\.OpenAI\(\)\.chat\.completions\.create/);
    expect(text).toMatch(/# trainsOrFinetunes: # UNKNOWN: Does your organisation train or fine-tune the model itself .* — answer true\|false/);
    expect(m.models.map((x) => x.name)).toContain("meta-llama/Llama-3.1-8B");
    expect(m.models.map((x) => x.name)).not.toContain("models/local");
    expect(text).toMatch(/- name: terminal # inferred: langchain tool at agent\.py:7/);
  });

  it("claims no approval step and no read-only privilege the code does not show", async () => {
    const root = join(mkdtempSync(join(tmpdir(), "aigate-init-")), "support-bot");
    cpSync(FIXTURE, root, { recursive: true });
    const text = await initManifest(root);
    const m = parse(text) as { tools: { name: string; privileges: string[]; humanApproval: string }[] };
    expect(m.tools.map((t) => t.humanApproval).every((a) => a === "never")).toBe(true);
    const tool = (name: string) => m.tools.find((t) => t.name === name);
    expect(tool("archive_report")).toEqual({ name: "archive_report", kind: "function", path: "agent.py", privileges: ["write"], humanApproval: "never" });
    expect(tool("terminal")!.privileges).toEqual(["execute"]);
    expect(tool("read_file")!.privileges).toEqual(["read"]); // a read-only tool class: its privileges are known
    expect(tool("send_email")!.privileges).toEqual(["write"]); // a bare definition: nothing shows it only reads
    expect(text).toMatch(
      /privileges: \[write\] # inferred from the code: shutil\.move\(\) at line 20\n {4}humanApproval: never # UNKNOWN: no approval step found in agent\.py — answer never\|on-write\|always/,
    );
    expect(text).toMatch(
      /- name: send_email # inferred: anthropic tool at agent\.py:\d+\n {4}kind: function\n {4}path: agent\.py\n {4}privileges: \[write\] # UNKNOWN: the code shows no call that reads or changes anything, so this assumes it writes/,
    );

    // `aigate check` on what init wrote reports the tools that change things without approval.
    writeFileSync(join(root, "ai-system.yaml"), text);
    const agency = (await checkFindings(root)).filter((f) => f.ruleId === "tool-write-without-approval").map((f) => f.message);
    expect(agency).toContain("tool archive_report can write, delete, execute, send or pay, and the model may call it with no human approval");
    expect(agency).toContain("tool terminal can write, delete, execute, send or pay, and the model may call it with no human approval");
    expect(agency.some((x) => x.includes("tool read_file "))).toBe(false);
  });

  it("an empty repository still gives a valid manifest", async () => {
    const root = mkdtempSync(join(tmpdir(), "aigate-init-empty-"));
    const text = await initManifest(root);
    expect(parseManifest("ai-system.yaml", text, loadTaxonomy()).diagnostics).toEqual([]);
  });

  it("writes hostile names, ids and paths as YAML scalars: no added keys, lines or aliases, and the manifest stays valid", async () => {
    const names = [
      "evil\nhumanApproval: always",
      "x # not a comment",
      "a: b",
      "\"double\" and 'single'",
      "{flow",
      "*alias",
      "&anchor !!python/object",
      "- item",
      "? key",
      "t".repeat(300),
    ];
    const py = (s: string) => `"""${s}"""`; // the scanner reads string content as written, escapes undecoded
    const code = [
      "from transformers import AutoModel",
      `tools = [${names.map((n) => `{"type": "function", "function": {"name": ${py(n)}}}`).join(", ")}]`,
      `AutoModel.from_pretrained(${py("org/m\nkind: injected")}, revision=${py("a: b # c\n- d")})`,
      `AutoModel.from_pretrained("org/long", revision="${"r".repeat(300)}")`,
      "",
    ].join("\n");
    const dirs = ["data\nevil: 1", "d#x", "{x", "*a", "q: 'x'"];
    const root = repo({
      "agent.py": code,
      ...Object.fromEntries(dirs.map((d) => [`${d}/rows.csv`, "a,b\n1,2\n"])),
      "m\nx/w: #1.safetensors": Buffer.alloc(2048),
    });
    const text = await initManifest(root);
    expect(parseManifest("ai-system.yaml", text, loadTaxonomy()).diagnostics).toEqual([]);
    const m = parse(text) as Record<string, unknown> & {
      tools: { name: string; humanApproval: string }[];
      models: { name: string; path?: string; source?: { uri: string; revision?: string } }[];
    };
    expect(Object.keys(m)).toEqual(["apiVersion", "name", "owner", "profile", "models", "datasets", "tools"]);
    expect(m.tools.map((t) => t.name)).toEqual([...names.slice(0, -1), "t".repeat(128)]);
    expect(m.tools.every((t) => Object.keys(t).join() === "name,kind,path,privileges,humanApproval" && t.humanApproval === "never")).toBe(true);
    expect(text).toMatch(/the code names it "t{60}/);
    const file = m.models.find((x) => x.path);
    expect(m.models.filter((x) => !x.path)).toEqual([
      { name: "org/m-kind--injected", source: { uri: "https://huggingface.co/org/m\nkind: injected", revision: "a: b # c\n- d" } },
      { name: "org/long", source: { uri: "https://huggingface.co/org/long" } }, // a revision too long to copy is not claimed
    ]);
    expect(file).toMatchObject({ name: "w---1", path: "m\nx/w: #1.safetensors", format: "safetensors" });
    expect(text).toMatch(/its revision is too long to copy, state the commit hash/);

    // Each data folder is a dataset whose glob names its files and no others, whatever the folder is called.
    const globs = (m as unknown as { datasets: { paths: string[] }[] }).datasets.flatMap((d) => d.paths);
    for (const d of dirs) expect([d, globs.some((g) => minimatch(`${d}/rows.csv`, g, { dot: true }))]).toEqual([d, true]);
    expect(globs.some((g) => minimatch("other/rows.csv", g, { dot: true }))).toBe(false);
    // Every line outside the values is a comment: no key or list item came from a hostile string.
    expect(
      text
        .split("\n")
        .filter((l) => /^\S/.test(l) && !l.startsWith("#"))
        .map((l) => l.replace(/:.*$/, "")),
    ).toEqual(["apiVersion", "name", "owner", "profile", "models", "datasets", "tools"]);
  });
});
