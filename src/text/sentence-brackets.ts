import type { TextSpan } from "./sentences.js";

/** An opening bracket ICU left after a sentence end ("…尝试。（"), and closing brackets ICU put in the next segment. */
const STRANDED_OPEN_RE = /[（(「『“‘[]\s*$/u;
const LEADING_CLOSERS_RE = /^\s*[）)」』”’\]]+/u;
const OPENERS_RE = /[（(「『“‘[]/gu;
const CLOSERS_RE = /[）)」』”’\]]/gu;

/** Moves a stranded opening bracket to the sentence it opens, and closing brackets back to the sentence they close. */
export function reattachBrackets(text: string, segs: readonly TextSpan[]): TextSpan[] {
  const out: TextSpan[] = [];
  for (const seg of segs) {
    const last = out[out.length - 1];
    const prev = last ? text.slice(last.start, last.end) : "";
    const closers = LEADING_CLOSERS_RE.exec(text.slice(seg.start, seg.end));
    const open = STRANDED_OPEN_RE.exec(prev);
    const cur = { ...seg };
    if (last && closers && (prev.match(OPENERS_RE)?.length ?? 0) > (prev.match(CLOSERS_RE)?.length ?? 0)) {
      last.end = seg.start + closers[0].length;
      cur.start = last.end;
    } else if (last && open && open.index > 0) {
      last.end = last.start + open.index;
      cur.start = last.end;
    }
    if (text.slice(cur.start, cur.end).trim() !== "") out.push(cur);
    else if (last) last.end = cur.end;
  }
  return out;
}
