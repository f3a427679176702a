// What the Python data flow reads from policies/code/patterns.json (flow.python): input sources,
// retrieval, sanitisers, sinks, retrieval writes, entry points and authentication, approval steps,
// rate limiters and the settings that expose an inference UI.
import type { CallPattern } from "../patterns.js";
import type { FlowSink } from "../sinks.js";

export interface PythonFlowData {
  inputCalls: CallPattern[];
  inputAttributes: CallPattern[];
  retrieved: string[];
  sanitizers: string[];
  sinks: FlowSink[];
  safeFilterSinks: FlowSink[];
  retrievalWrites: string[];
  routeDecorators: { pattern: string; framework: string }[];
  gradioCallbacks: string[];
  toolMethods: string[];
  authNames: string;
  approvalCalls: string;
  rateLimitModules: string[];
  streamlitAuth: string;
  exposure: {
    pattern: string;
    kwargs: Record<string, string[]>;
    explain: Record<string, string>;
    authKwargs: string[];
    fileAuth: boolean;
    requiresModel: boolean;
    what: string;
  }[];
}
