import { expect } from "vitest";
import type { HistoryTurn } from "../../src/domain/answer.js";

/** What the conversation tests read of an `/answer` reply. */
export interface ConversationReply {
  answer: string;
  standaloneQuestion: string;
  citations: Array<{ sectionPath: string[] }>;
}

/**
 * Asks the questions in turn over HTTP, each with the conversation so far as history, as a chat client would: the
 * user turns, and the assistant's replies unless `withReplies` is false (a client that keeps only its own questions).
 */
export async function converse(url: string, questions: string[], withReplies = true): Promise<ConversationReply[]> {
  const history: HistoryTurn[] = [];
  const replies: ConversationReply[] = [];
  for (const question of questions) {
    const res = await fetch(`${url}/answer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question, history }) });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as ConversationReply;
    replies.push(reply);
    history.push({ role: "user", content: question }, ...(withReplies ? [{ role: "assistant" as const, content: reply.answer }] : []));
  }
  return replies;
}
