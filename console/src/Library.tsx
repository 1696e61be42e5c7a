import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import type { ApiClient, StoredDocument, WhoAmI } from "./api.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { hrefFor } from "./route.js";
import { describe, useUploads, type UploadRow } from "./uploads.js";

type Target = { collection: string; id: string; title: string };

/** Documents by collection with status and counts; drag-and-drop upload with live job states; replace; delete. */
export function Library({ client, me }: { client: ApiClient; me: WhoAmI }) {
  const [docs, setDocs] = useState<StoredDocument[]>([]);
  const [error, setError] = useState<string>();
  const [collection, setCollection] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [toDelete, setToDelete] = useState<Target>();
  const refresh = useCallback(() => {
    client.listDocuments().then((r) => (setDocs(r.items), setError(undefined)), (err: unknown) => setError(describe(err)));
  }, [client]);
  useEffect(refresh, [refresh]);
  const uploads = useUploads(client, refresh);
  const collections = useMemo(() => [...new Set([...(me.collections ?? [me.defaultCollection]), ...docs.map((d) => d.collection)])].sort(), [docs, me]);
  const [uploadTo, setUploadTo] = useState(me.collections?.[0] ?? me.defaultCollection);
  const shown = docs.filter((d) => (!collection || d.collection === collection) && d.title.toLowerCase().includes(search.trim().toLowerCase()));

  const remove = async (t: Target): Promise<void> => {
    setToDelete(undefined);
    try {
      await client.remove(t.id, t.collection);
      setStatus(`Deleted ${t.title}.`);
    } catch (err) {
      setStatus(`Could not delete ${t.title}: ${describe(err)}`);
    }
    refresh();
  };

  return (
    <section aria-labelledby="library-title">
      <h1 id="library-title" tabIndex={-1}>Library</h1>
      <DropZone collections={me.collections ? me.collections : collections} uploadTo={uploadTo} setUploadTo={setUploadTo} onFiles={(files) => void uploads.upload(files, uploadTo)} />
      <UploadList rows={uploads.rows} />
      <div className="filters">
        <label>
          Collection
          <select value={collection} onChange={(e) => setCollection(e.target.value)}>
            <option value="">All collections</option>
            {collections.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>
          Search by title
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <p role="status" className="muted">{status}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <DocumentTable docs={shown} onDelete={setToDelete} onReplace={(d, file) => void uploads.replace(d.id, d.collection, file)} />
      {toDelete ? (
        <ConfirmDialog
          title={`Delete “${toDelete.title}”?`}
          body={`It is removed from the collection ${toDelete.collection} and no longer used in answers.`}
          confirm="Delete"
          onConfirm={() => void remove(toDelete)}
          onCancel={() => setToDelete(undefined)}
        />
      ) : null}
    </section>
  );
}

function DropZone(props: { collections: readonly string[]; uploadTo: string; setUploadTo: (c: string) => void; onFiles: (files: File[]) => void }) {
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
      <p>Drop PDFs, Word, Markdown, HTML, text or ticket exports (JSON/CSV) here, or</p>
      <label>
        Upload into collection
        <select value={props.uploadTo} onChange={(e) => props.setUploadTo(e.target.value)}>
          {props.collections.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      <button type="button" onClick={() => input.current?.click()}>Choose files…</button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to upload"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          if (files.length > 0) props.onFiles(files);
        }}
      />
    </div>
  );
}

function UploadList({ rows }: { rows: readonly UploadRow[] }) {
  if (rows.length === 0) return null;
  return (
    <section aria-label="Uploads" className="uploads">
      <h2>Uploads</h2>
      <ul aria-live="polite">
        {rows.map((r) => (
          <li key={r.key} data-state={r.state}>
            <span className="name">{r.fileName}</span> <span className={`badge ${r.state}`}>{r.state}</span>{" "}
            {r.state === "active" || r.state === "waiting" ? <progress max={100} value={r.progress} aria-label={`${r.fileName} progress`} /> : null}
            {r.error ? <span className="error"> {r.error}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function DocumentTable({ docs, onDelete, onReplace }: { docs: readonly StoredDocument[]; onDelete: (t: Target) => void; onReplace: (d: StoredDocument, f: File) => void }) {
  if (docs.length === 0) return <p>No documents.</p>;
  return (
    <table className="docs">
      <caption className="sr-only">Documents</caption>
      <thead>
        <tr>
          <th scope="col">Title</th><th scope="col">Collection</th><th scope="col">Type</th><th scope="col">Status</th>
          <th scope="col">Pages</th><th scope="col">Chunks</th><th scope="col">Redactions</th><th scope="col">Last error</th><th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {docs.map((d) => (
          <tr key={`${d.collection}/${d.id}`} data-document={d.id}>
            <th scope="row"><a href={hrefFor({ screen: "document", collection: d.collection, id: d.id })}>{d.title}</a><div className="muted small">{d.id}</div></th>
            <td>{d.collection}</td>
            <td>{d.sourceType}</td>
            <td><span className={`badge ${d.status}`}>{d.status}</span></td>
            <td>{d.pages ?? "—"}</td>
            <td>{d.chunkCount}</td>
            <td>{d.redactions ?? "—"}</td>
            <td className="error">{d.lastError ?? ""}</td>
            <td className="actions">
              <ReplaceButton doc={d} onFile={(f) => onReplace(d, f)} />
              <button type="button" className="danger" aria-label={`Delete ${d.title}`} onClick={() => onDelete({ collection: d.collection, id: d.id, title: d.title })}>Delete</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReplaceButton({ doc, onFile }: { doc: StoredDocument; onFile: (f: File) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="secondary" aria-label={`Replace ${doc.title}`} onClick={() => input.current?.click()}>Replace</button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label={`New file for ${doc.title}`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) onFile(f);
        }}
      />
    </>
  );
}
