import type { HistoryTurn } from "../domain/answer.js";
import type { ChatMessage, ChatModel } from "../ports/chat-model.js";
import { escapeSourceText } from "./prompt.js";

/** Longest standalone question accepted from the model; longer means it answered instead of rewriting. */
const MAX_REWRITE_CHARS = 400;
/** The last turns shown to the model: enough for "that"/"it", bounded so the prompt cannot grow with the chat. */
const MAX_TURNS = 6;
const MAX_TURN_CHARS = 600;

export interface LlmCondenseOptions {
  timeoutMs: number;
  maxTokens?: number;
}

/**
 * The LLM rewrite of a follow-up into a standalone question ("and how do I undo that?" → "How do I cancel a
 * factory reset of the hub?"). Only the last turns go to the model, each cut short, and the reply must be one short
 * question: it never grows with the conversation. Throws on a timeout or a model error; the caller falls back to the
 * heuristic (and counts the fallback).
 */
export function llmCondenser(model: ChatModel, options: LlmCondenseOptions): (question: string, history: HistoryTurn[], signal?: AbortSignal) => Promise<string> {
  return async (question, history, signal) => {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const reply = await model.generate(condenseMessages(question, history), {
      signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
      maxTokens: options.maxTokens ?? 120,
    });
    const line = reply.trim().split("\n")[0]?.trim().replace(/^["'“]|["'”]$/g, "") ?? "";
    if (line.length === 0 || line.length > MAX_REWRITE_CHARS) throw new Error("unusable rewrite");
    return line;
  };
}

export function condenseMessages(question: string, history: HistoryTurn[]): ChatMessage[] {
  const turns = history.slice(-MAX_TURNS).map((t) => `${t.role === "user" ? "Customer" : "Assistant"}: ${escapeSourceText(t.content.slice(0, MAX_TURN_CHARS))}`);
  return [
    {
      role: "system",
      content: [
        "Rewrite the customer's last message as ONE standalone question that can be understood without the conversation.",
        "Resolve pronouns and references (it, that, this, undo, the other one) to what they refer to in the conversation.",
        "Keep the customer's language. Do not answer the question. Do not add anything the customer did not ask.",
        "Reply with the question only, on one line.",
      ].join("\n"),
    },
    { role: "user", content: `<conversation>\n${turns.join("\n")}\n</conversation>\nLast message: ${escapeSourceText(question)}` },
  ];
}
