// Where users reach a Python file: web routes (by their decorators; a FastAPI route's parameters
// are the request, except injected dependencies), Django views, Gradio callbacks (their parameters
// are the user's input) and Streamlit apps; each with whether it requires authentication: a
// decorator or FastAPI dependency on the route, or for the whole app (FastAPI dependencies or
// middleware, a Flask before_request hook that checks credentials), or a UI's own auth setting.
import type { Node } from "web-tree-sitter";
import type { Seeds } from "../flow-steps.js";
import type { Entry } from "../flow-taint.js";
import { anyName, findPattern } from "../patterns.js";
import { nodesOf } from "../tree-walk.js";
import type { PyFile } from "./context.js";
import type { PythonFlowData } from "./data.js";
import { paramsOf, realParams, type OwnFunctions } from "./functions.js";

export interface EntryPoints {
  /** Routes, views and callbacks, by function node id. */
  byFn: Map<number, Entry>;
  /** The Streamlit app, in a file that imports streamlit: module-level code and its inputs. */
  streamlit: Entry | undefined;
  /** Authentication required for every route of the app (FastAPI dependencies or middleware, a Flask before_request hook). */
  appAuth: boolean;
}

/** A FastAPI parameter whose value is injected (`Depends(...)`), not taken from the request. */
const INJECTED = /^(Depends|Security|fastapi\.Depends|fastapi\.Security)\(/;

/** The file's entry points; seeds the parameters that carry the user's input. */
export function entryPoints(file: PyFile, fns: OwnFunctions, F: PythonFlowData, authRe: RegExp, seeds: Seeds): EntryPoints {
  const appAuth = appAuthenticated(file, authRe);
  const byFn = new Map<number, Entry>();
  routes(file, F, authRe, appAuth, seeds, byFn);
  // Django views: a function whose first parameter is `request` in a file that imports django.
  if (file.names.importsAny(DJANGO)) djangoViews(file, fns, authRe, appAuth, byFn);
  gradioCallbacks(file, fns, F, seeds, byFn);
  const streamlit: Entry | undefined = file.names.importsAny(STREAMLIT)
    ? { framework: "streamlit", name: "the Streamlit app", row: 0, authenticated: new RegExp(F.streamlitAuth).test(file.text) }
    : undefined;
  return { byFn, streamlit, appAuth };
}

const DJANGO = ["django", "rest_framework"];
const STREAMLIT = ["streamlit"];

/** Authentication set up for the whole app: FastAPI app or router dependencies, middleware, a Flask before_request hook that checks credentials. */
function appAuthenticated(file: PyFile, authRe: RegExp): boolean {
  let appAuth = false;
  for (const c of file.calls) {
    if (
      (anyName(["fastapi.FastAPI", "fastapi.APIRouter"], c.name) && c.kwargs.has("dependencies") && authRe.test(c.kwargs.get("dependencies")!.text)) ||
      (c.name.endsWith(".add_middleware") && authRe.test(c.positional[0]?.text ?? ""))
    )
      appAuth = true;
    if (c.name.endsWith(".include_router") && c.kwargs.has("dependencies") && authRe.test(c.kwargs.get("dependencies")!.text)) appAuth = true;
  }
  // Flask: a before_request hook that checks credentials guards every route of the file.
  for (const d of nodesOf(file.root, "decorated_definition")) {
    const decs = decoratorsOf(d).map((x) => x.text);
    if (decs.some((t) => /before_request|before_app_request/.test(t)) && authRe.test(d.childForFieldName("definition")?.text ?? "")) appAuth = true;
  }
  return appAuth;
}

const decoratorsOf = (d: Node): Node[] => d.namedChildren.filter((x): x is Node => x?.type === "decorator");

/** Functions decorated as routes; FastAPI routes' parameters (other than injected ones) are the request. */
function routes(file: PyFile, F: PythonFlowData, authRe: RegExp, appAuth: boolean, seeds: Seeds, byFn: Map<number, Entry>): void {
  for (const d of nodesOf(file.root, "decorated_definition")) {
    const def = d.childForFieldName("definition");
    if (def?.type !== "function_definition") continue;
    let framework: string | undefined;
    let decoratorAuth = false;
    for (const dec of decoratorsOf(d)) {
      const expr = dec.namedChildren[0];
      const q = file.names.qname(expr?.type === "call" ? expr.childForFieldName("function") : expr);
      const route = findPattern(F.routeDecorators, q);
      if (route) {
        framework = route.framework;
        if (
          expr?.type === "call" &&
          authRe.test(
            expr
              .childForFieldName("arguments")
              ?.namedChildren.find((a) => a?.type === "keyword_argument" && a.childForFieldName("name")?.text === "dependencies")?.text ?? "",
          )
        )
          decoratorAuth = true;
      } else if (authRe.test(dec.text)) decoratorAuth = true;
    }
    if (!framework) continue;
    const name = def.childForFieldName("name")?.text ?? "?";
    const params = paramsOf(def);
    const paramAuth = params.some((p) => p.default && INJECTED.test(p.default.text) && authRe.test(p.default.text));
    const entry: Entry = { framework, name, row: def.startPosition.row, authenticated: decoratorAuth || paramAuth || appAuth };
    byFn.set(def.id, entry);
    if (framework !== "fastapi") continue;
    for (const p of params) {
      if (p.default && INJECTED.test(p.default.text)) continue;
      seeds.seed(def, p.name, { kind: "input", what: `the request's ${p.name}`, source: `${name}(${p.name})`, row: p.node.startPosition.row, entry });
    }
  }
}

function djangoViews(file: PyFile, fns: OwnFunctions, authRe: RegExp, appAuth: boolean, byFn: Map<number, Entry>): void {
  const decorators = new Map<number, string>();
  for (const d of nodesOf(file.root, "decorated_definition")) {
    const def = d.childForFieldName("definition");
    if (def)
      decorators.set(
        def.id,
        decoratorsOf(d)
          .map((x) => x.text)
          .join("\n"),
      );
  }
  for (const fn of fns.all) {
    if (realParams(fns, fn)[0]?.name !== "request") continue;
    byFn.set(fn.id, {
      framework: "django",
      name: fn.childForFieldName("name")?.text ?? "?",
      row: fn.startPosition.row,
      authenticated: authRe.test(decorators.get(fn.id) ?? "") || appAuth,
    });
  }
}

/** Functions given as fn= (or first) to a Gradio Interface, ChatInterface or event: their parameters are the user's input. */
function gradioCallbacks(file: PyFile, fns: OwnFunctions, F: PythonFlowData, seeds: Seeds, byFn: Map<number, Entry>): void {
  const gradioCalls = file.calls.filter((c) => c.name.startsWith("gradio"));
  const authenticated = file.calls.some((c) => anyName(["gradio*.launch"], c.name) && c.kwargs.has("auth"));
  for (const c of gradioCalls) {
    if (!F.gradioCallbacks.some((p) => anyName([p], c.name))) continue;
    const fnRef = c.kwargs.get("fn") ?? c.positional[0];
    if (fnRef?.type !== "identifier") continue;
    for (const fn of fns.byName.get(fnRef.text) ?? []) {
      const entry: Entry = { framework: "gradio", name: fnRef.text, row: fn.startPosition.row, authenticated };
      byFn.set(fn.id, entry);
      for (const p of realParams(fns, fn))
        seeds.seed(fn, p.name, { kind: "input", what: `the user's ${p.name}`, source: `${fnRef.text}(${p.name})`, row: p.node.startPosition.row, entry });
    }
  }
}
