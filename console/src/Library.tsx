import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import type { ApiClient, DocumentPage, StoredDocument, WhoAmI } from "./api.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { stateText, useI18n } from "./i18n.js";
import { hrefFor } from "./route.js";
import { describe, useUploads, type UploadRow } from "./uploads.js";

type Target = { collection: string; id: string; title: string };

/** Documents shown per page (the server searches and pages; no cap on how many there are). */
const PAGE_SIZE = 50;
/** Typing pauses this long before the title search goes to the server. */
const SEARCH_DELAY_MS = 250;

/** Documents by collection with status and counts; drag-and-drop upload with live job states; replace; delete. */
export function Library({ client, me }: { client: ApiClient; me: WhoAmI }) {
  const { t } = useI18n();
  const [page, setPage] = useState<DocumentPage>();
  const [error, setError] = useState<string>();
  const [collection, setCollection] = useState("");
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [offset, setOffset] = useState(0);
  const [status, setStatus] = useState("");
  const [toDelete, setToDelete] = useState<Target>();
  const [known, setKnown] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const timer = setTimeout(() => (setQuery(search.trim()), setOffset(0)), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);
  const refresh = useCallback(() => {
    client.listDocuments({ collection, q: query, limit: PAGE_SIZE, offset }).then(
      (r) => {
        // A delete emptied the last page: show the page that is now last.
        if (r.items.length === 0 && r.offset > 0 && r.total > 0) return setOffset(Math.floor((r.total - 1) / PAGE_SIZE) * PAGE_SIZE);
        setPage(r);
        setError(undefined);
        setKnown((k) => (r.items.every((d) => k.has(d.collection)) ? k : new Set([...k, ...r.items.map((d) => d.collection)])));
      },
      (err: unknown) => setError(describe(err)),
    );
  }, [client, collection, query, offset]);
  useEffect(refresh, [refresh]);
  const uploads = useUploads(client, refresh);
  const collections = useMemo(() => [...new Set([...(me.collections ?? [me.defaultCollection]), ...known])].sort(), [known, me]);
  const [uploadTo, setUploadTo] = useState(me.collections?.[0] ?? me.defaultCollection);
  const docs = page?.items ?? [];

  const remove = async (target: Target): Promise<void> => {
    setToDelete(undefined);
    try {
      await client.remove(target.id, target.collection);
      setStatus(t("deleted", { title: target.title }));
    } catch (err) {
      setStatus(t("deleteFailed", { title: target.title, why: describe(err) }));
    }
    refresh();
  };

  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title" tabIndex={-1}>{t("library")}</h1>
      <DropZone collections={me.collections ?? collections} open={me.collections === null} uploadTo={uploadTo} setUploadTo={setUploadTo} onFiles={(files) => void uploads.upload(files, uploadTo.trim() || undefined)} />
      <UploadList rows={uploads.rows} />
      <div className="filters">
        <label htmlFor="library-collection">{t("collection")}</label>
          <select id="library-collection" value={collection} onChange={(e) => (setCollection(e.target.value), setOffset(0))}>
            <option value="">{t("allCollections")}</option>
            {collections.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        <label htmlFor="library-search">{t("searchTitle")}</label>
        <input id="library-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <p role="status" className="muted">{status}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <DocumentTable docs={docs} onDelete={setToDelete} onReplace={(d, file) => void uploads.replace(d.id, d.collection, file)} />
      {page && page.total > 0 ? <Pager page={page} onOffset={setOffset} /> : null}
      {toDelete ? (
        <ConfirmDialog
          title={t("deleteTitle", { title: toDelete.title })}
          body={t("deleteBody", { collection: toDelete.collection })}
          confirm={t("delete")}
          cancel={t("cancel")}
          onConfirm={() => void remove(toDelete)}
          onCancel={() => setToDelete(undefined)}
        />
      ) : null}
    </section>
  );
}

/** `open`: a key for every collection may also name a new one (a text field with the known ones suggested). */
function DropZone(props: { collections: readonly string[]; open: boolean; uploadTo: string; setUploadTo: (c: string) => void; onFiles: (files: File[]) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length > 0) props.onFiles(files);
  };
  return (
    <div
      className={`dropzone${over ? " over" : ""}`}
      data-testid="dropzone"
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>{t("dropHere")}</p>
      <label>
        {t("uploadInto")}
        {props.open ? (
          <>
            <input type="text" list="known-collections" value={props.uploadTo} pattern="[\w.\-]{1,64}" onChange={(e) => props.setUploadTo(e.target.value)} />
            <datalist id="known-collections">{props.collections.map((c) => <option key={c} value={c} />)}</datalist>
          </>
        ) : (
          <select value={props.uploadTo} onChange={(e) => props.setUploadTo(e.target.value)}>
            {props.collections.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        )}
      </label>
      <button type="button" onClick={() => input.current?.click()}>{t("chooseFiles")}</button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t("filesToUpload")}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length > 0) props.onFiles(files);
        }}
      />
    </div>
  );
}

/** "1–50 of 120" with the previous and next page. */
function Pager({ page, onOffset }: { page: DocumentPage; onOffset: (offset: number) => void }) {
  const { t } = useI18n();
  const to = page.offset + page.items.length;
  return (
    <nav className="row pager" aria-label={t("documents")}>
      <button type="button" className="secondary" disabled={page.offset === 0} onClick={() => onOffset(Math.max(0, page.offset - page.limit))}>{t("previousPage")}</button>
      <span role="status" className="muted">{t("shownOf", { from: page.items.length > 0 ? page.offset + 1 : 0, to, total: page.total })}</span>
      <button type="button" className="secondary" disabled={page.nextOffset === undefined} onClick={() => page.nextOffset !== undefined && onOffset(page.nextOffset)}>{t("nextPage")}</button>
    </nav>
  );
}

function UploadList({ rows }: { rows: readonly UploadRow[] }) {
  const { t } = useI18n();
  if (rows.length === 0) return null;
  return (
    <section aria-label={t("uploads")} className="uploads">
      <h2>{t("uploads")}</h2>
      <ul aria-live="polite">
        {rows.map((r) => (
          <li key={r.key} data-state={r.state} data-via={r.via}>
            <span className="name">{r.fileName}</span> <span className={`badge ${r.state}`}>{stateText(t, r.state)}</span>{" "}
            {r.state === "active" || r.state === "waiting" ? <progress max={100} value={r.progress} aria-label={t("progressOf", { name: r.fileName })} /> : null}
            {r.error ? <span className="error"> {r.error}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DocumentTable({ docs, onDelete, onReplace }: { docs: readonly StoredDocument[]; onDelete: (t: Target) => void; onReplace: (d: StoredDocument, f: File) => void }) {
  const { t } = useI18n();
  if (docs.length === 0) return <p>{t("noDocuments")}</p>;
  return (
    <table className="docs">
      <caption className="sr-only">{t("documents")}</caption>
      <thead>
        <tr>
          {(["colTitle", "collection", "colType", "colStatus", "colPages", "colChunks", "colRedactions", "colError", "colActions"] as const).map((k) => <th key={k} scope="col">{t(k)}</th>)}
        </tr>
      </thead>
      <tbody>
        {docs.map((d) => (
          <tr key={`${d.collection}/${d.id}`} data-document={d.id}>
            <th scope="row"><a href={hrefFor({ screen: "document", collection: d.collection, id: d.id })}>{d.title}</a><div className="muted small">{d.id}</div></th>
            <td>{d.collection}</td>
            <td>{d.sourceType}</td>
            <td><span className={`badge ${d.status}`}>{stateText(t, d.status)}</span></td>
            <td>{d.pages ?? "—"}</td>
            <td>{d.chunkCount}</td>
            <td>{d.redactions ?? "—"}</td>
            <td className="error">{d.lastError ?? ""}</td>
            <td className="actions">
              {d.sourceType === "curated" ? (
                // Versions, authors and coverage live with the curated answer: /documents refuses these writes (409).
                <a href={hrefFor({ screen: "curated" })}>{t("curatedInLibrary")}</a>
              ) : (
                <>
                  <ReplaceButton doc={d} onFile={(f) => onReplace(d, f)} />
                  <button type="button" className="danger" aria-label={t("deleteLabel", { title: d.title })} onClick={() => onDelete({ collection: d.collection, id: d.id, title: d.title })}>{t("delete")}</button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplaceButton({ doc, onFile }: { doc: StoredDocument; onFile: (f: File) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="secondary" aria-label={t("replaceLabel", { title: doc.title })} onClick={() => input.current?.click()}>{t("replace")}</button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label={t("newFileFor", { title: doc.title })}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) onFile(f);
        }}
      />
    </>
  );
}
