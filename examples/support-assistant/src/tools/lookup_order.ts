// Looks up an order of the signed-in customer (read-only, with the customer's own token).
export async function lookupOrder(orderId: string, userToken: string, api: (path: string, token: string) => Promise<unknown>) {
  return api(`/orders/${encodeURIComponent(orderId)}`, userToken);
}
