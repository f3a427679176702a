// What the Python and JS/TS data-flow analyses carry: the taint that reaches a place, and the web
// or UI entry point untrusted input arrived through. One definition for both languages.

/** A web or UI entry point (a route, a handler, an interface callback). */
export interface Entry {
  framework: string;
  name: string;
  row: number;
  authenticated: boolean;
}

/** What reaches a place: a model answer, untrusted input, or a model-chosen tool argument. */
export interface Taint {
  kind: "model" | "input" | "tool" | "param" | "import";
  /** "the model answer", "the request body", ... */
  what: string;
  /** The source call's qualified name (model answers), or what the input is. */
  source: string;
  row: number;
  /** The web or UI entry point the input arrived through. */
  entry?: Entry;
  tool?: string;
  /** Built into a prompt template (f-string, +, format) on its way. */
  templated?: boolean;
  /** Typed by the person running the program (console, arguments): theirs to run, not an attack. */
  local?: boolean;
  /**
   * Summary pass only (summary.ts): `param` is a function's parameter (`source` is the function's
   * key, `index` its position), `import` the result of a function defined in another file
   * (`source` is the callee). Never reported as such.
   */
  index?: number;
}
