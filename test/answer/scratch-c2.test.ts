import { it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { verifyAnswer } from "../../src/answer/verify-citations.js";
function source(n: number, text: string): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Guide", sectionPath: ["A", "B"], sourceType: "manual", text, score: 1 };
}
it("scratch", async () => {
  const text = "This part describes the simplest way to build a custom widget the usual way. It assumes you know the build.\n\nThe easiest way to build a custom widget from the widget source is to use the widget-source package and the make widget-pkg target. First, prepare the widget tree:\n# apt-get install widget-source-4.3\n$ tar xaf /usr/src/widget-source-4.3.tar.xz\n$ cd widget-source-4.3\n\nThe widget now needs to be configured, that is you set the options.";
  const sources = [source(1, text)];
  const c = await new ExtractiveComposer().compose({ question: "How do I build a custom widget package from the widget source?", language: "en", sources });
  console.log(JSON.stringify(c.text));
  console.log(JSON.stringify(verifyAnswer(c.text, sources, { language: "en" }).text));
});
