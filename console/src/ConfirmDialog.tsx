import { useEffect, useRef } from "react";
import { useReturnFocus } from "./dialog.js";

/**
 * A modal confirmation (native <dialog>: focus is trapped inside, Escape cancels). Focus starts on Cancel, the safe
 * choice (Enter must not delete), and goes back to the opening control when the dialog closes — or to the screen's
 * heading after confirming, when the confirmed thing (and its button) is gone.
 */
export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const focus = useReturnFocus();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // showModal() focuses the first focusable element (the confirm button): move to Cancel after it.
    cancel.current?.focus();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" aria-describedby="confirm-body" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-body">{props.body}</p>
      <div className="row">
        <button type="button" className="danger" onClick={() => (focus.toHeading(), props.onConfirm())}>{props.confirm}</button>
        <button type="button" className="secondary" ref={cancel} onClick={props.onCancel}>{props.cancel}</button>
      </div>
    </dialog>
  );
}
