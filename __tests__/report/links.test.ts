// Links reporters build from aigate's own context: a location on GitHub (owner, repository and
// commit from the run; the path percent-encoded) and the rules reference for built-in rules.
import { blobLink, ruleAnchor, ruleDocLink, RULES_DOC_URL } from "../../src/report/links.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { HOSTILE, hostileReport, markdownProblems } from "./hostile.helpers.js";

const ctx = { owner: "acme", repo: "shop", sha: "0123456789abcdef0123456789abcdef01234567" };

test("a location on GitHub, with the checked folder's prefix and the line", () => {
  expect(blobLink(ctx, "src/app.py", 12)).toBe("https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/src/app.py#L12");
  expect(blobLink({ ...ctx, pathPrefix: "services/bot/" }, "ai-system.yaml", 3)).toBe(
    "https://github.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/services/bot/ai-system.yaml#L3",
  );
  expect(blobLink({ ...ctx, serverUrl: "https://ghe.example.com/" }, "a b/(x)!.py", 1)).toBe(
    "https://ghe.example.com/acme/shop/blob/0123456789abcdef0123456789abcdef01234567/a%20b/%28x%29%21.py#L1",
  );
});

test("no link without a complete, well-formed context, or for a place that is not a file", () => {
  expect(blobLink(undefined, "a.py", 1)).toBeNull();
  expect(blobLink({ ...ctx, sha: "HEAD" }, "a.py", 1)).toBeNull();
  expect(blobLink({ ...ctx, owner: "a/b" }, "a.py", 1)).toBeNull();
  expect(blobLink({ ...ctx, repo: ".." }, "a.py", 1)).toBeNull();
  expect(blobLink({ ...ctx, serverUrl: "javascript:alert(1)" }, "a.py", 1)).toBeNull();
  expect(blobLink(ctx, ".", 1)).toBeNull();
  expect(blobLink(ctx, "../../etc/passwd", 1)).toBeNull();
});

test("every hostile path becomes an inert link: percent-encoded, nothing from content outside a code span", () => {
  for (const h of HOSTILE) {
    const url = blobLink(ctx, h, 1);
    if (url === null) continue;
    expect(url).toMatch(/^https:\/\/github\.com\/acme\/shop\/blob\/[0-9a-f]{40}\/[A-Za-z0-9%._~-]+(\/[A-Za-z0-9%._~-]+)*#L1$/);
  }
  const md = renderMarkdown(hostileReport(), { links: { ...ctx, owner: "aigate-dev", repo: "aigate" } });
  expect(md).toContain("](https://github.com/aigate-dev/aigate/blob/");
  expect(markdownProblems(md)).toEqual([]);
});

test("built-in rules and diagnostics link to their section of the rules reference; others to their own link", () => {
  expect(ruleDocLink({ ruleId: "tool-admin-privilege", link: "https://owaspai.org/go/leastmodelprivilege/" })).toBe(`${RULES_DOC_URL}#tool-admin-privilege`);
  expect(ruleDocLink({ ruleId: "manifest-open-question", link: "x" })).toBe(`${RULES_DOC_URL}#manifest-open-question`);
  expect(ruleDocLink({ ruleId: "acme-guardrail-required", link: "https://owaspai.org/go/promptinjectioniohandling/" })).toBe(
    "https://owaspai.org/go/promptinjectioniohandling/",
  );
  expect(ruleAnchor("tool-admin-privilege")).toBe("tool-admin-privilege");
});

test("docs/rules.md has the section every link points to", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { documentedRuleIds } = await import("../../src/report/links.js");
  const { packageRoot } = await import("../../src/util/package-root.js");
  const doc = readFileSync(join(packageRoot(), "docs", "rules.md"), "utf8");
  const headings = new Set([...doc.matchAll(/^### `([^`]+)`$/gm)].map((m) => ruleAnchor(m[1]!)));
  expect([...documentedRuleIds()].filter((id) => !headings.has(ruleAnchor(id)))).toEqual([]);
});
