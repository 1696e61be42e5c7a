import { describe, expect, it } from "vitest";
import type { Chunk } from "../../src/domain/chunk.js";
import { queryTermSequence, queryTerms } from "../../src/text/analyzer.js";
import { lexicalFeatures } from "../../src/retrieval/lexical-features.js";
import { bm25, windows } from "../../src/retrieval/passages.js";
import { chunkTerms } from "../../src/text/chunk-terms.js";

let nextLabel = 1;
function chunk(text: string, title = "Manual", position = 0): Chunk & { label: number } {
  const label = nextLabel++;
  return {
    label, id: `c${label}`, documentId: `d${label}`, title, sectionPath: [], position, text, contentHash: `h${label}`,
    tokenCount: text.length, collection: "default", sourceType: "manual",
  };
}

const FILLER = "The television shows channels from the antenna and from the cable box in every room of the house. ".repeat(8);

function idfOf(terms: string[], value = 2): Map<string, number> {
  return new Map(terms.map((t) => [t, value]));
}

describe("passages", () => {
  it("cuts overlapping windows and keeps a short text whole", () => {
    const tokens = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const w = windows(tokens, 40, 20);
    expect(w.map((x) => x[0])).toEqual(["t0", "t20", "t40", "t60"]);
    expect(w.at(-1)?.at(-1)).toBe("t99");
    expect(windows(["a", "b"], 40, 20)).toEqual([["a", "b"]]);
  });

  it("scores BM25 higher for more occurrences and lower for longer texts", () => {
    const idf = new Map([["reset", 2]]);
    const p = { k1: 1.2, b: 0.75 };
    expect(bm25(new Map([["reset", 2]]), 10, 10, idf, p)).toBeGreaterThan(bm25(new Map([["reset", 1]]), 10, 10, idf, p));
    expect(bm25(new Map([["reset", 1]]), 10, 10, idf, p)).toBeGreaterThan(bm25(new Map([["reset", 1]]), 40, 10, idf, p));
  });

  it("analyzes a chunk's text into its body terms, fresh for changed content", () => {
    const c = chunk("Pair the remote");
    expect(chunkTerms(c).bodyTokens).toEqual(["pair", "remot"]);
    expect(chunkTerms({ ...c, text: "Reset the hub" }).bodyTokens).toEqual(["reset", "hub"]);
  });
});

describe("lexical features", () => {
  it("judges a long section by its best passage, not its diluted whole", () => {
    const terms = queryTerms("reset the network settings");
    const focused = chunk(`${FILLER} To reset the network settings, open Network and select Reset Network. ${FILLER}`);
    const scattered = chunk(`Reset the picture. ${FILLER} Network status. ${FILLER} Sound settings.`);
    const [a, b] = lexicalFeatures(terms, [focused, scattered], idfOf(terms), chunkTerms);
    expect(a!.passage).toBeGreaterThan(b!.passage);
    expect(a!.coverage).toBe(1);
    expect(b!.coverage).toBe(1);
  });

  it("rewards adjacent query terms (phrases) and counts the lead of first chunks only", () => {
    const terms = queryTerms("picture mode");
    const phrase = chunk("Change the picture mode here.", "Picture", 0);
    const apart = chunk("The mode of the remote and the picture.", "Remote", 0);
    const later = chunk("Change the picture mode here.", "Picture", 3);
    const [p, a, l] = lexicalFeatures(terms, [phrase, apart, later], idfOf(terms), chunkTerms);
    expect(p!.proximity).toBe(1);
    expect(a!.proximity).toBe(0);
    expect(p!.lead).toBeGreaterThan(0);
    expect(l!.lead).toBe(0);
  });

  it("counts each query pair once, in the heading or the body, in order and never across the two", () => {
    const terms = queryTerms("picture mode settings");
    const both = chunk(`Mode settings. ${FILLER} The picture mode. Picture mode again.`, "Remote", 1);
    const reversed = chunk("Settings mode and mode picture.", "Remote", 1);
    const heading = chunk("Settings are elsewhere.", "Picture mode", 1);
    const [b, r, h] = lexicalFeatures(terms, [both, reversed, heading], idfOf(terms), chunkTerms);
    expect(b!.proximity).toBe(1);
    expect(r!.proximity).toBe(0);
    // "picture mode" in the heading; "mode" ending the heading and "settings" opening the body are not a pair.
    expect(h!.proximity).toBe(0.5);
  });

  it("takes query pairs from the question's word order, repeats included", () => {
    // "boot with secure boot": unique terms are [boot, secur], which lose the pair "secur boot".
    const sequence = queryTermSequence("does it boot with secure boot enabled");
    const secure = chunk("Secure boot is supported through shim.", "Firmware", 1);
    const [s] = lexicalFeatures(sequence, [secure], idfOf(sequence), chunkTerms);
    const [u] = lexicalFeatures(queryTerms("does it boot with secure boot enabled"), [secure], idfOf(sequence), chunkTerms);
    expect(s!.proximity).toBeGreaterThan(0);
    expect(u!.proximity).toBe(0);
    // Repeats count once in coverage and BM25.
    expect(s!.coverage).toBeCloseTo(u!.coverage);
    expect(s!.passage).toBeCloseTo(u!.passage);
  });

  it("weights coverage by IDF", () => {
    const terms = queryTerms("hdmi cable");
    const idf = new Map([["hdmi", 3], ["cabl", 1]]);
    const [withRare, withCommon] = lexicalFeatures(terms, [chunk("Use an HDMI port."), chunk("Use any cable.")], idf, chunkTerms);
    expect(withRare!.coverage).toBeCloseTo(0.75);
    expect(withCommon!.coverage).toBeCloseTo(0.25);
  });

  it("matches a question against a heading that asks the same question, and leaves topic headings alone", () => {
    const terms = queryTerms("how do I put a package on hold so apt never upgrades it");
    const idf = idfOf(terms);
    const body = "Use the apt-mark command with the hold argument; unhold releases it.";
    const faq = { ...chunk(body, "FAQ", 5), sectionPath: ["Chapter 7 Package management", "7.12 How do I put a package on hold?"] };
    const topic = { ...chunk(body, "FAQ", 5), sectionPath: ["Chapter 7 Package management", "7.12 Putting a package on hold"] };
    const other = { ...chunk(body, "FAQ", 5), sectionPath: ["Chapter 7 Package management", "7.13 How do I remove a package?"] };
    const [f, t, o] = lexicalFeatures(terms, [faq, topic, other], idf, chunkTerms);
    expect(f!.questionHeading).toBeGreaterThan(0.3);
    expect(t!.questionHeading).toBe(0);
    expect(o!.questionHeading).toBeGreaterThan(0);
    expect(o!.questionHeading).toBeLessThan(f!.questionHeading);
    const zh = queryTerms("专属顾问是什么");
    const [z] = lexicalFeatures(zh, [{ ...chunk("专属顾问负责您的账户。", "FAQ", 1), sectionPath: ["专属顾问是什么？"] }], idfOf(zh), chunkTerms);
    expect(z!.questionHeading).toBeCloseTo(1);
  });

  it("scores a topic heading that shares at least two of the question's terms, and never a question heading", () => {
    const terms = queryTerms("can I set up the router without the cloud account");
    const idf = idfOf(terms);
    const body = "Open the local console and choose the offline setup.";
    const at = (heading: string) => ({ ...chunk(body, "Guide", 3), sectionPath: ["Chapter 4 Setup", heading] });
    const [named, partly, single, question] = lexicalFeatures(
      terms,
      [at("4.2 Setting up the router without a cloud account"), at("4.3 Router setup with a cloud account and a mobile app for remote access"), at("4.4 Router"), at("4.5 Can I use the router without a cloud account?")],
      idf,
      chunkTerms,
    );
    expect(named!.topicHeading).toBeGreaterThan(0.5);
    expect(partly!.topicHeading).toBeGreaterThan(0);
    expect(partly!.topicHeading).toBeLessThan(named!.topicHeading);
    // One shared word is the BM25 title field's evidence, not the heading naming the question.
    expect(single!.topicHeading).toBe(0);
    expect(question!.topicHeading).toBe(0);
    expect(question!.questionHeading).toBeGreaterThan(0);
  });
});
