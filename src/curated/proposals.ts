import type { CuratedAnswer } from "../domain/curated.js";
import type { Proposal, ProposalReview, ViewScope } from "../ports/analytics-store.js";
import { createCuratedAnswer, deleteCuratedAnswer, type CuratedDeps } from "./curated-answers.js";

/** Where proposals are kept and reviewed (the analytics log, through `Assist`). */
export interface ProposalReviews {
  proposal(id: number, scope?: ViewScope): Promise<Proposal | undefined>;
  reviewProposal(id: number, review: ProposalReview, scope?: ViewScope): Promise<boolean>;
}

/** What a reviewer accepts: the proposal's text as submitted, or as the reviewer edited it. */
export interface Acceptance {
  /** Key name of the reviewer (the curated version's author). */
  author: string;
  collection: string;
  /** Edited question/answer; the proposal's question and correction when absent. */
  question?: string;
  answer?: string;
}

/** Why a review did nothing: no such proposal within the reviewer's collections, or already accepted/dismissed. */
export type ReviewRefusal = "missing" | "reviewed";

/**
 * Accepts a proposed correction: it becomes a curated answer (version 1) authored by the reviewer and crediting the
 * proposer, and only from then on can it answer anyone — a proposal itself is never indexed, so a bot key sending
 * feedback cannot put text in front of customers. The text is redacted like any curated answer. Two reviewers
 * accepting at once create one answer: the loser's is deleted again and it gets "reviewed".
 */
export async function acceptProposal(
  reviews: ProposalReviews,
  curated: CuratedDeps,
  id: number,
  acceptance: Acceptance,
  scope: ViewScope = {},
): Promise<{ proposal: Proposal; curated: CuratedAnswer } | ReviewRefusal> {
  const proposal = await reviews.proposal(id, scope);
  if (!proposal) return "missing";
  if (proposal.state !== "open") return "reviewed";
  const saved = await createCuratedAnswer(curated, {
    collection: acceptance.collection,
    question: acceptance.question ?? proposal.question,
    answer: acceptance.answer ?? proposal.correctedAnswer,
    author: acceptance.author,
    ...(proposal.proposedBy !== undefined ? { proposedBy: proposal.proposedBy } : {}),
  });
  const at = saved.updatedAt;
  if (!(await reviews.reviewProposal(id, { state: "accepted", by: acceptance.author, at, curatedId: saved.id }, scope))) {
    await deleteCuratedAnswer(curated, saved.collection, saved.id);
    return "reviewed";
  }
  return { proposal: (await reviews.proposal(id, scope)) ?? proposal, curated: saved };
}

/** Dismisses an open proposal (it stays listed as dismissed, with who dismissed it). */
export async function dismissProposal(
  reviews: ProposalReviews, id: number, by: string, scope: ViewScope = {}, now = new Date(),
): Promise<Proposal | ReviewRefusal> {
  const proposal = await reviews.proposal(id, scope);
  if (!proposal) return "missing";
  if (!(await reviews.reviewProposal(id, { state: "dismissed", by, at: now.toISOString() }, scope))) return "reviewed";
  return (await reviews.proposal(id, scope)) ?? proposal;
}
