// One chat turn: screen the message, retrieve articles, ask the model with the two tools, and
// return text that the widget renders with textContent (never as HTML).
import { AzureOpenAI } from "openai";
import { screen } from "./guards/prompt_shield.js";
import { LIMITS } from "./server.js";

const client = new AzureOpenAI({ deployment: "gpt-4o-2024-08-06", apiVersion: "2024-10-21" });

const tools = [
  { type: "function" as const, function: { name: "lookup-order", description: "Look up one of the signed-in customer's orders", parameters: { type: "object", properties: { orderId: { type: "string" } } } } },
  { type: "function" as const, function: { name: "update-ticket", description: "Propose a change to the customer's ticket; an agent confirms it", parameters: { type: "object", properties: { ticketId: { type: "string" }, change: { type: "string" } } } } },
];

export async function answer(message: string, articles: string[], shield: (m: string) => Promise<{ attack: boolean }>): Promise<string> {
  if (!(await screen(message, shield))) return "Sorry, I can't help with that.";
  const completion = await client.chat.completions.create({
    model: "gpt-4o-2024-08-06",
    max_tokens: LIMITS.maxTokens,
    tools,
    messages: [
      { role: "system", content: "Answer only from the articles." },
      { role: "user", content: `<articles>${articles.join("\n")}</articles>\n<customer_message>${message}</customer_message>` },
    ],
  });
  return completion.choices[0]?.message.content ?? "";
}
