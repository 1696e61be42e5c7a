import type { TextSpan } from "./sentences.js";
import { CJK_HANGUL_CHARS } from "./cjk.js";

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

/**
 * Round, square and lenticular brackets, English and full-width. Quotation marks are not among them: ICU already
 * handles quotes, and "’" doubles as the apostrophe, so counting it would unbalance every "don’t".
 */
const BRACKET_PAIRS: ReadonlyMap<string, string> = new Map([["(", ")"], ["[", "]"], ["（", "）"], ["【", "】"], ["〔", "〕"], ["［", "］"]]);
const CLOSING_BRACKETS = new Set(BRACKET_PAIRS.values());
/** How far past a cut the bracket left open there must close for the cut to be undone (a stray "(" must not glue a page). */
const MAX_BRACKET_REACH = 400;
/** A cut after sentence punctuation and closing brackets: "…right!)", "…不行！）". */
const END_IN_BRACKET_RE = /[.!?。！？…]+[)\]）】〕］]+["'”’]*\s*$/u;
/** Characters read at a segment's end or start to judge a cut. */
const TAIL_CHARS = 32;
/** What goes on a sentence rather than starting one: a lower-case word or CJK text (no case to tell). */
const CONTINUES_RE = new RegExp(String.raw`^\s*[\p{Ll}${CJK_HANGUL_CHARS}]`, "u");

/**
 * Which UTF-16 code units are one of the brackets above (opening or closing), derived from them: one typed-array read
 * per character instead of two map lookups, as nearly every character of a text is none (CJK text included).
 */
const IS_BRACKET: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const [open, close] of BRACKET_PAIRS) table[open.charCodeAt(0)] = table[close.charCodeAt(0)] = 1;
  return table;
})();

/** Brackets still open at the end of a run of segments (innermost last), and where the last bracket closed opened. */
interface BracketState {
  open: number[];
  lastClosedFrom: number;
}

/** Advances `state` over `text[start, end)`: a closer closes the innermost opener it matches; a stray one ("a)", ":)") nothing. */
function scanBrackets(text: string, start: number, end: number, state: BracketState): BracketState {
  for (let i = start; i < end; i++) {
    if (IS_BRACKET[text.charCodeAt(i)] === 0) continue;
    const c = text[i]!;
    if (BRACKET_PAIRS.has(c)) state.open.push(i);
    else if (CLOSING_BRACKETS.has(c)) {
      const k = state.open.findLastIndex((o) => BRACKET_PAIRS.get(text[o]!) === c);
      if (k >= 0) {
        state.lastClosedFrom = state.open[k]!;
        state.open.length = k;
      }
    }
  }
  return state;
}

/** Whether the brackets open at `from` all close before `limit` (nothing else is scanned). */
function closesBefore(text: string, from: number, open: readonly number[], limit: number): boolean {
  const stack = [...open];
  for (let i = from; i < limit && stack.length > 0; i++) {
    const c = text[i]!;
    if (BRACKET_PAIRS.has(c)) stack.push(i);
    else if (c === BRACKET_PAIRS.get(text[stack[stack.length - 1]!]!)) stack.pop();
  }
  return stack.length === 0;
}

/**
 * Whether the cut between `prev` and `next` falls inside brackets: `prev` leaves a bracket open that closes within
 * {@link MAX_BRACKET_REACH} characters ("Run it (see below. It helps) now."), or it ends on punctuation inside a
 * bracket opened after its own start ("…will (if you got it right!)") and `next` goes on with that sentence ("modify
 * …", CJK text). A bracketed sentence between sentences ("(See Fig. 2.) Then…") opens its segment and stays apart.
 */
function cutInsideBrackets(text: string, prev: TextSpan, state: BracketState, next: TextSpan, blockEnd: number): boolean {
  if (state.open.length > 0) return closesBefore(text, prev.end, state.open, Math.min(blockEnd, prev.end + MAX_BRACKET_REACH));
  let first = prev.start;
  while (first < prev.end && /\s/.test(text[first]!)) first++;
  // Only the segment's tail is read: a long joined segment must not be copied at every cut.
  const tail = text.slice(Math.max(first, prev.end - TAIL_CHARS), prev.end);
  return END_IN_BRACKET_RE.test(tail) && state.lastClosedFrom > first && CONTINUES_RE.test(text.slice(next.start, Math.min(next.end, next.start + TAIL_CHARS)));
}

/**
 * Joins segments cut inside brackets (see {@link cutInsideBrackets}): a sentence does not end inside an unclosed
 * bracket, nor at punctuation inside a parenthesis the sentence goes on after. `blockEnd` bounds the look-ahead.
 * Each character is scanned once (the bracket state grows with the joined segment), so the pass stays linear.
 */
export function joinInsideBrackets(text: string, segs: readonly TextSpan[], blockEnd: number): TextSpan[] {
  const out: TextSpan[] = [];
  let state: BracketState = { open: [], lastClosedFrom: -1 };
  for (const seg of segs) {
    const last = out[out.length - 1];
    if (last && cutInsideBrackets(text, last, state, seg, blockEnd)) {
      state = scanBrackets(text, last.end, seg.end, state);
      last.end = seg.end;
    } else {
      out.push({ ...seg });
      state = scanBrackets(text, seg.start, seg.end, { open: [], lastClosedFrom: -1 });
    }
  }
  return out;
}
