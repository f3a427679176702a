import { comparable, fixedVersion, inRange, loadAdvisories, matchAdvisories } from "../../../../src/inventory/scanners/dependencies/advisories.js";
import { exactVersion, normalizePyName, parseRequirement } from "../../../../src/inventory/scanners/dependencies/pep508.js";

const cves = (name: string, version: string) => matchAdvisories(name, version).affected.flatMap((a) => a.aliases);

describe("offline advisories", () => {
  it("carries its source and date", () => {
    const data = loadAdvisories();
    expect(data.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(data.source.date).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it("spot checks from the data's README", () => {
    expect(cves("torch", "2.5.1")).toContain("CVE-2025-32434");
    expect(cves("torch", "2.6.0")).not.toContain("CVE-2025-32434");
    expect(cves("llama-cpp-python", "0.2.71")).toContain("CVE-2024-34359");
    expect(cves("llama-cpp-python", "0.2.72")).not.toContain("CVE-2024-34359");
  });

  it("compares by PEP 440, not as strings", () => {
    expect(inRange("1.10.0", { introduced: "0", fixed: "1.9.0" })).toBe(false);
    expect(inRange("1.9.0", { introduced: "0", fixed: "1.10.0" })).toBe(true);
    expect(inRange("2.6.0rc1", { introduced: "0", fixed: "2.6.0" })).toBe(true);
    expect(inRange("2.6.0", { introduced: "0", last_affected: "2.6.0" })).toBe(true);
    expect(inRange("2.6.1", { introduced: "0", last_affected: "2.6.0" })).toBe(false);
    expect(inRange("5.0.0", { introduced: "2.0" })).toBe(true);
    expect(inRange("1.0", { introduced: "2.0" })).toBe(false);
  });

  it("ignores +local tags and cuts non-PEP 440 suffixes", () => {
    expect(comparable("2.5.1+cu121")).toBe("2.5.1");
    expect(comparable("2.6.0-NA")).toBe("2.6.0");
    expect(cves("torch", "2.5.1+cu121")).toContain("CVE-2025-32434");
  });

  it("the fixed version is the highest fix among the affected ranges", () => {
    const affected = matchAdvisories("torch", "2.5.1").affected;
    const { fixed, unfixed } = fixedVersion("2.5.1", affected);
    expect(comparable(fixed!)).toBeDefined();
    expect(affected.filter((a) => a.ranges.some((r) => r.fixed && inRange("2.5.1", r))).length + unfixed.length).toBe(affected.length);
    expect(fixedVersion("1.0", [])).toEqual({ unfixed: [] });
  });

  it("reports records without ranges as undetermined", () => {
    expect(matchAdvisories("gradio", "4.0.0").undetermined.map((a) => a.id)).toContain("PYSEC-2024-261");
  });
});

describe("PEP 508 requirements", () => {
  it("parses names, extras, specifiers, markers and URLs", () => {
    expect(parseRequirement('langchain[openai,anthropic] >=0.3, <0.4 ; python_version >= "3.9"')).toEqual({
      name: "langchain",
      extras: ["openai", "anthropic"],
      specifier: ">=0.3,<0.4",
      marker: 'python_version >= "3.9"',
    });
    expect(parseRequirement("peft @ git+https://github.com/huggingface/peft@v0.13.0")).toMatchObject({
      name: "peft",
      url: "git+https://github.com/huggingface/peft@v0.13.0",
    });
    expect(typeof parseRequirement("torch >> 2")).toBe("string");
    expect(typeof parseRequirement("!!")).toBe("string");
  });
  it("knows which specifiers pin one version", () => {
    expect(exactVersion("==2.6.0")).toBe("2.6.0");
    expect(exactVersion("===2.6.0")).toBe("2.6.0");
    expect(exactVersion("==2.6.*")).toBeUndefined();
    expect(exactVersion(">=2.6.0")).toBeUndefined();
    expect(exactVersion("==2.6.0,<3")).toBeUndefined();
  });
  it("normalises names as PEP 503 does", () => {
    expect(normalizePyName("Llama_CPP.Python")).toBe("llama-cpp-python");
  });
});
