import { useCallback, useEffect, useState } from "react";
import type { ApiClient, CuratedAnswer, CuratedAnswerWithVersions, WhoAmI } from "./api.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { CuratedForm } from "./CuratedForm.js";
import { useI18n } from "./i18n.js";
import { Proposals } from "./Proposals.js";
import { describe } from "./uploads.js";

const when = (iso: string): string => iso.replace("T", " ").slice(0, 16);

/** Curated answers: the latest version of each, with edit (a new version), its versions, and delete. */
export function Curated({ client, me, canWrite }: { client: ApiClient; me: WhoAmI; canWrite: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<CuratedAnswer[]>();
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<CuratedAnswer>();
  const [toDelete, setToDelete] = useState<CuratedAnswer>();
  const [open, setOpen] = useState<CuratedAnswerWithVersions>();
  const load = useCallback(() => {
    client.listCurated().then((r) => (setItems(r.items), setError(undefined)), (err: unknown) => setError(describe(err)));
  }, [client]);
  useEffect(load, [load]);
  const toggleVersions = async (c: CuratedAnswer): Promise<void> => {
    if (open?.id === c.id) return setOpen(undefined);
    try {
      setOpen(await client.getCurated(c.id, c.collection));
    } catch (err) {
      setError(describe(err));
    }
  };
  const remove = async (c: CuratedAnswer): Promise<void> => {
    setToDelete(undefined);
    try {
      await client.deleteCurated(c.id, c.collection);
      setStatus(t("deleted", { title: c.question }));
      if (open?.id === c.id) setOpen(undefined);
      load();
    } catch (err) {
      setError(t("deleteFailed", { title: c.question, why: describe(err) }));
    }
  };
  return (
    <section aria-labelledby="curated-title">
      <h1 id="curated-title" tabIndex={-1}>{t("curated")}</h1>
      <p className="muted">{t("curatedHelp")}</p>
      <p role="status" className="muted small">{status}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {canWrite ? <Proposals client={client} me={me} onAccepted={load} /> : null}
      {items && items.length === 0 ? <p>{t("noCurated")}</p> : null}
      {items && items.length > 0 ? (
        <table className="docs curated-list">
          <caption className="sr-only">{t("curated")}</caption>
          <thead>
            <tr><th scope="col">{t("colQuestion")}</th><th scope="col">{t("curatedAnswer")}</th><th scope="col">{t("collection")}</th><th scope="col">{t("colVersion")}</th><th scope="col">{t("colAuthor")}</th><th scope="col">{t("colUpdated")}</th><th scope="col">{t("colActions")}</th></tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <CuratedRow
                key={`${c.collection}/${c.id}`}
                c={c}
                canWrite={canWrite}
                open={open?.id === c.id ? open : undefined}
                onEdit={() => setEditing(c)}
                onVersions={() => void toggleVersions(c)}
                onDelete={() => setToDelete(c)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <CuratedForm
          client={client}
          me={me}
          draft={{ existing: editing }}
          onCancel={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            setStatus(t("curatedSaved", { v: saved.version }));
            if (open?.id === saved.id) setOpen(undefined);
            load();
          }}
        />
      ) : null}
      {toDelete ? (
        <ConfirmDialog
          title={t("deleteCuratedTitle", { q: toDelete.question })}
          body={t("deleteCuratedBody")}
          confirm={t("delete")}
          cancel={t("cancel")}
          onConfirm={() => void remove(toDelete)}
          onCancel={() => setToDelete(undefined)}
        />
      ) : null}
    </section>
  );
}

/** One curated answer's row, and its versions (newest first) below it when opened. */
function CuratedRow(props: { c: CuratedAnswer; canWrite: boolean; open: CuratedAnswerWithVersions | undefined; onEdit: () => void; onVersions: () => void; onDelete: () => void }) {
  const { t } = useI18n();
  const { c, open } = props;
  return (
    <>
      <tr data-curated={c.id}>
        <td>{c.question}</td>
        <td className="small">{c.answer}</td>
        <td>{c.collection}</td>
        <td>{c.version}</td>
        <td>{c.author}</td>
        <td>{when(c.updatedAt)}</td>
        <td className="actions">
          {props.canWrite ? <button type="button" className="secondary" aria-label={t("editLabel", { q: c.question })} onClick={props.onEdit}>{t("edit")}</button> : null}
          <button type="button" className="secondary" aria-expanded={open !== undefined} aria-label={t("versionsLabel", { q: c.question })} onClick={props.onVersions}>{t("versions")}</button>
          {props.canWrite ? <button type="button" className="danger" aria-label={t("deleteCuratedLabel", { q: c.question })} onClick={props.onDelete}>{t("delete")}</button> : null}
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={7}>
            <ol className="versions" aria-label={t("versionsLabel", { q: c.question })}>
              {[...open.versions].reverse().map((v) => (
                <li key={v.version} value={v.version}>
                  <strong>{t("versionBy", { v: v.version, author: v.author, at: when(v.createdAt) })}</strong>
                  {v.proposedBy ? <span className="muted small"> · {t("proposedBy", { name: v.proposedBy, at: when(v.createdAt) })}</span> : null}
                  <p className="small">{v.question}</p>
                  <p className="chunk-text small">{v.answer}</p>
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
    </>
  );
}
