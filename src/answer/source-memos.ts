import { BoundedMemo } from "../text/bounded-memo.js";
import { sentenceSpans, type TextSpan } from "../text/sentences.js";
import { contentTerms } from "./overlap.js";

/**
 * What answering computes from a source's text alone, remembered across the composer and the verifier of one answer
 * and across answers (a popular chunk is a source again and again). Owned by one answering pipeline (a process),
 * bounded: each memo holds at most `capacity` texts, least recently used dropped first.
 */
export interface SourceMemos {
  /**
   * Sentence spans of a source text (ICU splitting is the costliest step of reading a source): the composer splits
   * every source, the verifier again each cited one to find the quoted sentence's page and snippet.
   */
  spans: BoundedMemo<readonly TextSpan[]>;
  /** A source's content terms (title, section path and text): what verification checks a sentence against. */
  terms: BoundedMemo<Set<string>>;
  /** A cited source's sentences with their content terms and page offsets (see cited-pages.ts). */
  pages: BoundedMemo<readonly PageSpan[]>;
  /**
   * Content terms of a sentence's text: the composer analyses every sentence of a source, the verifier each cited
   * source's sentences and each sentence of the reply (mostly the same strings), and neighbouring chunks overlap.
   */
  sentenceTerms: BoundedMemo<Set<string>>;
}

/** A source sentence as citations see it: where it stands, its content terms, and how many page breaks precede it. */
export interface PageSpan extends TextSpan {
  terms: Set<string>;
  /** Page breaks before the span: 0 on the source's first page. */
  pagesIn: number;
}

/**
 * Memos of `capacity` texts each (sentences: twice as many). Sentence spans are ~1 KB a text, term sets ~2 KB,
 * page spans ~3 KB, a sentence's terms ~0.5 KB: ≤ ~14 MB per process at the default 2,048.
 */
export function createSourceMemos(capacity = 2048): SourceMemos {
  return { spans: new BoundedMemo(capacity), terms: new BoundedMemo(capacity), pages: new BoundedMemo(capacity), sentenceTerms: new BoundedMemo(capacity * 2) };
}

/** `contentTerms(text)`, remembered in `memo` when given. The set is shared: callers only read it. */
export function sentenceTermsOf(text: string, memo: BoundedMemo<Set<string>> | undefined): Set<string> {
  return memo ? memo.get(text, () => contentTerms(text)) : contentTerms(text);
}

/**
 * `sentenceSpans(text, language)`, remembered in `memo` when given. The spans are shared: callers only read them.
 * Keyed by the segmenter's language (absent is English, as `sentenceSpans` reads it) and the text.
 */
export function sourceSentenceSpans(text: string, language: string | undefined, memo: BoundedMemo<readonly TextSpan[]> | undefined): readonly TextSpan[] {
  return memo ? memo.get(`${language ?? "en"}\u0000${text}`, () => sentenceSpans(text, language)) : sentenceSpans(text, language);
}
