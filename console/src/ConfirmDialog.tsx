import { useEffect, useRef } from "react";

/** A modal confirmation (native <dialog>: focus is trapped inside, Escape cancels). */
export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" aria-describedby="confirm-body" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-body">{props.body}</p>
      <div className="row">
        <button type="button" className="danger" onClick={props.onConfirm}>{props.confirm}</button>
        <button type="button" className="secondary" onClick={props.onCancel} autoFocus>{props.cancel}</button>
      </div>
    </dialog>
  );
}
