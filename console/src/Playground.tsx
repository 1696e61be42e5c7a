import { useState } from "react";
import type { Answer, ApiClient, Citation, HistoryTurn, WhoAmI } from "./api.js";
import { AnswerView } from "./AnswerView.js";
import { describe } from "./uploads.js";

interface Turn {
  question: string;
  answer?: Answer;
  error?: string;
}

const HISTORY_TURNS = 10;

/** Ask as a bot would, with follow-ups: the conversation so far goes to /answer as `history`. */
export function Playground({ client, me }: { client: ApiClient; me: WhoAmI }) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState("");
  const [busy, setBusy] = useState(false);
  const [collections, setCollections] = useState<string[]>([]);
  const [sourceTypes, setSourceTypes] = useState<Array<"manual" | "ticket">>([]);
  const [open, setOpen] = useState<{ turn: number; citation: Citation }>();

  const ask = async (e: { preventDefault(): void }): Promise<void> => {
    e.preventDefault();
    const q = question.trim();
    if (!q || busy) return;
    const history: HistoryTurn[] = turns
      .filter((t) => t.answer)
      .slice(-HISTORY_TURNS)
      .flatMap((t): HistoryTurn[] => [{ role: "user", content: t.question }, { role: "assistant", content: t.answer!.answer }]);
    const filters = { ...(collections.length > 0 ? { collections } : {}), ...(sourceTypes.length > 0 ? { sourceTypes } : {}) };
    setBusy(true);
    setQuestion("");
    const index = turns.length;
    setTurns((ts) => [...ts, { question: q }]);
    try {
      const answer = await client.answer({ question: q, ...(history.length > 0 ? { history } : {}), ...(Object.keys(filters).length > 0 ? { filters } : {}) });
      setTurns((ts) => ts.map((t, i) => (i === index ? { ...t, answer } : t)));
    } catch (err) {
      setTurns((ts) => ts.map((t, i) => (i === index ? { ...t, error: describe(err) } : t)));
    } finally {
      setBusy(false);
    }
  };
  const toggle = <T,>(list: T[], value: T, on: boolean): T[] => (on ? [...list, value] : list.filter((v) => v !== value));

  return (
    <section aria-labelledby="playground-title" className="playground">
      <h1 id="playground-title" tabIndex={-1}>Playground</h1>
      <div className="conversation" aria-live="polite">
        {turns.length === 0 ? <p className="muted">Ask a question as a customer or a bot would; follow-up questions keep the conversation.</p> : null}
        {turns.map((t, i) => (
          <article key={i} className="turn" aria-label={`Question ${i + 1}`}>
            <p className="question"><span className="sr-only">Question: </span>{t.question}</p>
            {t.answer ? <AnswerView client={client} answer={t.answer} canRate={me.assist} onOpen={(citation) => setOpen({ turn: i, citation })} /> : null}
            {t.error ? <p className="error" role="alert">{t.error}</p> : null}
            {!t.answer && !t.error ? <p role="status">Answering…</p> : null}
            {open && open.turn === i ? <Passage citation={open.citation} onClose={() => setOpen(undefined)} /> : null}
          </article>
        ))}
      </div>
      <form onSubmit={(e) => void ask(e)} className="ask">
        <label htmlFor="question">Question</label>
        <textarea id="question" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) void ask(e);
        }} />
        <fieldset>
          <legend>Filters</legend>
          {(me.collections ?? []).map((c) => (
            <label key={c} className="check"><input type="checkbox" checked={collections.includes(c)} onChange={(e) => setCollections(toggle(collections, c, e.target.checked))} /> {c}</label>
          ))}
          {me.collections === null ? (
            <label>Collections (comma-separated, empty for all)
              <input type="text" value={collections.join(",")} onChange={(e) => setCollections(e.target.value.split(",").map((s) => s.trim()).filter(Boolean))} />
            </label>
          ) : null}
          {(["manual", "ticket"] as const).map((s) => (
            <label key={s} className="check"><input type="checkbox" checked={sourceTypes.includes(s)} onChange={(e) => setSourceTypes(toggle(sourceTypes, s, e.target.checked))} /> {s === "manual" ? "Manuals" : "Tickets"}</label>
          ))}
        </fieldset>
        <div className="row">
          <button type="submit" disabled={busy}>Ask</button>
          <button type="button" className="secondary" onClick={() => (setTurns([]), setOpen(undefined))}>New conversation</button>
        </div>
      </form>
    </section>
  );
}

function Passage({ citation, onClose }: { citation: Citation; onClose: () => void }) {
  const page = citation.pageLabel ?? (citation.page !== undefined ? String(citation.page) : undefined);
  return (
    <aside className="passage" aria-label={`Cited passage ${citation.n}`} tabIndex={-1} ref={(el) => el?.focus()}>
      <h3>[{citation.n}] {citation.title}</h3>
      <p className="muted">
        {citation.sectionPath.length > 0 ? citation.sectionPath.join(" › ") : "(no section)"}
        {page !== undefined ? ` · page ${page}` : ""}
        {citation.url ? <> · <a href={citation.url} target="_blank" rel="noreferrer">source</a></> : null}
      </p>
      <blockquote className="passage-text">{citation.snippet}</blockquote>
      <button type="button" className="secondary" onClick={onClose}>Close passage</button>
    </aside>
  );
}
