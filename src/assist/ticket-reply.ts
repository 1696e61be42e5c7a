import type { Citation, Source } from "../domain/answer.js";
import type { AnswerComposer } from "../answer/composer.js";
import { verifyAnswer } from "../answer/verify-citations.js";
import type { SimilarTicket } from "./similar-tickets.js";
import { generaliseTicketText } from "./generalise.js";

/** A reply drafted from how agents answered similar tickets. */
export interface TicketReply {
  text: string;
  citations: Citation[];
}

const AGENT_LINE_RE = /^\s*Agent:\s*/;
const SPEAKER_LINE_RE = /^\s*(?:Subject|Customer|Agent|Resolution):\s*/;

/**
 * What agents wrote in a ticket, as one source text. Customer lines are left out (a reply must not repeat the other
 * customer's words), and so is the resolution note, which is written about the customer ("Customer did …").
 */
export function agentText(ticketText: string): string {
  const out: string[] = [];
  let agent = false;
  for (const line of ticketText.split("\n")) {
    if (SPEAKER_LINE_RE.test(line)) agent = AGENT_LINE_RE.test(line);
    if (agent) out.push(line.replace(AGENT_LINE_RE, ""));
  }
  return out.join("\n").trim();
}

/**
 * A cited reply from the agents' answers in the given tickets: the composer extracts what matches `question`, and
 * verification keeps only sentences supported by the ticket they cite. The agents' text is generalised first
 * (src/assist/generalise.ts): the other customer's name, amounts, dates, order and account numbers and what that agent
 * did on their account are visible placeholders ("[customer name]", "[action taken: refund issued]") the agent fills
 * in or deletes before sending. Undefined when nothing survives.
 */
export async function replyFromTickets(
  composer: AnswerComposer,
  question: string,
  language: string,
  tickets: readonly SimilarTicket[],
  signal?: AbortSignal,
): Promise<TicketReply | undefined> {
  const sources: Source[] = [];
  for (const t of tickets) {
    const text = generaliseTicketText(agentText(t.text), "agent").text;
    if (text === "") continue;
    sources.push({ n: sources.length + 1, chunkId: `ticket:${t.collection}/${t.documentId}`, documentId: t.documentId, title: t.subject, sectionPath: [], sourceType: "ticket", text, score: t.similarity });
  }
  if (sources.length === 0) return undefined;
  const composed = await composer.compose({ question, language, sources, ...(signal ? { signal } : {}) });
  if (composed.refused || composed.text.trim() === "") return undefined;
  const verified = verifyAnswer(composed.text, sources, { language });
  if (verified.refused) return undefined;
  return { text: verified.text, citations: verified.citations };
}
