// A manifest nested thousands of levels deep is one located manifest finding, not a stack trace.
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";
import { MAX_YAML_DEPTH } from "../../src/util/yaml-source.js";

const t = loadTaxonomy();

test.each([
  ["nested : : :", `apiVersion: aigate/v1\nname: deep\nowner: ${": ".repeat(50_000)}x\n`, 3],
  ["nested [[[", `apiVersion: aigate/v1\nname: deep\nprofile: ${"[".repeat(50_000)}\n`, 3],
  ["nested {{{", `apiVersion: aigate/v1\nname: deep\nprofile:\n  isLLM: ${"{".repeat(50_000)}\n`, 4],
])("%s", (_name, text, line) => {
  const r = parseManifest("ai-system.yaml", text, t);
  expect(r.system).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  const d = r.diagnostics[0]!;
  expect(d.id).toBe("manifest-yaml");
  expect(d.location.line).toBe(line);
  expect(d.message).toMatch(new RegExp(`^nesting deeper than ${MAX_YAML_DEPTH} levels at ${line}:\\d+`));
});
