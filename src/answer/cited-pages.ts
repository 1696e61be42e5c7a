import type { Citation, Source } from "../domain/answer.js";
import { PAGE_BREAK } from "../domain/chunk.js";
import { sentenceTermsOf, sourceSentenceSpans, type PageSpan, type SourceMemos } from "./source-memos.js";

/**
 * What a citation shows of its source: the page of the quoted sentence and a snippet. A chunk that runs over a page
 * break (marked by {@link PAGE_BREAK}) is cited once per page its quoted sentences stand on, so a reply quoting the
 * end of page 32 and the start of page 33 cites both pages, each after the sentences it holds.
 */

const SNIPPET_MAX = 200;

/**
 * A source's sentences with their terms and pages, computed once per verification (and remembered across answers in
 * `memos.pages` when given: they depend on the text and language only).
 */
export class SourcePages {
  private readonly spansBySource = new Map<number, readonly PageSpan[]>();

  constructor(
    private readonly byN: ReadonlyMap<number, Source>,
    private readonly language: string | undefined,
    private readonly memos: Partial<Pick<SourceMemos, "spans" | "pages" | "sentenceTerms">> = {},
  ) {}

  /** Pages into source `n` of the sentence sharing most terms with `claim`; 0 for a source without page breaks. */
  pageOfClaim(n: number, claim: string): number {
    const source = this.byN.get(n);
    if (!source || source.page === undefined || !source.text.includes(PAGE_BREAK)) return 0;
    return this.best(n, sentenceTermsOf(claim, this.memos.sentenceTerms))?.pagesIn ?? 0;
  }

  /** The citation of source `n` on page `pagesIn` of it, its snippet the source sentence closest to `claims`. */
  citation(n: number, renumbered: number, pagesIn: number, claims: string): Citation | undefined {
    const source = this.byN.get(n);
    if (!source) return undefined;
    const best = this.best(n, sentenceTermsOf(claims, this.memos.sentenceTerms), pagesIn);
    // Line breaks stay: a snippet quoting a command block must not run its commands together ("cp a b # sync").
    const raw = (best ? source.text.slice(best.start, best.end) : source.text).replace(/[^\S\n]+/g, " ").replace(/ ?\n\s*/g, "\n").trim();
    const snippet = raw.length > SNIPPET_MAX ? `${raw.slice(0, SNIPPET_MAX - 1).trimEnd()}…` : raw;
    return {
      n: renumbered,
      documentId: source.documentId,
      ...(source.collection !== undefined ? { collection: source.collection, chunkId: source.chunkId } : {}),
      title: source.title,
      sectionPath: source.sectionPath,
      ...pageOf(source, pagesIn),
      ...(source.url !== undefined ? { url: source.url } : {}),
      snippet,
      score: source.score,
      sourceType: source.sourceType,
    };
  }

  /** The span sharing most terms with `wanted` (on page `pagesIn` when given); undefined when none shares one. */
  private best(n: number, wanted: ReadonlySet<string>, pagesIn?: number): PageSpan | undefined {
    let best: PageSpan | undefined;
    let bestHits = 0;
    for (const span of this.spans(n)) {
      if (pagesIn !== undefined && span.pagesIn !== pagesIn) continue;
      let hits = 0;
      for (const t of span.terms) if (wanted.has(t)) hits++;
      if (hits > bestHits) ((best = span), (bestHits = hits));
    }
    return best;
  }

  private spans(n: number): readonly PageSpan[] {
    let spans = this.spansBySource.get(n);
    if (spans) return spans;
    const text = this.byN.get(n)?.text ?? "";
    const { pages } = this.memos;
    spans = pages ? pages.get(`${this.language ?? "en"}\u0000${text}`, () => this.pageSpans(text)) : this.pageSpans(text);
    this.spansBySource.set(n, spans);
    return spans;
  }

  private pageSpans(text: string): PageSpan[] {
    const spans: PageSpan[] = [];
    let pagesIn = 0;
    let from = 0;
    for (const span of sourceSentenceSpans(text, this.language, this.memos.spans)) {
      pagesIn += text.slice(from, span.start).split(PAGE_BREAK).length - 1;
      from = span.start;
      spans.push({ start: span.start, end: span.end, terms: sentenceTermsOf(text.slice(span.start, span.end), this.memos.sentenceTerms), pagesIn });
    }
    return spans;
  }
}

/**
 * The cited page: the source's first page moved on by `pagesIn`. Its printed label moves with it when it is a number
 * (a roman or other label of a later page is not known here, so it is left out).
 */
function pageOf(source: Source, pagesIn: number): Pick<Citation, "page" | "pageLabel"> {
  if (source.page === undefined) return {};
  if (pagesIn === 0) return { page: source.page, ...(source.pageLabel !== undefined ? { pageLabel: source.pageLabel } : {}) };
  const label = source.pageLabel !== undefined && /^\d+$/.test(source.pageLabel) ? String(Number(source.pageLabel) + pagesIn) : undefined;
  return { page: source.page + pagesIn, ...(label !== undefined ? { pageLabel: label } : {}) };
}
