import { useState, type ReactNode } from "react";
import type { Answer, ApiClient, Citation, EscalationReason } from "./api.js";
import { describe } from "./uploads.js";

const REASONS: Record<EscalationReason, string> = {
  "low-confidence": "confidence below the threshold",
  "no-evidence": "no passage supports an answer",
  "unsupported-answer": "the draft was not supported by the passages",
  "composer-failed": "the answer model failed",
  "human-requested": "the customer asked for a person",
  "negative-sentiment": "the customer sounds upset",
  "sensitive-topic": "a sensitive topic (billing, legal, safety…)",
  "repeated-contact": "the customer has asked before",
};

/** The answer text with its [n] markers turned into buttons that open the cited passage. */
function withMarkers(text: string, citations: readonly Citation[], onOpen: (c: Citation) => void): ReactNode[] {
  return text.split(/(\[\d+\])/g).map((part, i) => {
    const n = /^\[(\d+)\]$/.exec(part)?.[1];
    const c = n !== undefined ? citations.find((x) => x.n === Number(n)) : undefined;
    if (!c) return part;
    return <button key={i} type="button" className="marker" aria-label={`Open citation ${c.n}: ${c.title}`} onClick={() => onOpen(c)}>[{c.n}]</button>;
  });
}

/** One served answer: text with citations, confidence, refusal and escalation reasons, and thumbs up/down. */
export function AnswerView({ client, answer, canRate, onOpen }: { client: ApiClient; answer: Answer; canRate: boolean; onOpen: (c: Citation) => void }) {
  const [rated, setRated] = useState<"up" | "down">();
  const [note, setNote] = useState("");
  const rate = async (rating: "up" | "down"): Promise<void> => {
    try {
      await client.feedback(answer.id, rating);
      setRated(rating);
      setNote("Thanks, feedback recorded.");
    } catch (err) {
      setNote(`Feedback not recorded: ${describe(err)}`);
    }
  };
  return (
    <div className="answer" data-answerable={answer.answerable} data-escalate={answer.escalate}>
      <p className="answer-text"><span className="sr-only">Answer: </span>{withMarkers(answer.answer, answer.citations, onOpen)}</p>
      {answer.citations.length > 0 ? (
        <ol className="citations" aria-label="Citations">
          {answer.citations.map((c) => (
            <li key={c.n} value={c.n}>
              <button type="button" className="link" onClick={() => onOpen(c)}>
                {c.title}
                {c.sectionPath.length > 0 ? ` — ${c.sectionPath.join(" › ")}` : ""}
                {c.pageLabel ?? c.page ? `, p. ${c.pageLabel ?? c.page}` : ""}
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      <p className="muted small">
        Confidence {Math.round(answer.confidence * 100)}% · {answer.answerable ? "answered" : "refused"}
        {answer.degraded ? " · degraded (extractive fallback)" : ""}
        {answer.standaloneQuestion !== answer.question ? ` · searched as “${answer.standaloneQuestion}”` : ""}
      </p>
      {answer.escalate ? (
        <p className="escalation"><strong>Escalate to a person:</strong> {answer.escalationReasons.map((r) => REASONS[r] ?? r).join("; ") || "yes"}</p>
      ) : null}
      {canRate ? (
        <div className="row" role="group" aria-label="Rate this answer">
          <button type="button" className="secondary" aria-pressed={rated === "up"} aria-label="Helpful" onClick={() => void rate("up")}>👍</button>
          <button type="button" className="secondary" aria-pressed={rated === "down"} aria-label="Not helpful" onClick={() => void rate("down")}>👎</button>
          <span role="status" className="muted small">{note}</span>
        </div>
      ) : null}
    </div>
  );
}
