import { useState, type ReactNode } from "react";
import type { Answer, ApiClient, Citation } from "./api.js";
import { useI18n, type Translate } from "./i18n.js";
import { REASONS } from "./triage-labels.js";
import { describe } from "./uploads.js";

/** The answer text with its [n] markers turned into buttons that open the cited passage. */
function withMarkers(text: string, citations: readonly Citation[], onOpen: (c: Citation) => void, t: Translate): ReactNode[] {
  return text.split(/(\[\d+\])/g).map((part, i) => {
    const n = /^\[(\d+)\]$/.exec(part)?.[1];
    const c = n !== undefined ? citations.find((x) => x.n === Number(n)) : undefined;
    if (!c) return part;
    return <button key={i} type="button" className="marker" aria-label={t("openCitation", { n: c.n, title: c.title })} onClick={() => onOpen(c)}>[{c.n}]</button>;
  });
}

/** One served answer: text with citations, confidence, refusal and escalation reasons, and thumbs up/down. */
export function AnswerView({ client, answer, canRate, onOpen }: { client: ApiClient; answer: Answer; canRate: boolean; onOpen: (c: Citation) => void }) {
  const { t, lang } = useI18n();
  const [rated, setRated] = useState<"up" | "down">();
  const [note, setNote] = useState("");
  const rate = async (rating: "up" | "down"): Promise<void> => {
    try {
      await client.feedback(answer.id, rating);
      setRated(rating);
      setNote(t("feedbackThanks"));
    } catch (err) {
      setNote(t("feedbackFailed", { why: describe(err) }));
    }
  };
  return (
    <div className="answer" data-answerable={answer.answerable} data-escalate={answer.escalate}>
      <p className="answer-text"><span className="sr-only">{lang === "zh" ? "回答：" : "Answer: "}</span>{withMarkers(answer.answer, answer.citations, onOpen, t)}</p>
      {answer.citations.length > 0 ? (
        <ol className="citations" aria-label={t("citations")}>
          {answer.citations.map((c) => (
            <li key={c.n} value={c.n}>
              {c.sourceType === "curated" ? <span className="badge curated">{t("curatedBadge")}</span> : null}{" "}
              <button type="button" className="link" onClick={() => onOpen(c)}>
                {c.title}
                {c.sectionPath.length > 0 ? ` — ${c.sectionPath.join(" › ")}` : ""}
                {c.pageLabel ?? c.page ? `, p. ${c.pageLabel ?? c.page}` : ""}
              </button>
              {c.curated ? <span className="muted small"> · {t("curatedBy", { v: c.curated.version, author: c.curated.author, at: c.curated.updatedAt.replace("T", " ").slice(0, 16) })}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="muted small">
        {t("confidence", { p: Math.round(answer.confidence * 100) })} · {answer.answerable ? t("answered") : t("refused")}
        {answer.degraded ? ` · ${t("degraded")}` : ""}
        {answer.standaloneQuestion !== answer.question ? ` · ${t("searchedAs", { q: answer.standaloneQuestion })}` : ""}
      </p>
      {answer.escalate ? (
        <p className="escalation"><strong>{t("escalate")}</strong> {answer.escalationReasons.map((r) => REASONS[lang][r] ?? r).join("; ") || "yes"}</p>
      ) : null}
      {canRate ? (
        <div className="row" role="group" aria-label={t("rate")}>
          <button type="button" className="secondary" aria-pressed={rated === "up"} onClick={() => void rate("up")}><span aria-hidden="true">▲</span> {t("helpful")}</button>
          <button type="button" className="secondary" aria-pressed={rated === "down"} onClick={() => void rate("down")}><span aria-hidden="true">▼</span> {t("notHelpful")}</button>
          <span role="status" className="muted small">{note}</span>
        </div>
      ) : null}
    </div>
  );
}
