import { useEffect, useRef, useState } from "react";
import type { ApiClient, ChunkView, DocumentChunks, StoredDocument } from "./api.js";
import { stateText, useI18n } from "./i18n.js";
import { hrefFor } from "./route.js";
import { describe } from "./uploads.js";

/** Consecutive chunks of one section path. */
interface SectionGroup {
  path: string[];
  chunks: ChunkView[];
}

function bySection(chunks: readonly ChunkView[]): SectionGroup[] {
  const out: SectionGroup[] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && last.path.join("\u0000") === c.sectionPath.join("\u0000")) last.chunks.push(c);
    else out.push({ path: c.sectionPath, chunks: [c] });
  }
  return out;
}

/** "p. 22 (PDF page 24)": the printed label as readers see it, beside the PDF page index when they differ. */
export function pageText(page: number | undefined, label: string | undefined, pageEnd?: number): string {
  if (page === undefined) return "";
  const range = pageEnd !== undefined && pageEnd !== page ? `–${pageEnd}` : "";
  if (label !== undefined && label !== String(page)) return `p. ${label} (PDF page ${page}${range})`;
  return `p. ${page}${range}`;
}

/** A document's sections and chunks as the engine sees them: what an answer can cite, and from where. */
export function DocumentView({ client, collection, id, chunk }: { client: ApiClient; collection: string; id: string; chunk?: string }) {
  const { t } = useI18n();
  const [doc, setDoc] = useState<StoredDocument>();
  const [chunks, setChunks] = useState<DocumentChunks>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    Promise.all([client.getDocument(id, collection), client.chunks(id, collection)]).then(
      ([d, c]) => (setDoc(d), setChunks(c)),
      (err: unknown) => setError(describe(err)),
    );
  }, [client, collection, id]);
  const body = useRef<HTMLDivElement>(null);
  // Opened from a citation: scroll to the cited chunk, highlighted, and move focus there (not the top of a long manual).
  useEffect(() => {
    if (!chunks || chunk === undefined) return;
    const target = body.current?.querySelector<HTMLElement>(`li[data-chunk-id="${CSS.escape(chunk)}"]`);
    target?.scrollIntoView({ block: "center" });
    target?.focus({ preventScroll: true });
  }, [chunks, chunk]);
  const groups = chunks ? bySection(chunks.chunks) : [];
  const jump = (i: number): void => {
    const h = body.current?.querySelector<HTMLElement>(`#section-${i}`);
    h?.scrollIntoView({ block: "start" });
    h?.focus({ preventScroll: true });
  };
  return (
    <section aria-labelledby="doc-title">
      <p><a href={hrefFor({ screen: "library" })}>{t("backToLibrary")}</a></p>
      <h1 id="doc-title" tabIndex={-1}>{doc?.title ?? id}</h1>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {doc ? (
        <dl className="meta">
          <dt>{t("id")}</dt><dd>{doc.id}</dd>
          <dt>{t("collection")}</dt><dd>{doc.collection}</dd>
          <dt>{t("colType")}</dt><dd>{doc.sourceType} ({doc.format})</dd>
          <dt>{t("colStatus")}</dt><dd>{stateText(t, doc.status)}</dd>
          <dt>{t("colPages")}</dt><dd>{doc.pages ?? "—"}</dd>
          <dt>{t("colChunks")}</dt><dd>{doc.chunkCount}</dd>
          <dt>{t("colRedactions")}</dt><dd>{doc.redactions ?? "—"}</dd>
          {doc.lastError ? (<><dt>{t("colError")}</dt><dd className="error">{doc.lastError}</dd></>) : null}
        </dl>
      ) : null}
      {chunks ? (
        <div ref={body}>
          <h2>{t("sectionsAndChunks")}</h2>
          {groups.length > 1 ? (
            <nav aria-label={t("contents")} className="toc">
              <ol>
                {groups.map((g, i) => (
                  <li key={i}><button type="button" className="link" onClick={() => jump(i)}>{g.path.length > 0 ? g.path.join(" › ") : t("noHeading")}</button> <span className="muted small">({g.chunks.length})</span></li>
                ))}
              </ol>
            </nav>
          ) : null}
          {groups.map((g, i) => (
            <section key={i} className="section-group" aria-label={t("sectionLabel", { path: g.path.join(" › ") || t("noHeading") })}>
              <h3 id={`section-${i}`} tabIndex={-1}>{g.path.length > 0 ? g.path.join(" › ") : t("noHeading")}</h3>
              <ol className="chunks">
                {g.chunks.map((c) => (
                  <li key={c.id} value={c.position + 1} data-chunk={c.position} data-chunk-id={c.id}
                    {...(c.id === chunk ? { className: "cited", tabIndex: -1, "aria-current": "location" as const } : {})}>
                    <div className="muted small">
                      {t("chunkN", { n: c.position + 1 })}
                      {c.pageStart !== undefined ? ` · ${pageText(c.pageStart, c.pageLabel, c.pageEnd)}` : ""}
                      {c.blockKind ? ` · ${c.blockKind}` : ""} · {t("tokens", { n: c.tokenCount })}
                    </div>
                    <p className="chunk-text">{c.text}</p>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      ) : null}
    </section>
  );
}
