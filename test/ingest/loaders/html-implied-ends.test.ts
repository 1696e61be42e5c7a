import { describe, expect, it } from "vitest";
import { parse } from "node-html-parser";
import { closeImpliedElements } from "../../../ingest/loaders/html-implied-ends.js";
import { loadHtml } from "../../../ingest/loaders/html.js";

/** A generated man2html-style page: one long definition list whose <dt>, <dd> and <p> are never closed. */
function manPage(options: number): string {
  const entries = Array.from(
    { length: options },
    (_, i) => `<dt><strong><code>opt${i}=&lt;value&gt;</code></strong>\n<dd>Sets knob ${i} of the relay.\n<p>More about knob ${i}.\n`,
  ).join("");
  return `<html><head><title>relay</title></head><body>\n<h2>NAME</h2>relay - moves bytes\n<p>\n<h2>OPTIONS</h2>\n<p>\n<dl>\n${entries}</dl>\n<p>\n<h2>BUGS</h2>\nNone known.\n`;
}

describe("closeImpliedElements", () => {
  it("writes out the end tags of <dt>, <dd>, <p> and <li> left open, in document order", () => {
    const out = closeImpliedElements("<dl><dt>a<dd>one<p>two<dt>b<dd>three</dl><ul><li>x<li>y</ul>");
    expect(out).toBe("<dl><dt>a</dt><dd>one<p>two</p></dd><dt>b</dt><dd>three</dd></dl><ul><li>x</li><li>y</li></ul>");
  });

  it("closes a <p> at a block start but not across a table cell, and drops end tags that close nothing", () => {
    expect(closeImpliedElements("<p>a<div>b</div></span>")).toBe("<p>a</p><div>b</div>");
    expect(closeImpliedElements("<p>a<table><tr><td><p>b<td>c</table>")).toBe(
      "<p>a</p><table><tr><td><p>b</p></td><td>c</td></tr></table>",
    );
  });

  it("leaves balanced markup, comments, void elements and raw text untouched", () => {
    const html = `<!DOCTYPE html><html><body><!-- <dd> --><p>a<br>b<img src="x>y"/></p><script>if (a<b) "<dd>"</script></body></html>`;
    expect(closeImpliedElements(html)).toBe(html);
  });

  it("closes what is still open at the end, keeping each element's own spelling", () => {
    expect(closeImpliedElements("<DIV><P>a")).toBe("<DIV><P>a</P></DIV>");
  });
});

describe("loadHtml on pages with implied end tags", () => {
  it("parses a large man page with thousands of unclosed elements quickly and keeps its sections and order", () => {
    const html = manPage(1500);
    const started = performance.now();
    const doc = loadHtml(html, { fileName: "relay.html", id: "relay.html" });
    // Unbalanced, node-html-parser alone needs minutes for this page (the cost grows with the cube of the nesting).
    expect(performance.now() - started).toBeLessThan(5000);
    expect(doc.sections.map((s) => s.path.at(-1))).toEqual(["NAME", "OPTIONS", "BUGS"]);
    const options = doc.sections[1]?.text ?? "";
    expect(options.indexOf("opt10=<value>")).toBeLessThan(options.indexOf("Sets knob 10 of"));
    expect(options.indexOf("More about knob 10.")).toBeLessThan(options.indexOf("opt11=<value>"));
    expect(options).toContain("opt1499=<value>: Sets knob 1499 of the relay.\n\nMore about knob 1499.");
  });

  it("nests no deeper than the markup means", () => {
    const root = parse(closeImpliedElements(manPage(300)));
    let deepest = 0;
    const stack = [{ node: root as { childNodes: unknown[] }, depth: 0 }];
    for (let item = stack.pop(); item; item = stack.pop()) {
      deepest = Math.max(deepest, item.depth);
      for (const child of item.node.childNodes as Array<{ nodeType: number; childNodes: unknown[] }>) {
        if (child.nodeType === 1) stack.push({ node: child, depth: item.depth + 1 });
      }
    }
    expect(deepest).toBeLessThan(10);
  });
});
