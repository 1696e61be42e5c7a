import { type HTMLElement, NodeType } from "node-html-parser";

/** Elements never read as text (metadata, scripts, media, forms, navigation and asides). */

export const DROP_TAGS = new Set([
  "head", "title", "script", "style", "noscript", "template", "nav", "aside", "form", "svg", "iframe", "object",
  "canvas", "button", "select", "textarea", "img", "picture", "video", "audio", "map", "dialog",
]);
const DROP_ROLES = new Set(["navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"]);
// Site chrome usually names itself in class/id tokens ("main-nav", "sidebar_left", "cookie-banner"); DocBook's
// "Prev | Next" bars are navheader/navfooter, and its contents lists toc and list-of-tables (titles, not content).
const CHROME_TOKEN =
  /^(?:.*[-_])?(?:nav|navbar|navheader|navfooter|navigation|menu|sidebar|breadcrumbs?|cookies?|consent|skip-?link|toolbar|pagination|toc|list-of-(?:tables|figures|examples|procedures))(?:[-_].*)?$/i;

/** Share of a paragraph's visible characters inside in-document links for it to count as a contents list. */
export const CONTENTS_LINK_SHARE = 0.9;
/** A link to a place in this or a sibling page ("#opts", "ch2.html#setup"); not another site ("https://…#x"). */
export const IN_DOCUMENT_LINK = /^(?![a-z][a-z\d+.-]*:|\/\/)[^#]*#/i;
/** An in-document link, or a link to a sibling page of the same manual ("ch-scope.html"): contents entries. */
const IN_MANUAL_LINK = /^(?![a-z][a-z\d+.-]*:|\/\/|\/)(?:[^#]*#|[^/?#]+\.x?html?$)/i;

/** Page chrome by role, hidden state or a class/id token (navigation bars, sidebars, contents lists). */
export function isHiddenOrChrome(el: HTMLElement): boolean {
  const role = el.getAttribute("role")?.toLowerCase();
  if (role !== undefined && DROP_ROLES.has(role)) return true;
  if (el.hasAttribute("hidden") || el.getAttribute("aria-hidden") === "true") return true;
  if (/display\s*:\s*none/i.test(el.getAttribute("style") ?? "")) return true;
  const names = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`.split(/\s+/);
  return names.some((n) => n.length > 0 && CHROME_TOKEN.test(n));
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

/** Visible text of an element (for headings and table cells), chrome excluded. */
export function textOf(el: HTMLElement): string {
  let out = "";
  for (const child of el.childNodes) {
    if (child.nodeType === NodeType.TEXT_NODE) out += child.text;
    else if (child.nodeType === NodeType.ELEMENT_NODE) {
      const c = child as HTMLElement;
      const tag = c.rawTagName?.toLowerCase() ?? "";
      if (DROP_TAGS.has(tag) || isHiddenOrChrome(c)) continue;
      out += tag === "br" ? " " : ` ${textOf(c)} `;
    }
  }
  return out;
}
