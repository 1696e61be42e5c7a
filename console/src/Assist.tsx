import { useState, type ReactNode } from "react";
import type { ApiClient, Suggestion, SuggestResponse, Triage } from "./api.js";
import { parseThread } from "./thread.js";
import { describe } from "./uploads.js";

/** Placeholders the engine leaves in text: redacted personal data ([EMAIL], [ORDER]) for the agent to fill in. */
const PLACEHOLDER = /(\[[A-Z][A-Z0-9_]*\])/g;

function highlighted(text: string): ReactNode[] {
  return text.split(PLACEHOLDER).map((part, i) => (/^\[[A-Z][A-Z0-9_]*\]$/.test(part) ? <mark key={i} className="placeholder" title="Placeholder: fill in before sending">{part}</mark> : part));
}

/** Agent assist: paste a customer thread; get suggested replies with citations, similar past tickets and triage chips. */
export function Assist({ client }: { client: ApiClient }) {
  const [thread, setThread] = useState("");
  const [product, setProduct] = useState("");
  const [result, setResult] = useState<SuggestResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const suggest = async (): Promise<void> => {
    const messages = parseThread(thread);
    if (messages.length === 0) return setError("Paste the customer's messages first.");
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
      <h1 id="assist-title" tabIndex={-1}>Agent assist</h1>
      <form className="ask" onSubmit={(e) => (e.preventDefault(), void suggest())}>
        <label htmlFor="thread">Customer thread</label>
        <textarea id="thread" rows={6} value={thread} onChange={(e) => setThread(e.target.value)} aria-describedby="thread-help" />
        <p id="thread-help" className="muted small">Lines starting with “Customer:” or “Agent:” start a message; a thread without prefixes is the customer’s.</p>
        <label>Product (optional)<input type="text" value={product} onChange={(e) => setProduct(e.target.value)} /></label>
        <div className="row"><button type="submit" disabled={busy}>Suggest replies</button></div>
      </form>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div aria-live="polite">{result ? <AssistResult result={result} /> : busy ? <p role="status">Working…</p> : null}</div>
    </section>
  );
}

function AssistResult({ result }: { result: SuggestResponse }) {
  return (
    <>
      <TriageChips triage={result.triage} />
      <h2>Suggested replies</h2>
      <ol className="suggestions">
        {result.suggestions.map((s, i) => <SuggestionCard key={i} n={i + 1} suggestion={s} />)}
      </ol>
      <h2>Similar past tickets</h2>
      {result.similarTickets.length === 0 ? <p className="muted">None close enough.</p> : (
        <ul className="tickets">
          {result.similarTickets.map((t) => (
            <li key={t.documentId}>
              <strong>{t.subject}</strong> <span className="muted small">({Math.round(t.similarity * 100)}% similar{t.category ? `, ${t.category}` : ""})</span>
              {t.resolution ? <div className="small">Resolution: {t.resolution}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TriageChips({ triage }: { triage: Triage }) {
  return (
    <section aria-label="Triage">
      <h2>Triage</h2>
      <ul className="chips">
        <li className="chip">Language: {triage.language} ({Math.round(triage.languageConfidence * 100)}%)</li>
        <li className={`chip sentiment-${triage.sentiment.label}`}>
          Sentiment: {triage.sentiment.label}{triage.sentiment.cues.length > 0 ? ` (${triage.sentiment.cues.join(", ")})` : ""}
        </li>
        <li className="chip">Intent: {triage.intent.category ?? "unknown"}</li>
        {triage.escalate.details.map((d, i) => (
          <li key={i} className="chip escalate">Escalate: {d.reason} — “{d.evidence}”</li>
        ))}
      </ul>
    </section>
  );
}

function SuggestionCard({ n, suggestion }: { n: number; suggestion: Suggestion }) {
  const [copied, setCopied] = useState("");
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(suggestion.text);
      setCopied("Copied.");
    } catch {
      setCopied("Copy failed: select the text and copy it.");
    }
  };
  return (
    <li className="suggestion" data-basis={suggestion.basis}>
      <p className="muted small">From {suggestion.basis === "manual" ? "the documentation" : suggestion.basis === "similar-tickets" ? "similar tickets" : "a holding reply"} · tone: {suggestion.tone}</p>
      <p className="answer-text">{highlighted(suggestion.text)}</p>
      {suggestion.citations.length > 0 ? (
        <ol className="citations" aria-label={`Citations of suggestion ${n}`}>
          {suggestion.citations.map((c) => (
            <li key={c.n} value={c.n}>{c.title}{c.sectionPath.length > 0 ? ` — ${c.sectionPath.join(" › ")}` : ""}{c.pageLabel ?? c.page ? `, p. ${c.pageLabel ?? c.page}` : ""}</li>
          ))}
        </ol>
      ) : null}
      <div className="row">
        <button type="button" className="secondary" aria-label={`Copy suggestion ${n}`} onClick={() => void copy()}>Copy</button>
        <span role="status" className="muted small">{copied}</span>
      </div>
    </li>
  );
}
