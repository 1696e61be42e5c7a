import type { ChunkFilter } from "../domain/chunk.js";
import type { Source } from "../domain/answer.js";
import { generaliseTicketText } from "../assist/generalise.js";
import { agentSideOfTicket } from "./ticket-text.js";

/**
 * What customer answers (/answer, /v1, `npm run ask` — everything through the answer use case) may be drawn from.
 * Knowledge sources (manuals, FAQs, curated answers) always; past tickets only in the collections an operator opted in
 * (TICKET_ANSWER_COLLECTIONS, none by default), because a ticket is one customer's case: their name, amounts, dates
 * and what an agent did on their account. Applied once, in the use case, so no entry point can forget it.
 */
export function customerFilter(filters: ChunkFilter | undefined, ticketCollections: readonly string[]): ChunkFilter {
  const asked = filters?.ticketCollections;
  const allowed = asked ? ticketCollections.filter((c) => asked.includes(c)) : [...ticketCollections];
  return { ...filters, ticketCollections: allowed };
}

/** The title a customer sees for a cited past ticket: its subject is the other customer's own words. */
export const TICKET_SOURCE_TITLE = "Resolved support case";

/**
 * A ticket as a customer-answer source: the agents' side only (see `agentSideOfTicket`), generalised for customers
 * (names removed, sentences with other customer-specific facts or account actions dropped), under a neutral title.
 * Undefined when nothing general is left.
 */
export function customerTicketSource(source: Source): Source | undefined {
  const text = generaliseTicketText(agentSideOfTicket(source.text), "customer").text;
  return text === "" ? undefined : { ...source, title: TICKET_SOURCE_TITLE, sectionPath: [], text };
}
