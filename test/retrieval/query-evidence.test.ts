import { describe, expect, it } from "vitest";
import { idfOf } from "../../src/retrieval/idf.js";
import { isLoneWord, LONE_WORD_MIN_WORDS, queryEvidence } from "../../src/retrieval/query-evidence.js";
import { cjkBridges } from "../../src/text/cjk-bridges.js";
import { queryTerms } from "../../src/text/analyzer.js";

const df = (t: string): number => ({ instal: 400, debian: 900, firmwar: 3 })[t] ?? 0;

describe("query evidence", () => {
  it("leaves out a reversal word no chunk holds, and counts one the documents write", () => {
    // "How do I undo that (lock a widget's lid)?" to a manual that writes "unlock", never "undo".
    const counts = (t: string): number => ({ lock: 12, widget: 300, lid: 40, undo: 0 })[t] ?? 0;
    const terms = queryTerms("How do I undo that (lock a widget's lid)?");
    expect(terms).toContain("undo");
    expect(queryEvidence(terms, counts, 5000).unseen).toBe(0);
    // An unseen topic word still counts; a manual writing "undo" weighs it as any other word.
    expect(queryEvidence(queryTerms("How do I undo a zorbl?"), counts, 5000).unseen).toBeGreaterThan(0.5);
    const written = (t: string): number => (t === "undo" ? 5 : counts(t));
    const w = (t: string): number => idfOf(written(t), 5000);
    expect(queryEvidence(["undo", "zorbl"], written, 5000).unseen).toBeCloseTo(w("zorbl") / (w("zorbl") + w("undo")), 9);
    expect(queryEvidence(queryTerms("那怎么撤销？"), () => 0, 5000).unseen).toBe(0);
  });

  it("reports the IDF-weighted share of distinct question terms no chunk holds", () => {
    const e = queryEvidence(["steam", "instal", "debian"], df, 5000);
    const unseen = idfOf(0, 5000);
    expect(e.unseen).toBeCloseTo(unseen / (unseen + idfOf(400, 5000) + idfOf(900, 5000)), 9);
    expect(e.unseen).toBeGreaterThan(0.5);
    expect(queryEvidence(["instal", "firmwar", "firmwar"], df, 5000).unseen).toBe(0);
  });

  it("does not let one missing everyday word dominate in a tiny collection", () => {
    const tiny = (t: string): number => (t === "often" ? 0 : 1);
    expect(queryEvidence(["often", "zorp", "flux", "capacitor", "recharg"], tiny, 1).unseen).toBeLessThan(0.25);
  });

  it("weighs the question's names twice", () => {
    // "What's the right way to install Zorbl Engine on Debian?" to a manual that never names Zorbl.
    const counts = (t: string): number => ({ engin: 4, right: 26, instal: 400, debian: 900, firmwar: 3 })[t] ?? 0;
    const many = ["zorbl", "engin", "right", "instal", "debian", "firmwar"];
    const w = (t: string): number => idfOf(counts(t), 5000);
    const withoutNames = queryEvidence(many, counts, 5000).unseen;
    const names = queryEvidence(many, counts, 5000, { names: ["zorbl", "engin", "debian"] }).unseen;
    const total = many.reduce((a, t) => a + w(t), 0) + w("zorbl") + w("engin") + w("debian");
    expect(names).toBeCloseTo((2 * w("zorbl")) / total, 9);
    expect(names).toBeGreaterThan(withoutNames);
    // Only search terms count: a name the analyzer did not make a term adds nothing.
    expect(queryEvidence(["instal", "debian"], counts, 5000, { names: ["qwerti"] }).unseen).toBe(0);
    expect(queryEvidence(["instal", "debian"], counts, 5000, { names: ["debian"] }).unseen).toBe(0);
  });

  it("counts the terms of one written word once: unseen only when none of them is seen", () => {
    const counts = (t: string): number => ({ long: 30, term: 20, instal: 400 })[t] ?? 0;
    const w = (t: string): number => idfOf(counts(t), 5000);
    // "zorp'ing" gives zorp, ing and zorping, all unseen: one unseen word, not three.
    const once = queryEvidence(["zorp", "ing", "zorping", "instal"], counts, 5000, { compounds: [["zorp", "ing", "zorping"]] }).unseen;
    expect(once).toBeCloseTo(w("zorp") / (w("zorp") + w("instal")), 9);
    expect(queryEvidence(["zorp", "ing", "zorping", "instal"], counts, 5000).unseen).toBeGreaterThan(once);
    // "long-term" is seen when the documents write "long term", though "longterm" is not.
    expect(queryEvidence(["long", "term", "longterm", "instal"], counts, 5000, { compounds: [["long", "term", "longterm"]] }).unseen).toBe(0);
  });

  it("weighs a phrase the documents write only apart as apart, not unseen", () => {
    // "Zorblax Office" to a manual naming Zorblax Windows and an office: every word is seen, the phrase is not.
    const counts = (t: string): number => ({ zorblax: 3, offic: 40, instal: 400, app: 30, wake: 5, lan: 8 })[t] ?? 0;
    const terms = ["instal", "zorblax", "offic", "app"];
    const w = (t: string): number => idfOf(counts(t), 5000);
    const words = { names: ["zorblax", "offic"] };
    expect(queryEvidence(terms, counts, 5000, words).unseen).toBe(0);
    const phrase = queryEvidence(terms, counts, 5000, { ...words, phrasesApart: [["zorblax", "offic"]] });
    expect(phrase.unseen).toBe(0);
    const apart = phrase.apart;
    const total = w("instal") + 2 * w("zorblax") + 2 * w("offic") + w("app");
    expect(apart).toBeCloseTo((2 * w("zorblax") + 2 * w("offic")) / total, 9);
    // A joined word's terms are one unit ("Wake-on-LAN"; "wake" and "lan" seen alone): apart, it counts once.
    const joinedWords = { compounds: [["wake", "lan", "wakeonlan"]] };
    const wol = ["wake", "lan", "wakeonlan", "instal"];
    expect(queryEvidence(wol, counts, 5000, joinedWords)).toEqual({ unseen: 0, apart: 0 });
    const joined = queryEvidence(wol, counts, 5000, { ...joinedWords, phrasesApart: [["wake", "lan"]] }).apart;
    expect(joined).toBeCloseTo(w("wakeonlan") / (w("wakeonlan") + w("instal")), 9);
  });

  it("does not count one unseen plain word in a long question, but does a name, two words or a short question", () => {
    const counts = (t: string): number => ({ found: 40, old: 30, cd: 12, tell: 50, releas: 60, actual: 20, debian: 900 })[t] ?? 0;
    // "I found an old Debian CD in a drawer. How can I tell which release is actually on it?"
    const story = ["found", "old", "debian", "cd", "drawer", "tell", "releas", "actual"];
    expect(story.length).toBeGreaterThanOrEqual(LONE_WORD_MIN_WORDS);
    expect(queryEvidence(story, counts, 5000, { names: ["debian", "cd"] }).unseen).toBe(0);
    // The same word written as a name ("Drawer") is what the question is about.
    expect(queryEvidence(story, counts, 5000, { names: ["debian", "cd", "drawer"] }).unseen).toBeGreaterThan(0.2);
    // Two unseen words: both count.
    const two = queryEvidence([...story, "zorbl"], counts, 5000).unseen;
    const w = (t: string): number => idfOf(counts(t), 5000);
    expect(two).toBeCloseTo((w("drawer") + w("zorbl")) / [...story, "zorbl"].reduce((a, t) => a + w(t), 0), 9);
    // A short question's one unseen word is likely its topic ("adjust the gamma" once its section is gone).
    expect(queryEvidence(["adjust", "gamma", "tell"], counts, 5000).unseen).toBeGreaterThan(0.5);
    // A written word's terms are one word: "zorp'ing" alone in a long question is one lone word.
    expect(queryEvidence([...story.filter((t) => t !== "drawer"), "zorp", "ing", "zorping"], counts, 5000, { compounds: [["zorp", "ing", "zorping"]] }).unseen).toBe(0);
  });

  it("tells a lone word by the count of written words and unseen ones", () => {
    expect(isLoneWord(LONE_WORD_MIN_WORDS, [false])).toBe(true);
    expect(isLoneWord(LONE_WORD_MIN_WORDS - 1, [false])).toBe(false);
    expect(isLoneWord(12, [true])).toBe(false);
    expect(isLoneWord(12, [false, false])).toBe(false);
    expect(isLoneWord(12, [])).toBe(false);
  });

  it("is neutral without terms", () => {
    expect(queryEvidence([], df, 10)).toEqual({ unseen: 0, apart: 0 });
  });
});

describe("queryEvidence with CJK bigrams joining two words", () => {
  const evidence = (question: string, seen: readonly string[]) => {
    const terms = queryTerms(question);
    const df = (t: string): number => (seen.includes(t) ? 5 : 0);
    return queryEvidence(terms, df, 2000, { bridges: cjkBridges(question) });
  };

  it("does not count a bigram that only joins a seen word to the next as unseen ('统里' of '系统里的')", () => {
    const question = "怎样更新系统里的软件？";
    expect(queryTerms(question)).toContain("统里");
    expect(evidence(question, ["更新", "系统", "软件", "新系"]).unseen).toBe(0);
    // Without the bridges the same question is a fifth unseen.
    const terms = queryTerms(question);
    expect(queryEvidence(terms, (t) => (["更新", "系统", "软件", "新系"].includes(t) ? 5 : 0), 2000).unseen).toBeGreaterThan(0.15);
  });

  it("still counts a word the documents lack when the segmenter splits it into characters ('路由器' beside '密码')", () => {
    const question = "如何重置路由器密码？";
    const e = evidence(question, ["密码", "重置"]);
    expect(e.unseen).toBeGreaterThan(0.3);
  });
});

describe("cjkBridges", () => {
  it("lists the bigrams straddling two segmenter words with their neighbours, never across a question word", () => {
    const bridges = cjkBridges("怎样更新系统里的软件？");
    expect(bridges.find((b) => b.term === "统里")?.neighbours).toContain("系统");
    expect(bridges.some((b) => b.term.includes("的") || b.term.includes("样"))).toBe(false);
  });
});
