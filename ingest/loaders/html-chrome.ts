import { type HTMLElement, type Node, NodeType } from "node-html-parser";

/** Elements never read as text (metadata, scripts, media, forms, navigation and asides). */

export const DROP_TAGS = new Set([
  "head", "title", "script", "style", "noscript", "template", "nav", "aside", "form", "svg", "iframe", "object",
  "canvas", "button", "select", "textarea", "img", "picture", "video", "audio", "map", "dialog",
]);
const DROP_ROLES = new Set(["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"]);
// Site chrome usually names itself in class/id tokens ("main-nav", "sidebar_left", "cookie-banner", "topnav"); DocBook's
// "Prev | Next" bars are navheader/navfooter (Publican's docnav), and its contents lists toc and list-of-tables
// (titles, not content).
const CHROME_TOKEN =
  /^(?:.*[-_])?(?:[a-z]*nav|navbar|navheader|navfooter|navigation|menu|sidebar|banner|breadcrumbs?|cookies?|consent|skip-?link|toolbar|pagination|toc|list-of-(?:tables|figures|examples|procedures))(?:[-_].*)?$/i;
/** Footnote reference marks ("[72]", "1") by class or role: DocBook, Sphinx, pandoc, Publican. Not the note itself. */
const FOOTNOTE_REF_TOKEN = /^(?:footnote|footnote-reference|footnote-ref|fnref|noteref)$/i;

/** Share of a paragraph's visible characters inside in-document links for it to count as a contents list. */
export const CONTENTS_LINK_SHARE = 0.9;
/** A link to a place in this or a sibling page ("#opts", "ch2.html#setup"); not another site ("https://…#x"). */
export const IN_DOCUMENT_LINK = /^(?![a-z][a-z\d+.-]*:|\/\/)[^#]*#/i;
/** An in-document link, or a link to a sibling page of the same manual ("ch-scope.html"): contents entries. */
const IN_MANUAL_LINK = /^(?![a-z][a-z\d+.-]*:|\/\/|\/)(?:[^#]*#|[^/?#]+\.x?html?$)/i;

/** Link relations of a page's "Next / Previous / Up" bar (Texinfo's div.header, and many other generators). */
const NAV_REL = /(?:^|\s)(?:next|prev|previous|up)(?:\s|$)/i;
/** All a navigation bar says besides its links: "Next:", "Previous:", "Up:", "[Contents][Index]", separators. */
const NAV_WORDS = /^(?:next|prev(?:ious)?|up|top|home|contents|index|[\s\u00a0:|,;[\]()«»<>·•–—-])*$/i;
/** Elements looked at inside a candidate bar before giving up: a bar is a line of a few links, not a section. */
const NAV_BAR_MAX_NODES = 60;

/**
 * A navigation bar known by its links' relations rather than a class: a <p> or <div> holding a rel="next", "prev"
 * or "up" link and no words but its links and nav labels ("Next: diff Output Formats, Previous: Overview, Up:
 * Comparing and Merging Files [Contents][Index]"). Texinfo 6 sets one before every section in a plain div.header:
 * kept, it ended every section's last chunk and was quoted in answers.
 */
export function isNavigationBar(el: HTMLElement): boolean {
  let relLink = false;
  let outside = "";
  let seen = 0;
  const stack: Node[] = [...el.childNodes];
  while (stack.length > 0) {
    const node = stack.shift()!;
    if (++seen > NAV_BAR_MAX_NODES) return false;
    if (node.nodeType === NodeType.TEXT_NODE) outside += node.text;
    if (node.nodeType !== NodeType.ELEMENT_NODE) continue;
    const child = node as HTMLElement;
    if ((child.rawTagName ?? "").toLowerCase() === "a") relLink ||= NAV_REL.test(child.getAttribute("rel") ?? "");
    else stack.unshift(...child.childNodes);
  }
  return relLink && NAV_WORDS.test(outside.replace(/&nbsp;/g, " "));
}

/** Page chrome by role, hidden state or a class/id token (navigation bars, sidebars, contents lists). */
export function isHiddenOrChrome(el: HTMLElement): boolean {
  const role = el.getAttribute("role")?.toLowerCase();
  if (role !== undefined && DROP_ROLES.has(role)) return true;
  if (el.hasAttribute("hidden") || el.getAttribute("aria-hidden") === "true") return true;
  if (/display\s*:\s*none/i.test(el.getAttribute("style") ?? "")) return true;
  const names = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`.split(/\s+/);
  if (isDocBookSidebar(el, names)) return false;
  if (names.some((n) => n.length > 0 && CHROME_TOKEN.test(n))) return true;
  const tag = (el.rawTagName ?? "").toLowerCase();
  return (tag === "div" || tag === "p") && isNavigationBar(el);
}

/**
 * DocBook's <sidebar> ("Tip: shortcuts in cron", "Security: restricting cron") renders as a titled div.sidebar: part
 * of the manual, not a site's side column, which has no DocBook title page.
 */
function isDocBookSidebar(el: HTMLElement, names: string[]): boolean {
  if (!names.includes("sidebar")) return false;
  return el.childNodes.some((c) => c.nodeType === NodeType.ELEMENT_NODE && /(?:^|\s)titlepage(?:\s|$)/.test((c as HTMLElement).getAttribute("class") ?? ""));
}

/**
 * A footnote reference mark in the text ("command[75] (run it as root…)"): read into a sentence it is noise, and a
 * "[75]" there looks like a citation. The footnote's own text, at the end of the page, stays.
 */
export function isFootnoteReference(el: HTMLElement): boolean {
  if (el.getAttribute("role")?.toLowerCase() === "doc-noteref") return true;
  const names = (el.getAttribute("class") ?? "").split(/\s+/);
  if (!names.some((n) => FOOTNOTE_REF_TOKEN.test(n))) return false;
  return /^\s*\[?\s*[\d*†‡a-z]{1,3}\s*\]?\s*$/i.test(el.text);
}

/** A definition term whose text is (almost) all inside links to places in the manual ("2.1. Changes" → "#s2.1"). */
export function isContentsEntry(dt: HTMLElement): boolean {
  const visible = textOf(dt).replace(/\s+/g, "").length;
  const linked = dt
    .querySelectorAll("a")
    .filter((a) => IN_MANUAL_LINK.test(a.getAttribute("href") ?? ""))
    .reduce((n, a) => n + textOf(a).replace(/\s+/g, "").length, 0);
  return visible > 0 && linked >= CONTENTS_LINK_SHARE * visible;
}

/**
 * Phrasing elements that sit inside a run of text: their text joins the words around it as written
 * ("“<code>user_name</code>”" is "“user_name”", not "“ user_name ”"; "<code>--color</code>=<em>when</em>"). Every other
 * element (a cell, a paragraph inside a cell, a line break) is set apart by spaces. `sup` is not listed: a footnote
 * mark drawn as a raised "[1]" stays apart from the word it follows.
 */
const PHRASING_TAGS: ReadonlySet<string> = new Set(
  "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong time tt u var".split(" "),
);

/** Visible text of an element (for headings and table cells), chrome excluded. */
export function textOf(el: HTMLElement): string {
  let out = "";
  for (const child of el.childNodes) {
    if (child.nodeType === NodeType.TEXT_NODE) out += child.text;
    else if (child.nodeType === NodeType.ELEMENT_NODE) {
      const c = child as HTMLElement;
      const tag = c.rawTagName?.toLowerCase() ?? "";
      if (DROP_TAGS.has(tag) || isHiddenOrChrome(c)) continue;
      out += tag === "br" ? " " : PHRASING_TAGS.has(tag) ? textOf(c) : ` ${textOf(c)} `;
    }
  }
  return out;
}
