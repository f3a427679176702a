// Found by fuzzing (fuzz/targets/manifest.ts, __tests__/properties/manifest-location.test.ts):
// parseManifest → parseYamlSource (src/util/yaml-source.ts) locates YAML syntax errors with the
// yaml library's LineCounter, which the parser fills as it reads. Once the parser has given up on
// the document ("Unexpected ... token in YAML stream"), newlines it skips (inside a multi-line
// scalar, an empty line) are not counted, so every later error is placed on an earlier line, at
// a column past that line's end. Valid documents are located correctly.
// Fix: count the lines from the text itself (as the too-deep branch already does) instead of
// through the parser's onNewLine callback.
import { loadTaxonomy } from "../../src/exchange/taxonomy.js";
import { parseManifest } from "../../src/manifest/load.js";

const taxonomy = loadTaxonomy();
const where = (raw: string) => parseManifest("ai-system.yaml", raw, taxonomy).diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.message}`);

describe("YAML syntax errors after the parser gives up are located on their own line", () => {
  test("after an empty line", () => {
    // The second `apiVersion:` is on line 5; its ":" is reported at 4:11 (line 4 is empty).
    expect(where(" apiVersion:\n- aigate/v1\n - aigate/v1\n\napiVersion:\n")).toContain(
      '5:11 YAML syntax error: Unexpected map-value-ind token in YAML stream: ":"',
    );
  });

  test("after a multi-line block scalar", () => {
    // `owner` is on line 6, column 1; it is reported at 4:19 (line 4 is "  aaaa").
    expect(where("- a\nname: x\ndescription: >-\n  aaaa\n  bbbbbbbb\nowner:\n  team: t\n")).toContain(
      '6:1 YAML syntax error: Unexpected scalar token in YAML stream: "owner"',
    );
  });

  test("a valid document after a block scalar is located correctly (control)", () => {
    expect(where("apiVersion: aigate/v1\nname: x\ndescription: |\n  aaaa\n  bbbbbbbb\nowner: 1\n")).toContain("6:8 owner must be object");
  });
});
