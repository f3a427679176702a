// Updates a support ticket; every write waits for the human agent's confirmation.
export async function updateTicket(ticketId: string, change: string, confirm: (summary: string) => Promise<boolean>, write: (id: string, c: string) => Promise<void>) {
  if (!(await confirm(`Apply to ticket ${ticketId}: ${change}`))) return "cancelled";
  await write(ticketId, change);
  return "updated";
}
