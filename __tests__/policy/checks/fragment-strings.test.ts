// A pack's JSON Schema fragment is compiled by Ajv into a function (new Function): every string of
// the fragment (enum and const values, property names, required names, defaults, descriptions)
// reaches that function's source, and must stay a string there. This is why the policy fuzz target
// turns off Jazzer's remote-code-execution detector, which reports any pack text in a Function body:
// this test shows the text is quoted, never run.
import { compileFragment } from "../../../src/policy/checks/manifest.js";

const HOSTILE = [
  '"); globalThis.__fragmentRan = 1; ("',
  "'); globalThis.__fragmentRan = 1; ('",
  "`${globalThis.__fragmentRan = 1}`",
  '\\"); globalThis.__fragmentRan = 1; //',
  "a\u2028b\u2029c",
  "*/ globalThis.__fragmentRan = 1; /*",
  "</script><script>globalThis.__fragmentRan = 1</script>",
];

afterEach(() => {
  delete (globalThis as Record<string, unknown>).__fragmentRan;
});

test("hostile strings in enum, const, property names, required and annotations stay data", () => {
  for (const s of HOSTILE) {
    const validate = compileFragment({
      type: "object",
      description: s,
      $comment: s,
      required: [s],
      properties: { [s]: { enum: [s, "write"], default: s, title: s }, other: { const: s } },
      additionalProperties: false,
    });
    expect([s, validate({ [s]: s, other: s })]).toEqual([s, true]);
    expect([s, validate({ [s]: "write" })]).toEqual([s, true]);
    expect([s, validate({ [s]: `${s}x` })]).toEqual([s, false]);
    expect([s, validate({ other: s })]).toEqual([s, false]);
    expect([s, validate({ [s]: s, extra: 1 })]).toEqual([s, false]);
    expect((globalThis as Record<string, unknown>).__fragmentRan).toBeUndefined();
  }
});
