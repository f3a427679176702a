// Links reporters make from aigate's own data and context only, never from repository content:
// the documentation of a built-in rule (docs/rules.md has an anchor per rule and diagnostic), and
// a location on GitHub (`blob/<sha>/<path>#L<n>`) when the run knows the repository and commit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diagnosticCatalogue } from "../findings/diagnostics.js";
import type { Finding } from "../findings/types.js";
import { packageRoot } from "../util/package-root.js";
import { stripEnds, stripTrailing } from "../util/strip.js";

/** The rules reference, as published with the release the Action's major tag points at. */
export const RULES_DOC_URL = "https://github.com/aigate-dev/aigate/blob/v1/docs/rules.md";

let builtin: Set<string> | undefined;

/** Ids of the built-in rules (the pack snapshot) and of the diagnostics: the ones docs/rules.md documents. */
export function documentedRuleIds(): Set<string> {
  if (!builtin) {
    const ids = new Set<string>(diagnosticCatalogue().keys());
    try {
      const snap = JSON.parse(readFileSync(join(packageRoot(), "src", "generated", "builtin-pack.json"), "utf8")) as { rules?: { id?: unknown }[] };
      for (const r of snap.rules ?? []) if (typeof r.id === "string") ids.add(r.id);
    } catch {
      // no snapshot: only the diagnostics are linked to the reference
    }
    builtin = ids;
  }
  return builtin;
}

/** The anchor docs/rules.md gives a rule: its id (GitHub's heading slug of a code-span id). */
export const ruleAnchor = (id: string) => id.toLowerCase().replace(/[^a-z0-9_-]/g, "");

/** Where a finding's rule is explained: the rules reference for a built-in rule, else the rule's own link (the Exchange control). */
export function ruleDocLink(f: Pick<Finding, "ruleId" | "link">): string | undefined {
  if (documentedRuleIds().has(f.ruleId)) return `${RULES_DOC_URL}#${ruleAnchor(f.ruleId)}`;
  return f.link;
}

/** What a run knows about where the checked files live on GitHub (from aigate's own context, e.g. GITHUB_REPOSITORY and GITHUB_SHA). */
export interface RepositoryLinks {
  /** https://github.com, or a GitHub Enterprise Server URL. */
  serverUrl?: string;
  owner: string;
  repo: string;
  /** The commit the findings are about. */
  sha: string;
  /** The checked folder relative to the repository's top level ("" for the top). */
  pathPrefix?: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A path segment percent-encoded for a URL path, including what would end a Markdown link (`(`, `)`, quotes, `!`, `*`). */
const encodeSegment = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `<server>/<owner>/<repo>/blob/<sha>/<path>#L<line>` for a finding's location, or null when the
 * context is incomplete or malformed, or the location is not a file (the checked folder ".").
 */
export function blobLink(ctx: RepositoryLinks | undefined, path: string, line: number): string | null {
  if (!ctx || !NAME.test(ctx.owner) || !NAME.test(ctx.repo) || ctx.repo === "." || ctx.repo === ".." || !/^[0-9a-f]{7,64}$/i.test(ctx.sha)) return null;
  if (path === "." || path === "" || path.startsWith("(")) return null;
  let server: URL;
  try {
    server = new URL(ctx.serverUrl ?? "https://github.com");
  } catch {
    return null;
  }
  if (server.protocol !== "https:" && server.protocol !== "http:") return null;
  const prefix = stripEnds(ctx.pathPrefix ?? "", "/");
  const full = prefix ? `${prefix}/${path}` : path;
  const parts = full.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return null;
  const base = server.origin + stripTrailing(server.pathname, "/");
  return `${base}/${encodeSegment(ctx.owner)}/${encodeSegment(ctx.repo)}/blob/${ctx.sha.toLowerCase()}/${parts.map(encodeSegment).join("/")}${line >= 1 ? `#L${Math.floor(line)}` : ""}`;
}
