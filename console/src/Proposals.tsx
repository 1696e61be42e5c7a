import { useCallback, useEffect, useState } from "react";
import type { ApiClient, CuratedAnswer, Proposal, WhoAmI } from "./api.js";
import { CuratedForm } from "./CuratedForm.js";
import { useI18n } from "./i18n.js";
import { describe } from "./uploads.js";

const when = (iso: string): string => iso.replace("T", " ").slice(0, 16);

/**
 * The review queue's proposed answers: corrections sent with feedback, each with the question, the answer it
 * corrects and who proposed it. A curator accepts one as it is, edits it first (the curated-answer form), or
 * dismisses it; nothing here is used in answers before it is accepted.
 */
export function Proposals({ client, me, onAccepted }: { client: ApiClient; me: WhoAmI; onAccepted?: (saved: CuratedAnswer) => void }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Proposal[]>();
  const [editing, setEditing] = useState<Proposal>();
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    client.listProposals("open").then((r) => (setItems(r.items), setError(undefined)), (err: unknown) => setError(describe(err)));
  }, [client]);
  useEffect(load, [load]);
  const accepted = (p: Proposal, saved: CuratedAnswer): void => {
    setStatus(t("proposalAccepted", { q: p.question, v: saved.version }));
    onAccepted?.(saved);
    load();
  };
  const act = async (p: Proposal, how: "accept" | "dismiss"): Promise<void> => {
    try {
      if (how === "accept") accepted(p, (await client.acceptProposal(p.id)).curated);
      else {
        await client.dismissProposal(p.id);
        setStatus(t("proposalDismissed", { q: p.question }));
        load();
      }
    } catch (err) {
      setError(t("proposalFailed", { why: describe(err) }));
      load();
    }
  };
  return (
    <section aria-labelledby="proposals-title" className="proposals">
      <h2 id="proposals-title">{t("proposals")}</h2>
      <p className="muted small">{t("proposalsHelp")}</p>
      <p role="status" className="muted small">{status}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {items && items.length === 0 ? <p>{t("noProposals")}</p> : null}
      {items && items.length > 0 ? (
        <ol className="gaps">
          {items.map((p) => (
            <li key={p.id} data-proposal={p.question}>
              <strong>{p.question}</strong>{" "}
              <span className="muted small">{t("proposedBy", { name: p.proposedBy ?? "anonymous", at: when(p.createdAt) })}</span>
              <dl className="small">
                {p.answer !== undefined ? <><dt>{t("servedAnswer")}</dt><dd>{p.answer}</dd></> : null}
                <dt>{t("proposedAnswer")}</dt><dd className="chunk-text">{p.correctedAnswer}</dd>
              </dl>
              <div className="row">
                <button type="button" className="small" aria-label={t("acceptLabel", { q: p.question })} onClick={() => void act(p, "accept")}>{t("accept")}</button>
                <button type="button" className="secondary small" aria-label={t("editAcceptLabel", { q: p.question })} onClick={() => setEditing(p)}>{t("editAccept")}</button>
                <button type="button" className="danger small" aria-label={t("dismissLabel", { q: p.question })} onClick={() => void act(p, "dismiss")}>{t("dismiss")}</button>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {editing ? (
        <CuratedForm
          client={client}
          me={me}
          draft={{ proposal: editing }}
          onCancel={() => setEditing(undefined)}
          onSaved={(saved) => (setEditing(undefined), accepted(editing, saved))}
        />
      ) : null}
    </section>
  );
}
