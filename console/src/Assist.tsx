import { useState, type ReactNode } from "react";
import type { ApiClient, Suggestion, SuggestResponse, Triage } from "./api.js";
import { cueText, evidenceText, intentText, reasonText, sentimentText, toneText } from "./triage-labels.js";
import { useI18n, type Translate } from "./i18n.js";
import { parseThread } from "./thread.js";
import { describe } from "./uploads.js";

/**
 * Placeholders the engine leaves in drafts for the agent to fill in or delete: "[customer name]", "[order number]",
 * "[phone]", redacted "[EMAIL]" — any bracketed text except the numeric citation markers "[1]".
 */
const PLACEHOLDER = /(\[(?!\d+\])[^[\]\n]{1,40}\])/g;
const IS_PLACEHOLDER = /^\[(?!\d+\])[^[\]\n]{1,40}\]$/;

function highlighted(text: string, t: Translate): ReactNode[] {
  return text.split(PLACEHOLDER).map((part, i) => (IS_PLACEHOLDER.test(part) ? <mark key={i} className="placeholder" title={t("placeholderHint")}>{part}</mark> : part));
}

/** Agent assist: paste a customer thread; get suggested replies with citations, similar past tickets and triage chips. */
export function Assist({ client }: { client: ApiClient }) {
  const { t } = useI18n();
  const [thread, setThread] = useState("");
  const [product, setProduct] = useState("");
  const [result, setResult] = useState<SuggestResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const suggest = async (): Promise<void> => {
    const messages = parseThread(thread);
    if (messages.length === 0) return setError(t("pasteFirst"));
    setBusy(true);
    setError(undefined);
    try {
      setResult(await client.suggest(messages, product.trim() || undefined));
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="assist-title">
      <h1 id="assist-title" tabIndex={-1}>{t("assist")}</h1>
      <form className="ask" onSubmit={(e) => (e.preventDefault(), void suggest())}>
        <label htmlFor="thread">{t("thread")}</label>
        <textarea id="thread" rows={6} value={thread} onChange={(e) => setThread(e.target.value)} aria-describedby="thread-help" />
        <p id="thread-help" className="muted small">{t("threadHelp")}</p>
        <label htmlFor="assist-product">{t("product")}</label><input id="assist-product" type="text" value={product} onChange={(e) => setProduct(e.target.value)} />
        <div className="row"><button type="submit" disabled={busy}>{t("suggestReplies")}</button></div>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div aria-live="polite">{result ? <AssistResult result={result} /> : busy ? <p role="status">{t("working")}</p> : null}</div>
    </section>
  );
}

function AssistResult({ result }: { result: SuggestResponse }) {
  const { t, lang } = useI18n();
  return (
    <>
      <TriageChips triage={result.triage} />
      <h2>{t("suggestions")}</h2>
      <ol className="suggestions">
        {result.suggestions.map((s, i) => <SuggestionCard key={i} n={i + 1} suggestion={s} />)}
      </ol>
      <h2>{t("similarTickets")}</h2>
      {result.similarTickets.length === 0 ? <p className="muted">{t("noneClose")}</p> : (
        <ul className="tickets">
          {result.similarTickets.map((ticket) => (
            <li key={ticket.documentId}>
              <strong>{ticket.subject}</strong> <span className="muted small">({t("similar", { p: Math.round(ticket.similarity * 100) })}{ticket.category ? `, ${intentText(lang, ticket.category)}` : ""})</span>
              {ticket.resolution ? <div className="small">{t("resolution", { v: ticket.resolution })}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TriageChips({ triage }: { triage: Triage }) {
  const { t, lang } = useI18n();
  const cues = triage.sentiment.cues.map((c) => cueText(lang, c));
  return (
    <section aria-label={t("triage")}>
      <h2>{t("triage")}</h2>
      <ul className="chips">
        <li className="chip">{t("triageLanguage", { v: `${triage.language} (${Math.round(triage.languageConfidence * 100)}%)` })}</li>
        <li className={`chip sentiment-${triage.sentiment.label}`}>
          {t("triageSentiment", { v: sentimentText(lang, triage.sentiment.label) + (cues.length > 0 ? ` (${cues.join(lang === "zh" ? "、" : ", ")})` : "") })}
        </li>
        <li className="chip">{t("triageIntent", { v: triage.intent.category !== null ? intentText(lang, triage.intent.category) : t("unknown") })}</li>
        {triage.escalate.details.map((d, i) => (
          <li key={i} className="chip escalate">{t("triageEscalate", { reason: reasonText(lang, d.reason), evidence: evidenceText(lang, d.reason, d.evidence) })}</li>
        ))}
      </ul>
    </section>
  );
}

function SuggestionCard({ n, suggestion }: { n: number; suggestion: Suggestion }) {
  const { t, lang } = useI18n();
  const [copied, setCopied] = useState("");
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(suggestion.text);
      setCopied(t("copied"));
    } catch {
      setCopied(t("copyFailed"));
    }
  };
  return (
    <li className="suggestion" data-basis={suggestion.basis}>
      <p className="muted small">{t(suggestion.basis === "manual" ? "fromManual" : suggestion.basis === "similar-tickets" ? "fromTickets" : "fromHolding")} · {t("tone", { v: toneText(lang, suggestion.tone) })}</p>
      <p className="answer-text">{highlighted(suggestion.text, t)}</p>
      {suggestion.citations.length > 0 ? (
        <ol className="citations" aria-label={t("citationsOf", { n })}>
          {suggestion.citations.map((c) => (
            <li key={c.n} value={c.n}>{c.title}{c.sectionPath.length > 0 ? ` — ${c.sectionPath.join(" › ")}` : ""}{c.pageLabel ?? c.page ? `, p. ${c.pageLabel ?? c.page}` : ""}</li>
          ))}
        </ol>
      ) : null}
      <div className="row">
        <button type="button" className="secondary" aria-label={t("copyLabel", { n })} onClick={() => void copy()}>{t("copy")}</button>
        <span role="status" className="muted small">{copied}</span>
      </div>
    </li>
  );
}
