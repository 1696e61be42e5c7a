import { describe, expect, it } from "vitest";
import { loadHtml } from "../../../ingest/loaders/html.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";

const input = { fileName: "wifi.html", id: "help/wifi.html" };

const PAGE = `<!DOCTYPE html>
<html lang="de-DE">
<head>
  <title>Wi-Fi &amp; Network Help</title>
  <link rel="canonical" href="https://help.example.com/wifi">
  <style>body { color: red }</style>
  <script>var tracking = "SECRET_SCRIPT";</script>
</head>
<body>
  <header><a href="/">LOGO_HEADER</a></header>
  <nav><ul><li>NAV_LINK</li></ul></nav>
  <div class="site-sidebar">SIDEBAR_TEXT</div>
  <div id="cookie-banner">COOKIE_TEXT <button>Accept</button></div>
  <ol class="breadcrumb"><li>BREADCRUMB</li></ol>
  <div role="navigation">ROLE_NAV</div>
  <main>
    <article>
      <header><h1>Connecting to Wi-Fi</h1></header>
      <p>Your router   supports <b>two</b>
         bands.</p>
      <h2>Steps</h2>
      <ol>
        <li>Open <em>Settings</em>.</li>
        <li>Choose <a href="/net">Network</a>.</li>
      </ol>
      <ul><li>Tip one</li><li>Tip two</li></ul>
      <h3>Band table</h3>
      <table><tr><th>Band</th><th>Range</th></tr><tr><td>2.4 GHz</td><td>Long</td></tr></table>
      <pre>ping   192.168.0.1
  -c 4</pre>
      <div>Line one<br>Line two</div>
      <p hidden>HIDDEN_TEXT</p>
      <noscript>NOSCRIPT_TEXT</noscript>
      <h2>Reset</h2>
      <div><p>Hold the reset button for 10 s.</p><img src="x.png" alt="IMG_ALT"></div>
      <!-- COMMENT_TEXT -->
    </article>
  </main>
  <aside>ASIDE_TEXT</aside>
  <footer>FOOTER_TEXT</footer>
  <form><label>FORM_TEXT</label></form>
</body>
</html>`;

describe("loadHtml", () => {
  const doc = loadHtml(PAGE, input);
  const all = doc.sections.map((s) => s.text).join("\n");

  it("reads title, canonical url and language", () => {
    expect(doc).toMatchObject({
      id: "help/wifi.html",
      title: "Wi-Fi & Network Help",
      url: "https://help.example.com/wifi",
      language: "de",
      format: "text/html",
      sourceType: "manual",
    });
  });

  it("drops page chrome, scripts, hidden elements and comments", () => {
    for (const junk of [
      "SECRET_SCRIPT", "color: red", "LOGO_HEADER", "NAV_LINK", "SIDEBAR_TEXT", "COOKIE_TEXT", "Accept", "BREADCRUMB",
      "ROLE_NAV", "HIDDEN_TEXT", "NOSCRIPT_TEXT", "IMG_ALT", "COMMENT_TEXT", "ASIDE_TEXT", "FOOTER_TEXT", "FORM_TEXT",
    ]) {
      expect(all).not.toContain(junk);
    }
  });

  it("turns headings into section paths and blocks into paragraphs", () => {
    const table = "Band: 2.4 GHz | Range: Long";
    const pre = "ping   192.168.0.1\n  -c 4";
    expect(doc.sections).toEqual([
      { path: ["Connecting to Wi-Fi"], text: "Your router supports two bands." },
      {
        path: ["Connecting to Wi-Fi", "Steps"],
        text: "1. Open Settings.\n\n2. Choose Network.\n\n- Tip one\n\n- Tip two",
      },
      {
        path: ["Connecting to Wi-Fi", "Steps", "Band table"],
        text: `${table}\n\n${pre}\n\nLine one\nLine two`,
        blocks: [
          { start: 0, end: table.length, kind: "table" },
          { start: table.length + 2, end: table.length + 2 + pre.length, kind: "code" },
        ],
      },
      { path: ["Connecting to Wi-Fi", "Reset"], text: "Hold the reset button for 10 s." },
    ]);
  });

  it("falls back to og:url, the first h1 and the file name", () => {
    const og = loadHtml('<html><head><meta property="og:url" content="https://x.test/a"></head><body><h1>First</h1><p>t</p></body></html>', input);
    expect(og).toMatchObject({ url: "https://x.test/a", title: "First" });
    expect(og.language).toBeUndefined();
    expect(loadHtml("<p>Just a fragment</p>", input)).toMatchObject({ title: "wifi.html", sections: [{ path: [], text: "Just a fragment" }] });
  });

  it("keeps nested list numbering and start attributes", () => {
    const d = loadHtml('<ol start="3"><li>Three<ul><li>sub</li></ul></li><li>Four</li></ol>', input);
    expect(d.sections[0]?.text).toBe("3. Three\n\n  - sub\n\n4. Four");
  });

  it("rejects pages with nothing but chrome", () => {
    expect(() => loadHtml("<html><body><nav>Menu</nav><footer>(c)</footer></body></html>", input)).toThrow(UnsupportedDocumentError);
  });
});

describe("loadHtml list items with block content", () => {
  it("puts the marker on the item's first paragraph only", () => {
    const d = loadHtml("<ul><li><p>Para item</p><p>More</p></li><li></li></ul><p>After</p>", { fileName: "l.html", id: "l" });
    expect(d.sections[0]?.text).toBe("- Para item\n\nMore\n\nAfter");
  });
});

describe("loadHtml definition lists", () => {
  const load = (body: string): string =>
    loadHtml(`<html><body><h1>Tool</h1>${body}</body></html>`, { fileName: "tool.html", id: "tool.html" }).sections[0]?.text ?? "";

  it("starts each description with its term, so an option and what it does stay in one sentence", () => {
    const text = load(
      "<dl><dt><code>-t &lt;timeout&gt;</code></dt><dd><p>Waits the timeout in seconds.</p><p>Default is 0.5.</p></dd>" +
        "<dt>-u</dt><dt>-U</dt><dd>Moves data in one direction only.</dd><dt>Note:</dt><dd>Terms may end in a colon.</dd></dl>",
    );
    expect(text.split("\n\n")).toEqual([
      "-t <timeout>: Waits the timeout in seconds.",
      "Default is 0.5.",
      "-u, -U: Moves data in one direction only.",
      "Note: Terms may end in a colon.",
    ]);
  });

  it("keeps a term without a description as its own paragraph, and a term ahead of a list in its description", () => {
    const text = load("<dl><dt>Modes</dt><dd><ul><li>fast</li><li>slow</li></ul></dd><dt>orphan</dt><dd></dd><dt>last</dt></dl><p>After.</p>");
    expect(text.split("\n\n")).toEqual(["Modes:\n- fast", "- slow", "orphan", "last", "After."]);
  });

  it("does not let a nested list's term swallow the outer term", () => {
    const text = load("<dl><dt>outer</dt><dd><dl><dt>inner</dt><dd>Inner text.</dd></dl></dd></dl>");
    expect(text.split("\n\n")).toEqual(["outer", "inner: Inner text."]);
  });
});

describe("loadHtml table headers", () => {
  it("does not double a colon the header cell already has", () => {
    const doc = loadHtml("<html><body><h1>Pkgs</h1><table><tr><th>Architecture:</th><th>Use</th></tr><tr><td>any</td><td>compiled</td></tr></table></body></html>", {
      fileName: "p.html",
      id: "p.html",
    });
    expect(doc.sections[0]?.text).toBe("Architecture: any | Use: compiled");
  });
});

describe("loadHtml contents link lists", () => {
  it("does not store a page's own table of contents (text that is only in-document links), and keeps prose with links", () => {
    const doc = loadHtml(
      `<html><body><h1>Relay</h1><h2>CONTENTS</h2><a href="relay.html#NAME">NAME</a><br><a href="relay.html#OPTIONS">OPTIONS</a><br>` +
        `<ul><li><a href="#bugs">Known bugs</a></li><li><a href="ch2.html#setup">Setting up</a></li></ul>` +
        `<h2>NAME</h2><p>relay - moves bytes, see <a href="#OPTIONS">the options</a> for the flags it takes.</p>` +
        `<ul><li><a href="https://example.com/download">Download page</a></li></ul></body></html>`,
      { fileName: "relay.html", id: "relay.html" },
    );
    expect(doc.sections.map((s) => s.path.at(-1))).toEqual(["NAME"]);
    expect(doc.sections[0]?.text).toBe("relay - moves bytes, see the options for the flags it takes.\n\n- Download page");
  });
});

describe("loadHtml links to other sites", () => {
  it("keeps a note made of links to another site's sections", () => {
    const doc = loadHtml(
      `<html><body><h1>Notes</h1><p><a href="#ref6">[6]</a> See <a href="https://example.org/ref/pkgs.html#adopting">Reference 5.9.5 "Adopting a package"</a>.</p></body></html>`,
      { fileName: "n.html", id: "n.html" },
    );
    expect(doc.sections[0]?.text).toBe('[6] See Reference 5.9.5 "Adopting a package".');
  });
});

describe("loadHtml DocBook and Sphinx chrome", () => {
  const page =
    `<html><body><div class="navheader"><table summary="Navigation header"><tr><th colspan="3">Chapter 2. Widget care</th></tr>` +
    `<tr><td><a accesskey="p" href="ch01.html">Prev</a></td><td><a accesskey="n" href="ch03.html">Next</a></td></tr></table><hr></div>` +
    `<div class="chapter"><h1 class="title">Chapter 2. Widget care</h1>` +
    `<div class="toc"><p><b>Table of Contents</b></p><dl class="toc"><dt><span class="section"><a href="ch02.html#clean">2.1. Cleaning</a></span></dt>` +
    `<dd><dl><dt><span class="section"><a href="ch02.html#dry">2.1.1. Drying</a></span></dt></dl></dd></dl></div>` +
    `<div class="list-of-tables"><p><b>List of Tables</b></p><dl><dt>2.1. <a href="ch02.html#t1">Cleaning agents</a></dt></dl></div>` +
    `<h2>2.1. Cleaning <a class="headerlink" href="#clean" title="Link to this heading">¶</a></h2><p>Wipe the widget with a dry cloth.</p>` +
    `<dl><dt><a href="#glossary-lint">lint</a></dt><dd>Fibres the cloth leaves behind.</dd></dl></div>` +
    `<div class="navfooter"><hr><table summary="Navigation footer"><tr><td><a href="ch01.html">Prev</a></td><td><a href="index.html">Home</a></td>` +
    `<td><a href="ch03.html">Next</a></td></tr><tr><td>Chapter 1. Unpacking</td><td>Chapter 3. Repairs</td></tr></table></div></body></html>`;

  it("stores neither the Prev/Next bars nor the chapter's contents lists, and keeps the content and a linked glossary term", () => {
    const doc = loadHtml(page, { fileName: "ch02.html", id: "ch02.html" });
    expect(doc.sections).toEqual([
      { path: ["Chapter 2. Widget care", "2.1. Cleaning"], text: "Wipe the widget with a dry cloth.\n\nlint: Fibres the cloth leaves behind." },
    ]);
  });

  it("drops a contents list written as a definition list of links without any class, chapter pages included", () => {
    const doc = loadHtml(
      `<html><body><h1>Widget handbook</h1><dl><dt><a href="ch01.html">1. Unpacking</a></dt><dd><dl><dt><a href="ch01.html#box">1.1. The box</a></dt>` +
        `<dt><a href="ch01.html#parts">1.2. Parts</a></dt></dl></dd><dt><a href="ch02.html">2. Widget care</a></dt></dl>` +
        `<p>This handbook is maintained by the widget team.</p></body></html>`,
      { fileName: "index.html", id: "index.html" },
    );
    expect(doc.sections.map((s) => s.text)).toEqual(["This handbook is maintained by the widget team."]);
  });
});

describe("loadHtml Publican pages (docnav, banner, sidebars, footnote marks)", () => {
  const page =
    `<html><body><div id="banner"><a href="https://example.com/get"><span class="text">Download the ebook</span></a></div>` +
    `<ul class="docnav"><li class="previous"><a accesskey="p" href="a.html"><strong>Prev</strong></a></li><li class="home">Widget Manual</li>` +
    `<li class="next"><a accesskey="n" href="c.html"><strong>Next</strong></a></li></ul>` +
    `<div class="section"><div class="titlepage"><h2 class="title">3.1. Timers</h2></div>` +
    `<div class="para">Each user keeps a timer table.<a href="#ftn.x1" class="footnote"><sup class="footnote">[4]</sup></a> Edit it with the timer tool.</div>` +
    `<div class="sidebar"><div class="titlepage"><div><div><p class="title"><strong>Tip: shortcuts</strong></p></div></div></div>` +
    `<div class="para">Write @nightly instead of five fields.</div></div>` +
    `<div class="footnotes"><div id="ftn.x1" class="footnote"><div class="para"><a href="#x1" class="para"><sup class="para">[4] </sup></a>Stored per user.</div></div></div></div>` +
    `<ul class="docnav"><li class="previous"><a href="a.html"><strong>上一页</strong>3.0. Clocks</a></li><li class="up"><a href="#"><strong>上一级</strong></a></li>` +
    `<li class="next"><a href="c.html"><strong>下一页</strong>3.2. Alarms</a></li></ul></body></html>`;
  const doc = loadHtml(page, { fileName: "timers.html", id: "timers.html" });
  const all = doc.sections.map((s) => s.text).join("\n\n");

  it("drops the navigation lists and the banner in any language, and keeps a titled DocBook sidebar", () => {
    for (const junk of ["Download the ebook", "Prev", "Next", "上一页", "下一页", "上一级", "Widget Manual"]) expect(all).not.toContain(junk);
    expect(all).toContain("Tip: shortcuts");
    expect(all).toContain("Write @nightly instead of five fields.");
  });

  it("drops footnote reference marks from sentences and keeps the footnote's text", () => {
    expect(all).toContain("Each user keeps a timer table. Edit it with the timer tool.");
    expect(all).toContain("Stored per user.");
  });
});

describe("loadHtml Texinfo pages (rel navigation bars, redirect nodes, option anchors)", () => {
  const bar = (next: string, prev: string) =>
    `<div class="header"><p>Next: <a href="${next}.html#${next}" accesskey="n" rel="next"><code>gizmo</code> ${next}</a>, ` +
    `Previous: <a href="${prev}.html" accesskey="p" rel="prev">${prev}</a>, Up: <a href="index.html" accesskey="u" rel="up">Gizmo Manual</a> &nbsp; ` +
    `[<a href="index.html#SEC_Contents" title="Table of contents" rel="contents">Contents</a>][<a href="Index.html" title="Index" rel="index">Index</a>]</p></div>`;
  const page =
    `<html><body lang="en"><div class="chapter" id="Tuning">${bar("Output", "Overview")}<h2 class="chapter">3 Tuning the Gizmo</h2>` +
    `<p>The gizmo hums when its belt is loose.</p><div class="section" id="Belts">${bar("Noise", "Tuning")}<h3 class="section">3.1 Belts</h3>` +
    `<p>Tighten the belt until it gives by one finger. See <a href="Noise.html#Noise" rel="next">Noise</a> for the next step.</p>` +
    `<dl compact="compact"><dt id="index-_002d_002dquiet"><span><code>--quiet</code><a class="copiable-anchor" href="#index-_002d_002dquiet"> &para;</a></span></dt>` +
    `<dd><p>Stops the hum report.</p></dd></dl></div></div></body></html>`;
  const doc = loadHtml(page, { fileName: "Tuning.html", id: "Tuning.html" });

  it("drops the Next/Previous/Up bar before each section (known by its links' rel), and keeps prose that links to the next node", () => {
    expect(doc.sections).toEqual([
      { path: ["3 Tuning the Gizmo"], text: "The gizmo hums when its belt is loose." },
      {
        path: ["3 Tuning the Gizmo", "3.1 Belts"],
        text: "Tighten the belt until it gives by one finger. See Noise for the next step.\n\n--quiet: Stops the hum report.",
      },
    ]);
  });

  it("rejects a node redirect page with the page it points to, and keeps a page with a refresh that has content", () => {
    const stub =
      `<html><head><meta http-equiv="Refresh" content="0; url=Tuning.html#Belts"><meta name="robots" content="noindex,nofollow">` +
      `<title>Belts (Gizmo Manual)</title></head><body><p>The node you are looking for is at <a href="Tuning.html#Belts">Belts</a>.</p></body></html>`;
    expect(() => loadHtml(stub, { fileName: "Belts.html", id: "Belts.html" })).toThrow(UnsupportedDocumentError);
    expect(() => loadHtml(stub, { fileName: "Belts.html", id: "Belts.html" })).toThrow(/redirect page \(to Tuning\.html#Belts\)/);
    const news = `<html><head><meta http-equiv="refresh" content="300"></head><body><p>${"The gizmo store reopens on Monday with new belts. ".repeat(4)}</p></body></html>`;
    expect(loadHtml(news, { fileName: "news.html", id: "news.html" }).sections).toHaveLength(1);
  });
});

describe("loadHtml keeps inline markup inside a table cell or heading joined to its words", () => {
  // DocBook sets admonitions and command tables as tables: a quoted <code> in a cell must not gain spaces inside
  // its quotes ("“ user_name ”", '" /etc/widget.deny "').
  const page =
    "<html><body><h1>Use <code>widgetctl</code>(8)</h1>" +
    '<table><tr><th>命令</th><th>功能</th></tr><tr><td><code>widgetctl show <em>name</em></code></td><td>浏览 “<code class="literal"><span class="emphasis"><em>name</em></span></code>” 的信息</td></tr></table>' +
    '<table><tr><td><p>提示</p><p>看下在"<code class="literal">/etc/widget.deny</code>"里是否存在"ALL: NONE"，并把<b>它</b>注释掉。</p></td></tr></table>' +
    "</body></html>";
  const doc = loadHtml(page, { fileName: "widget.html", id: "widget.html" });
  const text = doc.sections.map((s) => s.text).join("\n");

  it("joins code, emphasis and bold to the text around them", () => {
    expect(doc.sections[0]?.path).toEqual(["Use widgetctl(8)"]);
    expect(text).toContain("浏览 “name” 的信息");
    expect(text).toContain('看下在"/etc/widget.deny"里是否存在"ALL: NONE"，并把它注释掉。');
  });

  it("still sets cells and the paragraphs of a cell apart", () => {
    expect(text).toContain("widgetctl show name");
    expect(text).toMatch(/提示 看下在/);
  });
});
