import { useEffect, useRef, useState } from "react";
import type { ApiClient, ChunkView, Citation, HistoryTurn, WhoAmI } from "./api.js";
import { AnswerView } from "./AnswerView.js";
import type { Conversation } from "./conversation.js";
import { useReturnFocus } from "./dialog.js";
import { hrefFor } from "./route.js";
import { useI18n } from "./i18n.js";
import { describe } from "./uploads.js";

const HISTORY_TURNS = 10;

/** Ask as a bot would, with follow-ups: the conversation so far goes to /answer as `history`. */
export function Playground({ client, me, conversation }: { client: ApiClient; me: WhoAmI; conversation: Conversation }) {
  const { t } = useI18n();
  const { turns, setTurns } = conversation;
  const [question, setQuestion] = useState("");
  const [busy, setBusy] = useState(false);
  const [collections, setCollections] = useState<string[]>([]);
  const [sourceTypes, setSourceTypes] = useState<Array<"manual" | "ticket" | "curated">>([]);
  const [open, setOpen] = useState<{ turn: number; citation: Citation }>();

  const ask = async (e: { preventDefault(): void }): Promise<void> => {
    e.preventDefault();
    const q = question.trim();
    if (!q || busy) return;
    const history: HistoryTurn[] = turns
      .filter((turn) => turn.answer)
      .slice(-HISTORY_TURNS)
      .flatMap((turn): HistoryTurn[] => [{ role: "user", content: turn.question }, { role: "assistant", content: turn.answer!.answer }]);
    const filters = { ...(collections.length > 0 ? { collections } : {}), ...(sourceTypes.length > 0 ? { sourceTypes } : {}) };
    setBusy(true);
    setQuestion("");
    const index = turns.length;
    setTurns((ts) => [...ts, { question: q }]);
    try {
      const answer = await client.answer({ question: q, ...(history.length > 0 ? { history } : {}), ...(Object.keys(filters).length > 0 ? { filters } : {}) });
      setTurns((ts) => ts.map((turn, i) => (i === index ? { ...turn, answer } : turn)));
    } catch (err) {
      setTurns((ts) => ts.map((turn, i) => (i === index ? { ...turn, error: describe(err) } : turn)));
    } finally {
      setBusy(false);
    }
  };
  const toggle = <T,>(list: T[], value: T, on: boolean): T[] => (on ? [...list, value] : list.filter((v) => v !== value));

  return (
    <section aria-labelledby="playground-title" className="playground">
      <h1 id="playground-title" tabIndex={-1}>{t("playground")}</h1>
      <div className="conversation" aria-live="polite">
        {turns.length === 0 ? <p className="muted">{t("playgroundHelp")}</p> : null}
        {turns.map((turn, i) => (
          <article key={i} className="turn" aria-label={t("questionN", { n: i + 1 })}>
            <p className="question"><span className="sr-only">{t("question")}: </span>{turn.question}</p>
            {turn.answer ? <AnswerView client={client} answer={turn.answer} canRate={me.assist} onOpen={(citation) => setOpen({ turn: i, citation })} /> : null}
            {turn.error ? <p className="error" role="alert">{turn.error}</p> : null}
            {!turn.answer && !turn.error ? <p role="status">{t("answering")}</p> : null}
            {open && open.turn === i ? <Passage key={open.citation.n} client={client} me={me} citation={open.citation} onClose={() => setOpen(undefined)} /> : null}
          </article>
        ))}
      </div>
      <form onSubmit={(e) => void ask(e)} className="ask">
        <label htmlFor="question">{t("question")}</label>
        <textarea id="question" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) void ask(e);
        }} />
        <fieldset>
          <legend>{t("filters")}</legend>
          {(me.collections ?? []).map((c) => (
            <label key={c} className="check"><input type="checkbox" checked={collections.includes(c)} onChange={(e) => setCollections(toggle(collections, c, e.target.checked))} /> {c}</label>
          ))}
          {me.collections === null ? (
            <>
              <label htmlFor="playground-collections">{t("collectionsInput")}</label>
              <input id="playground-collections" type="text" value={collections.join(",")} onChange={(e) => setCollections(e.target.value.split(",").map((s) => s.trim()).filter(Boolean))} />
            </>
          ) : null}
          {(["manual", "ticket", "curated"] as const).map((s) => (
            <label key={s} className="check"><input type="checkbox" checked={sourceTypes.includes(s)} onChange={(e) => setSourceTypes(toggle(sourceTypes, s, e.target.checked))} /> {s === "manual" ? t("manuals") : s === "ticket" ? t("tickets") : t("curatedSources")}</label>
          ))}
        </fieldset>
        <div className="row">
          <button type="submit" disabled={busy}>{t("ask")}</button>
          <button type="button" className="secondary" onClick={() => (setTurns([]), setOpen(undefined))}>{t("newConversation")}</button>
        </div>
      </form>
    </section>
  );
}

/**
 * The cited passage. A citation naming its stored chunk opens that chunk whole (GET /chunks/:id?chunk=) for keys that
 * may read documents, with the chunk's section path and printed page; otherwise (a bot key, an older server) the
 * citation's snippet.
 */
function Passage({ client, me, citation, onClose }: { client: ApiClient; me: WhoAmI; citation: Citation; onClose: () => void }) {
  const { t } = useI18n();
  const [chunk, setChunk] = useState<ChunkView>();
  const canOpen = citation.collection !== undefined && citation.chunkId !== undefined && (me.scopes.includes("ingest") || me.scopes.includes("admin"));
  useEffect(() => {
    setChunk(undefined);
    if (!canOpen || citation.collection === undefined || citation.chunkId === undefined) return;
    client.chunk(citation.documentId, citation.collection, citation.chunkId).then(setChunk, () => setChunk(undefined));
  }, [client, canOpen, citation]);
  useReturnFocus();
  // Focus moves into the panel once, when it opens (not again whenever the whole chunk arrives).
  const self = useRef<HTMLElement>(null);
  useEffect(() => self.current?.focus(), []);
  const section = chunk?.sectionPath ?? citation.sectionPath;
  // The printed page as readers see it (the chunk's when opened whole).
  const page = chunk?.pageStart !== undefined ? chunk.pageLabel ?? chunk.pageStart : citation.pageLabel ?? citation.page;
  return (
    <aside className="passage" aria-label={t("citedPassage", { n: citation.n })} tabIndex={-1} ref={self}
      onKeyDown={(e) => (e.key === "Escape" ? (e.stopPropagation(), onClose()) : undefined)} data-whole={chunk ? "true" : "false"}>
      <h3>[{citation.n}] {citation.title}</h3>
      <p className="muted">
        {citation.sourceType === "curated" ? <><span className="badge curated">{t("curatedBadge")}</span>{citation.curated ? ` ${t("curatedBy", { v: citation.curated.version, author: citation.curated.author, at: citation.curated.updatedAt.replace("T", " ").slice(0, 16) })}` : ""} · </> : null}
        {section.length > 0 ? section.join(" › ") : t("noSection")}
        {page !== undefined ? ` · ${t("page", { p: page })}` : ""}
        {citation.url ? <> · <a href={citation.url} target="_blank" rel="noreferrer">{t("source")}</a></> : null}
      </p>
      {chunk ? (
        <>
          <p className="muted small">{t("wholeChunk")}</p>
          <blockquote className="passage-text chunk-text">{chunk.text}</blockquote>
          <p className="muted small">{t("snippetOnly")}: <mark>{citation.snippet}</mark></p>
          {citation.collection ? <p><a href={hrefFor({ screen: "document", collection: citation.collection, id: citation.documentId, chunk: chunk.id })}>{t("inDocument")}</a></p> : null}
        </>
      ) : (
        <blockquote className="passage-text">{citation.snippet}</blockquote>
      )}
      <button type="button" className="secondary" onClick={onClose}>{t("closePassage")}</button>
    </aside>
  );
}
