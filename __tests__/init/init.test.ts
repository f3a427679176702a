import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { initManifest } from "../../src/init.js";
import { parseManifest } from "../../src/manifest/load.js";

const FIXTURE = join(process.cwd(), "__tests__/inventory/scanners/code/fixtures/python");

describe("aigate init", () => {
  it("writes a manifest the loader accepts, with the inferred profile, models and tools commented by source", async () => {
    const root = join(mkdtempSync(join(tmpdir(), "aigate-init-")), "support-bot");
    cpSync(FIXTURE, root, { recursive: true });
    const text = await initManifest(root);
    const loaded = parseManifest("ai-system.yaml", text, loadTaxonomy());
    expect(loaded.diagnostics).toEqual([]);
    const m = parse(text) as { name: string; profile: Record<string, boolean>; models: { name: string }[]; tools: { name: string; privileges: string[]; humanApproval: string }[] };
    expect(m.name).toBe("support-bot");
    expect(m.profile).toEqual({ isGenAI: true, isLLM: true, usesRAG: true, hasAgency: true, modelHostedExternally: true });
    expect(text).toMatch(/isLLM: true # inferred: sinks\.py:15 calls openai\.OpenAI\(\)\.chat\.completions\.create/);
    expect(text).toMatch(/# trainsOrFinetunes, /);
    expect(m.models.map((x) => x.name)).toContain("meta-llama/Llama-3.1-8B");
    expect(m.models.map((x) => x.name)).not.toContain("models/local");
    expect(m.tools.find((t) => t.name === "archive_report")).toEqual({ name: "archive_report", kind: "function", privileges: ["write"], humanApproval: "always" });
    expect(text).toMatch(/- name: terminal # inferred: langchain tool at agent\.py:7/);
  });

  it("an empty repository still gives a valid manifest", async () => {
    const root = mkdtempSync(join(tmpdir(), "aigate-init-empty-"));
    const text = await initManifest(root);
    expect(parseManifest("ai-system.yaml", text, loadTaxonomy()).diagnostics).toEqual([]);
  });
});
