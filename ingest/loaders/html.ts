import { type HTMLElement, type Node, NodeType, parse } from "node-html-parser";
import type { LoadedDocument, Section } from "../../src/domain/document.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import {
  definedOnly,
  fileLabel,
  fileNameTitle,
  finalizeDocument,
  languageTag,
  type LoaderInput,
  normalizeInline,
  labelled,
} from "./normalize.js";
import { SectionBuilder } from "./section-builder.js";
import { closeImpliedElements } from "./html-implied-ends.js";
import { DEFAULT_LOADER_LIMITS, limitError, type LoaderLimits } from "./limits.js";
import { CONTENTS_LINK_SHARE, DROP_TAGS, IN_DOCUMENT_LINK, isContentsEntry, isFootnoteReference, isHiddenOrChrome, textOf } from "./html-chrome.js";

/** A permalink sign after a heading's text (Sphinx and MkDocs "¶"), carried into DOCX exports of such pages. */
const HEADING_PERMALINK = /\s*[¶\u{1F517}]+$/u;
const BLOCK_TAGS = new Set([
  "p", "div", "section", "article", "main", "body", "html", "blockquote", "ul", "ol", "dl", "dt", "dd",
  "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption", "address", "details", "summary",
  "hr", "center", "fieldset", "li", "tr", "pre", "header", "footer",
]);
const HEADING = /^h([1-6])$/;

interface ListContext {
  ordered: boolean;
  next: number;
}

/** Walks the DOM, turning block elements into paragraphs under the current heading path. */
class HtmlTextWalker {
  private inline = "";
  private prefix = "";
  private readonly lists: ListContext[] = [];
  private preDepth = 0;
  private contentDepth = 0;
  /** A definition list's term (<dt>) waiting for its description, which it then leads ("-t <timeout>: Sets …"). */
  private term = "";
  /** Whether every term in `term` is a link into the document (a contents entry); the same for `prefix`. */
  private termLinks = true;
  private prefixLinks = false;
  /** In-document links (href with "#") in the pending inline text, and how many of its characters they hold. */
  private anchors = { links: 0, chars: 0, depth: 0 };

  constructor(private readonly builder: SectionBuilder) {}

  walk(node: Node): void {
    if (node.nodeType === NodeType.TEXT_NODE) {
      this.inline += this.preDepth > 0 ? node.text : node.text.replace(/\s+/g, " ");
      if (this.anchors.depth > 0) this.anchors.chars += node.text.replace(/\s+/g, "").length;
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const el = node as HTMLElement;
    const tag = el.rawTagName?.toLowerCase() ?? "";
    if (this.isBoilerplate(el, tag)) return;
    const heading = HEADING.exec(tag);
    if (heading?.[1]) {
      this.flush();
      this.builder.heading(Number(heading[1]), normalizeInline(textOf(el)).replace(HEADING_PERMALINK, ""));
    } else if (tag === "br") {
      this.inline += "\n";
    } else if (tag === "table") {
      this.flush();
      this.builder.block("table", tableText(el));
    } else if (tag === "pre") {
      this.flush();
      this.builder.block("code", preText(el));
    } else if (tag === "dt") {
      this.definitionTerm(el);
    } else if (tag === "a" && IN_DOCUMENT_LINK.test(el.getAttribute("href") ?? "")) {
      this.anchors.links++;
      this.anchors.depth++;
      this.children(el);
      this.anchors.depth--;
    } else if (BLOCK_TAGS.has(tag) || tag === "") {
      this.block(el, tag);
    } else {
      this.children(el);
    }
  }

  /** Emits whatever inline text is pending as one paragraph. */
  flush(): void {
    const text =
      this.preDepth > 0
        ? this.inline.replace(/^\n+|\s+$/g, "")
        : this.inline
            .split("\n")
            .map((l) => l.replace(/\s+/g, " ").trim())
            .filter((l) => l.length > 0)
            .join("\n");
    // The list marker waits for the item's first text, which may sit in a nested <p>.
    if (text.length > 0) {
      if (!this.isContentsLinks(text)) this.builder.add(this.prefix + text);
      this.prefix = "";
    }
    this.inline = "";
    this.anchors = { links: 0, chars: 0, depth: this.anchors.depth };
  }

  /**
   * Text that is nothing but links into documents ("#NAME", "ch2.html#setup"): a page's own table of contents, not
   * stored, as PDF contents pages are not (kept as a "toc" block it would take the prose sharing its chunk out of
   * answers, and as prose it answers "where is…" questions with a list of titles).
   */
  private isContentsLinks(text: string): boolean {
    const visible = text.replace(/\s+/g, "").length;
    return this.preDepth === 0 && this.anchors.links > 0 && this.anchors.chars >= CONTENTS_LINK_SHARE * visible;
  }

  /**
   * A <dt> is kept until its <dd>, whose first paragraph it then starts: an option or term read alone says nothing
   * ("Writes messages to syslog" without "-ly"), so term and description must land in the same sentence and chunk.
   */
  private definitionTerm(el: HTMLElement): void {
    this.flush();
    if (this.prefix.length > 0) this.emitUnusedTerm(); // a nested list's term must not swallow the outer one
    const term = normalizeInline(textOf(el)).replace(HEADING_PERMALINK, "");
    if (term.length === 0) return;
    this.term = this.term ? `${this.term}, ${term}` : term;
    this.termLinks = this.termLinks && isContentsEntry(el);
  }

  /**
   * A term that got no description (the list ended, or a <dt> closed it) is a paragraph of its own, unless every
   * term in it is a link into the document: a contents list written as a definition list (DocBook's dl.toc).
   */
  private flushTerm(): void {
    if (this.term.length > 0 && !this.termLinks) this.builder.add(this.term);
    this.term = "";
    this.termLinks = true;
  }

  private emitUnusedTerm(): void {
    if (!this.prefixLinks) this.builder.add(this.prefix.trimEnd().replace(/[:：]$/, ""));
    this.prefix = "";
    this.prefixLinks = false;
  }

  private block(el: HTMLElement, tag: string): void {
    this.flush();
    if (tag === "dd" && this.term.length > 0) {
      this.prefix = /[:：]$/.test(this.term) ? `${this.term} ` : `${this.term}: `;
      this.prefixLinks = this.termLinks;
      this.term = "";
      this.termLinks = true;
    } else if (tag === "dl") this.flushTerm();
    const isList = tag === "ul" || tag === "ol";
    const isContent = tag === "article" || tag === "main";
    if (isList) this.lists.push({ ordered: tag === "ol", next: Number(el.getAttribute("start") ?? "1") || 1 });
    // Inside a <dd> whose text has not started yet, the list item keeps the term ahead of its marker.
    if (tag === "li") this.prefix = this.prefix ? `${this.prefix.trimEnd()}\n${this.listMarker()}` : this.listMarker();
    if (tag === "pre") this.preDepth++;
    if (isContent) this.contentDepth++;
    this.children(el);
    this.flush();
    if (tag === "li") this.prefix = "";
    if (tag === "pre") this.preDepth--;
    if (isContent) this.contentDepth--;
    if (isList) this.lists.pop();
    if (tag === "dl") this.flushTerm();
    // A description without any text leaves its term unused: say it rather than glue it to what follows.
    if (tag === "dd" && this.prefix.length > 0) this.emitUnusedTerm();
  }

  private children(el: HTMLElement): void {
    for (const child of el.childNodes) this.walk(child);
  }

  private listMarker(): string {
    const list = this.lists[this.lists.length - 1];
    const indent = "  ".repeat(Math.max(0, this.lists.length - 1));
    if (!list?.ordered) return `${indent}- `;
    return `${indent}${list.next++}. `;
  }

  private isBoilerplate(el: HTMLElement, tag: string): boolean {
    if (DROP_TAGS.has(tag)) return true;
    // <header>/<footer> inside an article or main are part of the content (e.g. the article's h1).
    if ((tag === "header" || tag === "footer") && this.contentDepth === 0) return true;
    if ((tag === "a" || tag === "sup") && isFootnoteReference(el)) return true;
    return isHiddenOrChrome(el);
  }
}


function cellsOf(tr: HTMLElement): Array<{ text: string; header: boolean }> {
  return tr.childNodes
    .filter((c): c is HTMLElement => c.nodeType === NodeType.ELEMENT_NODE)
    .filter((c) => /^t[dh]$/i.test(c.rawTagName ?? ""))
    .map((c) => ({ text: normalizeInline(textOf(c)), header: c.rawTagName.toLowerCase() === "th" }));
}

/**
 * A table as one line per row: with a header row (all <th>, or the <thead> row), each value carries its column's
 * header ("Model: M5 | Ports: 4"), so a row read alone still says what its values are; else "cell | cell".
 */
function tableText(table: HTMLElement): string {
  const rows = table.querySelectorAll("tr").map(cellsOf).filter((r) => r.some((c) => c.text.length > 0));
  const first = rows[0];
  const headed = first !== undefined && rows.length > 1 && first.every((c) => c.header);
  const names = headed ? first.map((c) => c.text) : [];
  return (headed ? rows.slice(1) : rows)
    .map((row) =>
      row
        .map((c, i) => (names[i] && c.text.length > 0 ? labelled(names[i], c.text) : c.text))
        .filter((t) => t.length > 0)
        .join(" | "),
    )
    .join("\n");
}

/** A <pre> block's text verbatim (line breaks and indentation kept), without the leading line break HTML drops. */
function preText(pre: HTMLElement): string {
  return pre.text.replace(/^\r?\n/, "").replace(/\s+$/, "");
}

function metaUrl(root: HTMLElement): string | undefined {
  for (const link of root.querySelectorAll("link")) {
    const rel = (link.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
    const href = link.getAttribute("href")?.trim();
    if (rel.includes("canonical") && href) return href;
  }
  for (const meta of root.querySelectorAll("meta")) {
    const content = meta.getAttribute("content")?.trim();
    if (meta.getAttribute("property")?.toLowerCase() === "og:url" && content) return content;
  }
  return undefined;
}

/**
 * HTML via node-html-parser: page chrome (script/style/nav/header/footer/aside/forms, navigation roles,
 * nav/menu/sidebar/breadcrumb/cookie classes and ids, hidden elements) is dropped; h1..h6 define section
 * paths; block elements become paragraphs separated by blank lines; list items keep "- " / "1. " markers and
 * table rows become "cell | cell" lines. Title: override, else <title>, else first h1, else the file name.
 * URL from <link rel=canonical> or og:url; language from <html lang>.
 * @throws UnsupportedDocumentError when elements nest deeper than `limits.maxNesting`, or "no text content"
 */
export function loadHtml(html: string, input: LoaderInput, limits: LoaderLimits = DEFAULT_LOADER_LIMITS): LoadedDocument {
  const root = parse(closeImpliedElements(html), { comment: false, blockTextElements: { script: true, style: true, noscript: true } });
  // The parser is iterative but the walk below recurses: a deeply nested page would overflow the stack.
  assertNestingWithin(root, limits.maxNesting, fileLabel(input));
  const builder = new SectionBuilder("\n\n");
  const walker = new HtmlTextWalker(builder);
  const body = root.querySelector("body") ?? root;
  walker.walk(body);
  walker.flush();
  const sections = builder.finish();
  assertNotRedirectStub(root, sections, fileLabel(input));
  const pageTitle = normalizeInline(root.querySelector("title")?.text ?? "");
  const doc: LoadedDocument = definedOnly({
    id: input.id,
    title: input.title ?? (pageTitle || undefined) ?? builder.firstHeading ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "text/html",
    sections,
    language: languageTag(root.querySelector("html")?.getAttribute("lang")),
    url: metaUrl(root),
    sourcePath: input.sourcePath,
  });
  return finalizeDocument(doc, fileLabel(input));
}

/** Fewer words than this, with a meta refresh, make a page a redirect stub ("The node you are looking for is at X."). */
const REDIRECT_STUB_MAX_WORDS = 30;

/**
 * Rejects a page that only sends the browser elsewhere (`<meta http-equiv="refresh" content="0; url=…">` and a line of
 * text): Texinfo writes one per node beside its chapter files (89 of a GNU manual's 116 files), and stored each would
 * be a document answering nothing, its one sentence a match for the node's name. The reason names the target.
 * @throws UnsupportedDocumentError "a redirect page (to …)"
 */
function assertNotRedirectStub(root: HTMLElement, sections: readonly Section[], file: string): void {
  const refresh = root.querySelectorAll("meta").find((m) => (m.getAttribute("http-equiv") ?? "").toLowerCase() === "refresh");
  if (!refresh) return;
  const words = sections.reduce((n, s) => n + (s.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);
  if (words >= REDIRECT_STUB_MAX_WORDS) return;
  const target = /url\s*=\s*['"]?([^'"\s]+)/i.exec(refresh.getAttribute("content") ?? "")?.[1];
  throw new UnsupportedDocumentError(file, `a redirect page${target ? ` (to ${target})` : ""} with no content of its own`);
}

/** Rejects a tree deeper than `max` elements, walking it without recursion. */
function assertNestingWithin(root: HTMLElement, max: number, file: string): void {
  const stack: Array<{ node: Node; depth: number }> = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth > max) throw limitError(file, "maxNesting", max, "element nesting is");
    for (const child of item.node.childNodes) if (child.nodeType === NodeType.ELEMENT_NODE) stack.push({ node: child, depth: item.depth + 1 });
  }
}
