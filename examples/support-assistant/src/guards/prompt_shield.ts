// Screens user messages with the Azure AI Content Safety prompt shield before they reach the model.
export async function screen(message: string, shield: (m: string) => Promise<{ attack: boolean }>): Promise<boolean> {
  const verdict = await shield(message);
  return !verdict.attack;
}
