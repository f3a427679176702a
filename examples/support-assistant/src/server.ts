// Chat endpoint: signed-in customers only, bounded input and output, per-session quota.
export const LIMITS = { maxMessageChars: 2000, maxTokens: 600, timeoutMs: 20_000, sessionQuota: 40 } as const;

export function accept(req: { user?: string; body: string }, used: number): string | undefined {
  if (!req.user) return "sign in first";
  if (req.body.length > LIMITS.maxMessageChars) return "message too long";
  if (used >= LIMITS.sessionQuota) return "quota reached";
  return undefined;
}
