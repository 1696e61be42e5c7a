import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { ApiClient, CuratedAnswer, Proposal, WhoAmI } from "./api.js";
import { startCollection } from "./curated-collection.js";
import { useReturnFocus } from "./dialog.js";
import { useI18n } from "./i18n.js";
import { describe } from "./uploads.js";

/**
 * What the form edits: a new curated answer (a question from the review queue), an existing one (a new version), or
 * a proposed answer from feedback (saving accepts it, as edited).
 */
export type CuratedDraft = { question: string; collections?: readonly string[] } | { existing: CuratedAnswer } | { proposal: Proposal };

/** The form's starting question, answer and collection for a draft. */
function initial(draft: CuratedDraft, me: WhoAmI): { question: string; answer: string; collection: string } {
  if ("existing" in draft) return draft.existing;
  if ("proposal" in draft) {
    const p = draft.proposal;
    return { question: p.question, answer: p.correctedAnswer, collection: startCollection(p.collections, me) };
  }
  return { question: draft.question, answer: "", collection: startCollection(draft.collections, me) };
}

/**
 * The curated-answer form in a modal dialog (native <dialog>: focus stays inside, Escape cancels): the question it
 * answers, the answer, and — for a key that may use several collections — the collection.
 */
export function CuratedForm(props: { client: ApiClient; me: WhoAmI; draft: CuratedDraft; onSaved: (saved: CuratedAnswer) => void; onCancel: () => void }) {
  const { t } = useI18n();
  // Closing the dialog (saved, cancelled, Escape) puts focus back on the button that opened it.
  useReturnFocus();
  const existing = "existing" in props.draft ? props.draft.existing : undefined;
  const proposal = "proposal" in props.draft ? props.draft.proposal : undefined;
  const start = initial(props.draft, props.me);
  const [question, setQuestion] = useState(start.question);
  const [answer, setAnswer] = useState(start.answer);
  const [collection, setCollection] = useState(start.collection);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ref = useRef<HTMLDialogElement>(null);
  const answerRef = useRef<HTMLTextAreaElement>(null);
  // Labels point at their fields (not wrapping them): a wrapped field's text would join its accessible name.
  const ids = { question: useId(), answer: useId(), help: useId(), collection: useId() };
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal focuses the first field (the question, already filled in): the answer is what is to be written.
    answerRef.current?.focus();
    return () => d?.close();
  }, []);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      const input = { question: question.trim(), answer: answer.trim() };
      const saved = existing
        ? await props.client.reviseCurated(existing.id, existing.collection, input)
        : proposal
          ? (await props.client.acceptProposal(proposal.id, { ...input, collection })).curated
          : await props.client.createCurated({ ...input, collection });
      props.onSaved(saved);
    } catch (err) {
      setError(t("curatedSaveFailed", { why: describe(err) }));
      setBusy(false);
    }
  };
  const limited = props.me.collections;
  return (
    <dialog ref={ref} className="curated-form" aria-labelledby="curated-form-title" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <h2 id="curated-form-title">{existing ? t("curatedEditTitle") : proposal ? t("proposalFormTitle") : t("curatedFormTitle")}</h2>
      {proposal?.proposedBy ? <p className="muted small">{t("proposedBy", { name: proposal.proposedBy, at: proposal.createdAt.replace("T", " ").slice(0, 16) })}</p> : null}
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={ids.question}>{t("curatedQuestion")}</label>
        <textarea id={ids.question} rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} required maxLength={1000} />
        <label htmlFor={ids.answer}>{t("curatedAnswer")}</label>
        <textarea id={ids.answer} ref={answerRef} rows={6} value={answer} onChange={(e) => setAnswer(e.target.value)} required maxLength={8000} aria-describedby={ids.help} />
        <p id={ids.help} className="muted small">{t("curatedAnswerHelp")}</p>
        {existing ? null : limited && limited.length > 1 ? (
          <>
            <label htmlFor={ids.collection}>{t("collection")}</label>
            <select id={ids.collection} value={collection} onChange={(e) => setCollection(e.target.value)}>
              {limited.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </>
        ) : !limited ? (
          <>
            <label htmlFor={ids.collection}>{t("collection")}</label>
            <input id={ids.collection} value={collection} onChange={(e) => setCollection(e.target.value)} required pattern="[\w.\-]{1,64}" />
          </>
        ) : null}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <div className="row">
          <button type="submit" disabled={busy}>{busy ? t("saving") : t("save")}</button>
          <button type="button" className="secondary" onClick={props.onCancel}>{t("cancel")}</button>
        </div>
      </form>
    </dialog>
  );
}
