// The REST client: @actions/github's Octokit with the retry plugin (5xx, 429) and the throttling
// plugin (primary and secondary rate limits, 403 with retry-after; writes serialised and spaced as
// GitHub's content-creation limits ask).
import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

export type Octokit = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  baseUrl: string;
  /** Where Octokit's own messages go (never a workflow annotation). */
  log?: (message: string) => void;
  /** How often a rate-limited request is retried before it fails (the sink then degrades). */
  rateLimitRetries?: number;
  /** Base of the retry plugin's back-off (ms); tests shorten it. */
  retryAfterBaseValue?: number;
}

export function createClient(token: string, opts: ClientOptions): Octokit {
  const log = opts.log ?? (() => {});
  const retries = opts.rateLimitRetries ?? 2;
  return getOctokit(
    token,
    {
      baseUrl: opts.baseUrl,
      log: { debug: () => {}, info: () => {}, warn: log, error: log },
      retry: opts.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: opts.retryAfterBaseValue },
      throttle: {
        ...(opts.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: opts.retryAfterBaseValue }),
        onRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, count: number) => {
          log(`rate limit hit on ${o.method} ${o.url}; ${count < retries ? `retrying in ${after} s` : "giving up"}`);
          return count < retries;
        },
        onSecondaryRateLimit: (after: number, o: { method: string; url: string }, _k: unknown, count: number) => {
          log(`secondary rate limit hit on ${o.method} ${o.url}; ${count < retries ? `retrying in ${after} s` : "giving up"}`);
          return count < retries;
        },
      },
    } as Parameters<typeof getOctokit>[1],
    retry,
    throttling,
  );
}

/** A 403 "Resource not accessible by integration" (fork PR token, or missing `permissions:`), or a 404 on a write. */
export function isPermissionError(e: unknown): boolean {
  const status = (e as { status?: number }).status;
  return status === 403 || status === 401;
}

export function errorText(e: unknown): string {
  const err = e as { status?: number; message?: string };
  const msg = (err.message ?? String(e)).split("\n")[0]!.slice(0, 300);
  return err.status ? `HTTP ${err.status}: ${msg}` : msg;
}
