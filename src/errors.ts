// Errors that end a run with exit status 2: the operator's invocation or configuration is wrong
// (a missing folder, a broken pack, a baseline that is not one). Findings are never errors.

/** A mistake in how aigate was invoked or configured: exit status 2, one plain line, no stack trace. */
export class ConfigError extends Error {}
