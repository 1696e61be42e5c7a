import { useEffect, useState } from "react";

/** Where focus goes when the control that opened a dialog is gone (the screen's heading, focusable by tabIndex -1). */
function fallback(): HTMLElement | null {
  return document.querySelector<HTMLElement>("main h1");
}

/**
 * Returns focus, when the calling dialog or panel unmounts, to the control that opened it (the element focused when
 * it first rendered), or to the screen's heading when that control is gone or `toHeading()` was asked for (after a
 * delete the row's button no longer exists). Without it focus falls to `<body>` and a keyboard user starts over.
 */
export function useReturnFocus(): { toHeading: () => void } {
  const [state] = useState(() => ({ opener: document.activeElement instanceof HTMLElement ? document.activeElement : null, heading: false }));
  useEffect(
    () => () => {
      // After React has removed the dialog: a microtask later the opener is still (or no longer) in the document.
      queueMicrotask(() => {
        const target = !state.heading && state.opener?.isConnected && state.opener !== document.body ? state.opener : fallback();
        target?.focus();
      });
    },
    [state],
  );
  return { toHeading: () => void (state.heading = true) };
}
