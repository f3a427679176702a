import { join } from "node:path";
import { dependencyScanner, type DependencyFacts } from "../../../../src/inventory/scanners/dependencies/scanner.js";
import { compareWithMarkers, materialize, scanFixture } from "../fixture-harness.js";

const fixture = (name: string) => materialize(join(process.cwd(), "__tests__/inventory/scanners/dependencies/fixtures", name));

describe("dependency scanner on marked fixtures", () => {
  for (const name of ["python-mixed", "poetry-locked", "uv-project", "pipenv", "conda", "setup-cfg"]) {
    it(`${name}: reports exactly the marked lines and columns`, async () => {
      const result = await scanFixture(dependencyScanner, fixture(name));
      expect(compareWithMarkers(fixture(name), result.observations)).toEqual([]);
    });
  }

  it("masks credentials in index URLs", async () => {
    const result = await scanFixture(dependencyScanner, fixture("python-mixed"));
    const extra = result.observations.find((o) => o.kind === "dependency.extra-index")!;
    expect(extra.message).toContain("https://***@pypi.internal.example/simple");
    expect(JSON.stringify(result)).not.toContain("ml-team:");
    expect(JSON.stringify(result)).not.toContain("s3cr3t-token");
  });

  it("names advisory ids, the fixed version and the severity of a vulnerable pin", async () => {
    const result = await scanFixture(dependencyScanner, fixture("python-mixed"));
    const torch = result.observations.find((o) => o.kind === "dependency.vulnerable" && o.data?.package === "torch")!;
    expect(torch.location).toEqual({ path: "requirements.txt", line: 5, column: 1 });
    const ids = (torch.data!.advisories as { aliases: string[] }[]).flatMap((a) => a.aliases);
    expect(ids).toContain("CVE-2025-32434");
    expect(torch.message).toMatch(/fixed in \d/);
    expect(["critical", "high", "medium", "low", "unknown"]).toContain(torch.data!.severity);
    expect(torch.data!.fixed).toBeTruthy();
  });

  it("publishes exact pins as facts for other checks (torch version for torch.load)", async () => {
    const result = await scanFixture(dependencyScanner, fixture("python-mixed"));
    const facts = result.facts as unknown as DependencyFacts;
    expect(facts.pins.pypi.torch).toEqual([{ version: "2.5.1", path: "requirements.txt", line: 5 }]);
    expect(facts.files).toContain("requirements-extra.txt");
  });

  it("npm: ranges without a lockfile entry are unpinned, git branches are URL installs, lock pins count", async () => {
    const result = await scanFixture(dependencyScanner, fixture("npm-app"));
    const got = result.observations.map((o) => `${o.kind} ${o.location.path}:${o.location.line}:${o.location.column} ${String(o.data?.package)}`).sort();
    expect(got).toEqual(["dependency.unpinned package.json:5:5 openai", "dependency.url-install package.json:9:5 @huggingface/transformers"]);
  });

  it("malformed inputs: one located finding each, the run goes on", async () => {
    const result = await scanFixture(dependencyScanner, fixture("malformed"));
    const malformed = result.observations
      .filter((o) => o.kind === "dependency.malformed")
      .map((o) => `${o.location.path}:${o.location.line}`)
      .sort();
    expect(malformed).toEqual(["package.json:1", "pyproject.toml:7", "requirements-bin.txt:1", "requirements.txt:2", "requirements.txt:3"]);
    expect(result.unscanned.map((u) => u.path).sort()).toEqual(["package.json", "pyproject.toml", "requirements-bin.txt"]);
    expect(
      compareWithMarkers(
        fixture("malformed"),
        result.observations.filter((o) => o.location.path === "requirements.txt"),
      ),
    ).toEqual([]);
  });
});
