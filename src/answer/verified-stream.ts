import type { Source } from "../domain/answer.js";
import { verifyAnswer, type VerifyOptions } from "./verify-citations.js";

/**
 * Where a draft may be cut because the sentence before is complete: terminal punctuation with its citation markers,
 * followed by the start of the next sentence (or a line break). The text after the last cut is held back: the
 * sentence may still be growing, or its markers may still be coming.
 */
const MARKERS = String.raw`(?:\s*(?:\[[\d,\s]+\]|【\d+】))*`;
/** "1. " or "a) " opening a list item ends nothing. */
const NOT_LIST_MARKER = String.raw`(?<!(?:^|\n)[ \t]*\(?(?:\d{1,3}|[a-z]))`;
const BOUNDARY_RE = new RegExp(
  String.raw`${NOT_LIST_MARKER}[.!?:;]${MARKERS}[ \t]+(?=[^\s\[【])|[.!?:;]${MARKERS}[ \t]*\n+|[。！？；]${MARKERS}(?=[^\s\[【\d,\]】])|\n+(?=\S)`,
  "gu",
);

/** End offsets of the complete sentences in `text` (each cut falls after the separator). */
export function sentenceCuts(text: string): number[] {
  return [...text.matchAll(BOUNDARY_RE)].map((m) => m.index + m[0].length);
}

/** Cuts `text` into whole-sentence pieces whose concatenation is `text` (leading whitespace joins the next piece). */
export function sentencePieces(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const cut of [...sentenceCuts(text), text.length]) {
    if (cut <= from || text.slice(from, cut).trim() === "") continue;
    out.push(text.slice(from, cut));
    from = cut;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

/**
 * Releases a streamed draft to the client only as verified text. Each time the draft completes a sentence, the draft
 * up to there is verified against the sources (the same check as the final answer: citation given, sources known,
 * content supported) and only what the verified text adds beyond what was already sent is released — so a sentence
 * verification drops is never sent, and markers arrive already renumbered. `finish` releases the rest of the final
 * verified answer sentence by sentence (the extractive path streams this way).
 *
 * Verification judges each sentence on its own and renumbers markers in order of first use, so the verified text of
 * a longer prefix extends that of a shorter one; if it ever does not (a model that fell back mid-stream), nothing
 * more is released and the final `answer` carries the truth.
 */
export class VerifiedStream {
  private draft = "";
  private sent = "";
  private lastCut = 0;
  private diverged = false;

  constructor(
    private readonly sources: readonly Source[],
    private readonly options: VerifyOptions,
    private readonly emit: (delta: string) => void,
  ) {}

  /** A delta of the composer's draft. */
  push(delta: string): void {
    this.draft += delta;
    const cuts = sentenceCuts(this.draft);
    const cut = cuts[cuts.length - 1] ?? 0;
    if (cut <= this.lastCut) return;
    this.lastCut = cut;
    const verified = verifyAnswer(this.draft.slice(0, cut), [...this.sources], this.options);
    if (!verified.refused) this.release(verified.text);
  }

  /** The final answer text (verified, or our own refusal): whatever was not yet sent, in sentence pieces. */
  finish(finalText: string): void {
    this.release(finalText);
  }

  private release(text: string): void {
    if (this.diverged) return;
    if (!text.startsWith(this.sent)) {
      this.diverged = true;
      return;
    }
    const rest = text.slice(this.sent.length);
    if (rest.length === 0) return;
    this.sent = text;
    for (const piece of sentencePieces(rest)) this.emit(piece);
  }
}
