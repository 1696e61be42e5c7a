/**
 * Writes out the end tags HTML leaves implied (`<p>`, `<li>`, `<dt>`, `<dd>`, table cells and rows, options), and
 * drops end tags that close nothing, so the markup handed to node-html-parser is balanced.
 *
 * Why: node-html-parser closes only a few implied elements itself (a `<p>` by a `<p>` or `<div>`, an `<li>` by an
 * `<li>`). Older generated manuals (man2html, early DocBook) leave hundreds of `<dt>`/`<dd>`/`<p>` open, which the
 * parser nests one inside the other and then unwinds at the end of the file at a cost that grows with the cube of
 * the depth: a 240 KB man page took over 60 s and was refused by the parse timeout. Balanced markup parses in
 * linear time, and the text comes out in the same order.
 */

const VOID = new Set([
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
  "basefont", "bgsound", "frame", "keygen",
]);
/** Elements whose content is raw text: tags inside them are not markup. */
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "noscript"]);
/** Start tags that close an open `<p>` (HTML's "close a p element in button scope"). */
const CLOSES_P = new Set([
  "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt",
  "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
  "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "listing", "plaintext",
]);
/** Where the search for an open `<p>` stops (HTML's button scope). */
const P_SCOPE = new Set(["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button"]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/** For a start tag: which open elements it closes, and which open elements stop that search. */
interface ImpliedRule {
  closes: ReadonlySet<string>;
  stopsAt: ReadonlySet<string>;
}
const LIST_ITEM: ImpliedRule = { closes: new Set(["li"]), stopsAt: new Set(["ul", "ol", "menu", "dir", "table"]) };
const DEFINITION: ImpliedRule = { closes: new Set(["dt", "dd"]), stopsAt: new Set(["dl", "table"]) };
const CELL: ImpliedRule = { closes: new Set(["td", "th"]), stopsAt: new Set(["tr", "table"]) };
const ROW: ImpliedRule = { closes: new Set(["tr"]), stopsAt: new Set(["table", "thead", "tbody", "tfoot"]) };
const SECTION: ImpliedRule = { closes: new Set(["thead", "tbody", "tfoot"]), stopsAt: new Set(["table"]) };
const OPTION: ImpliedRule = { closes: new Set(["option"]), stopsAt: new Set(["select", "datalist", "optgroup"]) };
const RULES: Readonly<Record<string, ImpliedRule>> = {
  li: LIST_ITEM, dt: DEFINITION, dd: DEFINITION, td: CELL, th: CELL, tr: ROW, thead: SECTION, tbody: SECTION,
  tfoot: SECTION, option: OPTION,
};

// Comments, doctypes / processing instructions, then tags; attribute values may hold ">" inside quotes.
const MARKUP = /<!--[\s\S]*?(?:-->|$)|<[!?][^>]*>?|<(\/?)([a-zA-Z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

interface Open {
  name: string;
  raw: string;
}

/**
 * The open elements, with how many of each name are open: a page of 200,000 nested <div>s must not search the
 * whole stack for an open <p> at every start tag.
 */
class OpenElements {
  readonly items: Open[] = [];
  private readonly counts = new Map<string, number>();

  get length(): number {
    return this.items.length;
  }

  push(open: Open): void {
    this.items.push(open);
    this.counts.set(open.name, (this.counts.get(open.name) ?? 0) + 1);
  }

  pop(): Open | undefined {
    const open = this.items.pop();
    if (open) this.counts.set(open.name, (this.counts.get(open.name) ?? 1) - 1);
    return open;
  }

  /** Index of the nearest open element named in `names`, searching down until one in `stopsAt`; -1 if none. */
  find(names: ReadonlySet<string>, stopsAt: ReadonlySet<string> = NONE): number {
    if (![...names].some((n) => (this.counts.get(n) ?? 0) > 0)) return -1;
    for (let i = this.items.length - 1; i >= 0; i--) {
      const open = this.items[i]?.name ?? "";
      if (names.has(open)) return i;
      if (stopsAt.has(open)) return -1;
    }
    return -1;
  }
}
const NONE: ReadonlySet<string> = new Set();
const P: ReadonlySet<string> = new Set(["p"]);

/** Balances `html` as described in the module comment; the text between tags is copied unchanged. */
export function closeImpliedElements(html: string): string {
  const out: string[] = [];
  const stack = new OpenElements();
  const closeFrom = (index: number): void => {
    while (stack.length > index) out.push(`</${stack.pop()?.raw ?? ""}>`);
  };
  let lower: string | undefined; // lower-cased once, only when a raw-text element needs its end searched
  let last = 0;
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(html); m !== null; m = MARKUP.exec(html)) {
    out.push(html.slice(last, m.index));
    last = MARKUP.lastIndex;
    const raw = m[2];
    if (raw === undefined) {
      out.push(m[0]); // comment, doctype, processing instruction
      continue;
    }
    const name = raw.toLowerCase();
    if (m[1] === "/") {
      const at = stack.find(new Set([name]));
      if (at >= 0) closeFrom(at); // an end tag that closes nothing is dropped
      continue;
    }
    closeImplied(stack, name, closeFrom);
    out.push(m[0]);
    if (VOID.has(name) || /\/\s*$/.test(m[3] ?? "")) continue;
    if (RAW_TEXT.has(name)) {
      // Copy the raw text and its end tag as they are: nothing inside is markup.
      lower ??= html.toLowerCase();
      const end = lower.indexOf(`</${name}`, last);
      const stop = end < 0 ? html.length : (html.indexOf(">", end) + 1 || html.length);
      out.push(html.slice(last, stop));
      last = stop;
      MARKUP.lastIndex = stop;
      continue;
    }
    stack.push({ name, raw });
  }
  out.push(html.slice(last));
  closeFrom(0);
  return out.join("");
}

function closeImplied(stack: OpenElements, name: string, closeFrom: (index: number) => void): void {
  const rule = RULES[name];
  if (rule) {
    const at = stack.find(rule.closes, rule.stopsAt);
    if (at >= 0) closeFrom(at);
  }
  if (CLOSES_P.has(name)) {
    const at = stack.find(P, P_SCOPE);
    if (at >= 0) closeFrom(at);
  }
  // A heading inside a heading is never meant: the open one ends here.
  if (HEADINGS.has(name) && HEADINGS.has(stack.items[stack.length - 1]?.name ?? "")) closeFrom(stack.length - 1);
}
