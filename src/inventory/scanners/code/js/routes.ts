// Where untrusted input enters the file: Next.js route handlers (exported methods of a route
// file, pages/api handlers), server actions ("use server") and Express routes, each with whether
// it authenticates (middleware, an auth call in its body); and whether rates are limited, in the
// file or by a limiter the whole app uses.
import type { Node } from "web-tree-sitter";
import type { Entry } from "../flow-taint.js";
import { anyName } from "../patterns.js";
import type { FlowSummary } from "../summary.js";
import type { JsFile } from "./context.js";
import type { JsFlowData } from "./flow.js";
import { FUNCTION_TYPES, type Param } from "./functions.js";
import type { FlowPass } from "./pass.js";

/** The file imports a rate limiter. */
export function isRateLimited(file: JsFile, F: JsFlowData): boolean {
  return F.rateLimitModules.some((m) => file.names.importsAny([m]));
}

/** A limiter the whole app uses (`app.use(limiter)`) limits the routes of other files too. */
export function noteAppLimiter(p: FlowPass, summary: FlowSummary): void {
  if (p.rateLimited && /\.use\(\s*(\w*[Ll]imit\w*|rateLimit\()/.test(p.file.text)) summary.limits = "app";
}

/** Seeds the parameters of every entry point with the input they receive. */
export function seedEntries(p: FlowPass): void {
  const { file, F } = p;
  const authRe = new RegExp(F.authNames, "i");
  const bodyAuth = (fn: Node) =>
    file.names.calls.some((c) => file.fns.around.get(c.node.id) === fn && authRe.test(c.name)) ||
    /authorization|getServerSession|currentUser\(|auth\(\)/i.test(fn.text.slice(0, 20_000));
  const entry = (fn: Node, framework: string, authenticated: boolean, what: string, params: Param[]) => {
    const e: Entry = { framework, name: file.fns.nameOf(fn), row: fn.startPosition.row, authenticated };
    for (const param of params)
      p.seeds.seed(fn, param.name, { kind: "input", what, source: `${e.name}(${param.name})`, row: param.node.startPosition.row, entry: e });
  };
  const path = file.path ?? "";
  const routeFile = new RegExp(F.routeFiles).test(path);
  const useServerFile = startsWithDirective(file.text, "use server");
  for (const fn of file.fns.list) {
    const name = file.fns.nameOf(fn);
    if (routeFile && file.fns.exported.has(fn.id) && (F.routeMethods.includes(name) || /(^|\/)pages\/api\//.test(path))) {
      entry(fn, "nextjs", bodyAuth(fn), "the request", file.fns.paramsOf(fn).slice(0, 1));
    } else if ((useServerFile && file.fns.exported.has(fn.id)) || /^\s*\{\s*["']use server["']/.test(fn.childForFieldName("body")?.text ?? "")) {
      entry(fn, "server action", bodyAuth(fn), "the server action's argument", file.fns.paramsOf(fn));
    }
  }
  // Express: app.post(path, ...middleware, handler).
  let appAuth = false;
  for (const c of file.names.calls) {
    const m = /\.(\w+)$/.exec(c.name)?.[1] ?? "";
    const receiver = c.name.slice(0, c.name.length - m.length - 1);
    if (!F.expressApps.some((x) => anyName([x], receiver))) continue;
    if (m === "use" && c.args.some((a) => authRe.test(a.text))) appAuth = true;
    if (!F.expressMethods.includes(m)) continue;
    const handlers = c.args.slice(1);
    const last = handlers[handlers.length - 1];
    const fn = last && FUNCTION_TYPES.has(last.type) ? last : last?.type === "identifier" ? file.fns.byName.get(last.text) : undefined;
    if (!fn) continue;
    const mwAuth = handlers.slice(0, -1).some((h) => authRe.test(h.text));
    entry(fn, "express", mwAuth || appAuth || bodyAuth(fn), "the request", file.fns.paramsOf(fn).slice(0, 1));
  }
}

/**
 * Whether the file's first statement is the directive (`"use server"`), after whitespace and
 * comments. A scan that reads each character once: an expression that skipped comments lazily
 * backtracked over every later comment end, seconds on a file of many comments.
 */
export function startsWithDirective(text: string, directive: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith("//", i)) {
      const eol = text.indexOf("\n", i);
      if (eol < 0) return false;
      i = eol + 1;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else break;
  }
  const quote = (c: string | undefined) => c === '"' || c === "'";
  return quote(text[i]) && text.startsWith(directive, i + 1) && quote(text[i + 1 + directive.length]);
}
