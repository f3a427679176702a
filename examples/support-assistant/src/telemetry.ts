// Logs metadata of every model call (user id, latency, token counts; no message text).
export function logModelCall(userId: string, latencyMs: number, tokens: number) {
  console.log(JSON.stringify({ event: "model_call", userId, latencyMs, tokens }));
}
