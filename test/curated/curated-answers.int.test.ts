// Curated answers as a use case (issue #14, item 4): stored redacted and versioned with the key name, indexed as a
// `curated` source found through retrieval, cited as curated, gone from answers at once when deleted — and a near
// miss ("unpair" after an answer about pairing) not answered from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswering, curatedDeps, openCurated, type Answering } from "../../src/container.js";
import { createCuratedAnswer, deleteCuratedAnswer, reviseCuratedAnswer, type CuratedDeps } from "../../src/curated/curated-answers.js";
import type { CuratedStore } from "../../src/ports/curated-store.js";
import { questionAgreement, questionWords, topicWords } from "../../src/answer/curated-gate.js";
import { unsupportedOperators } from "../../src/answer/curated-operators.js";
import { openTestEngineWith } from "../support/temp-engine.js";

export const GADGET_MANUAL = `# Gadget Manual

## Power

Press and hold the power button for three seconds to turn the gadget on. The LED turns green when it is ready.

## Factory reset

Unplug the gadget, hold the reset pin for ten seconds, then plug it back in and wait for the blue LED.

## Wi-Fi

The gadget connects to 2.4 GHz Wi-Fi networks only. Open the app, choose Add device and enter the network password.
`;

export const PAIR_QUESTION = "How do I pair the remote with the gadget?";
export const PAIR_ANSWER =
  "Hold the OK and Back buttons on the remote together for five seconds, until the gadget's LED blinks blue. The remote is paired when the LED stays blue.";

let t: Awaited<ReturnType<typeof openTestEngineWith>>;
let store: CuratedStore;
let deps: CuratedDeps;
let answering: Answering;

beforeAll(async () => {
  t = await openTestEngineWith({ "gadget.md": GADGET_MANUAL });
  store = openCurated(t.engine);
  deps = curatedDeps(t.engine, store);
  answering = await createAnswering(t.engine, { curated: store });
}, 60_000);

afterAll(async () => {
  store.close();
  await t.cleanup();
});

const ask = (question: string) => answering.answer({ question });

describe("curated answers", () => {
  it("a refused question is answered from its curated answer, and a paraphrase too; a near miss is not", async () => {
    expect((await ask(PAIR_QUESTION)).answerable).toBe(false);
    const saved = await createCuratedAnswer(deps, { collection: "default", question: PAIR_QUESTION, answer: PAIR_ANSWER, author: "content" });
    expect(saved).toMatchObject({ version: 1, author: "content", collection: "default", question: PAIR_QUESTION });
    expect(await t.engine.store.getDocument("default", saved.id)).toMatchObject({ sourceType: "curated", status: "ready", title: PAIR_QUESTION });

    for (const q of [PAIR_QUESTION, "What are the steps to pair my remote to the gadget?"]) {
      const a = await ask(q);
      expect(a.answerable, q).toBe(true);
      expect(a.answer).toContain("OK and Back buttons");
      expect(a.citations[0]).toMatchObject({ documentId: saved.id, sourceType: "curated", title: PAIR_QUESTION, curated: { version: 1, author: "content" } });
    }
    const nearMiss = await ask("How do I unpair the remote from the gadget?");
    expect(nearMiss.citations.map((c) => c.documentId)).not.toContain(saved.id);
    expect(nearMiss.answerable).toBe(false);
    await deleteCuratedAnswer(deps, "default", saved.id);
  });

  it("each edit is a new version recorded with its author; the latest is what answers quote", async () => {
    const first = await createCuratedAnswer(deps, { collection: "default", question: "How do I clean the gadget's lens?", answer: "Wipe the lens with a dry microfiber cloth.", author: "alice" });
    const second = await reviseCuratedAnswer(deps, first.id, { collection: "default", question: "How do I clean the gadget's lens?", answer: "Wipe the lens with a lens tissue moistened with isopropyl alcohol.", author: "bob" });
    expect(second).toMatchObject({ id: first.id, version: 2, author: "bob", createdAt: first.createdAt });
    const full = await store.get("default", first.id);
    expect(full?.versions.map((v) => [v.version, v.author])).toEqual([[1, "alice"], [2, "bob"]]);
    const a = await ask("How do I clean the gadget lens?");
    expect(a.answer).toContain("isopropyl alcohol");
    expect(a.answer).not.toContain("microfiber");
    expect(a.citations[0]?.curated).toMatchObject({ version: 2, author: "bob" });
    // An update of a missing (or deleted) answer creates nothing.
    expect(await reviseCuratedAnswer(deps, "curated-missing", { collection: "default", question: "q?", answer: "a.", author: "bob" })).toBeUndefined();
    expect(await deleteCuratedAnswer(deps, "default", first.id)).toBe(true);
    expect(await store.get("default", first.id)).toBeUndefined();
    expect(await t.engine.store.getDocument("default", first.id)).toBeUndefined();
    const after = await ask("How do I clean the gadget lens?");
    expect(after.citations.map((c) => c.documentId)).not.toContain(first.id);
    expect(await deleteCuratedAnswer(deps, "default", first.id)).toBe(false);
  });

  it("is redacted like any source: stored versions and indexed text alike", async () => {
    const saved = await createCuratedAnswer(deps, {
      collection: "default",
      question: "Who do I email about a broken gadget charger?",
      answer: "Write to repairs.team@example.com or call +1 415 555 0199 and we send a new charger.",
      author: "carol",
    });
    expect(saved.answer).not.toMatch(/example\.com|555 0199/);
    expect(saved.answer).toContain("[EMAIL]");
    const chunks = await t.engine.store.getDocumentChunks("default", saved.id);
    expect(chunks.map((c) => c.text).join(" ")).not.toMatch(/example\.com|555 0199/);
    expect((await t.engine.store.getDocument("default", saved.id))?.redactions).toBeGreaterThanOrEqual(2);
    const versions = await store.get("default", saved.id);
    expect(JSON.stringify(versions)).not.toMatch(/example\.com|555 0199/);
    await deleteCuratedAnswer(deps, "default", saved.id);
  });

  it("ticket policy: curated answers are knowledge, allowed in customer answers, kept to their collection", async () => {
    const saved = await createCuratedAnswer(deps, { collection: "other", question: PAIR_QUESTION, answer: PAIR_ANSWER, author: "content" });
    const inDefault = await answering.answer({ question: PAIR_QUESTION, filters: { collections: ["default"] } });
    expect(inDefault.citations.map((c) => c.documentId)).not.toContain(saved.id);
    const onlyCurated = await answering.answer({ question: PAIR_QUESTION, filters: { sourceTypes: ["curated"], collections: ["other"] } });
    expect(onlyCurated.citations[0]?.documentId).toBe(saved.id);
    await deleteCuratedAnswer(deps, "other", saved.id);
  });
});

describe("the question-agreement gate", () => {
  it("is what keeps a near miss from being answered from a curated answer", async () => {
    const saved = await createCuratedAnswer(deps, { collection: "default", question: PAIR_QUESTION, answer: PAIR_ANSWER, author: "content" });
    const ungated = await createAnswering(t.engine, { curated: store, answer: { curatedAgreement: 0, curatedOperators: false } });
    const nearMiss = "How do I unpair the remote from the gadget?";
    // Retrieval alone finds the pairing answer and the evidence looks good: the words are nearly the same.
    expect((await ungated.answer({ question: nearMiss })).citations[0]?.documentId).toBe(saved.id);
    expect((await ask(nearMiss)).answerable).toBe(false);
    await deleteCuratedAnswer(deps, "default", saved.id);
  });

  it("drops a curated answer when the question keeps every word and adds one that reverses it", async () => {
    const saved = await createCuratedAnswer(deps, { collection: "default", question: PAIR_QUESTION, answer: PAIR_ANSWER, author: "content" });
    const noOperators = await createAnswering(t.engine, { curated: store, answer: { curatedOperators: false } });
    const addsAWord = "How do I cancel the pairing of the remote with the gadget?";
    // Every word of the curated question is there: agreement alone lets the pairing answer through.
    const before = await noOperators.answer({ question: addsAWord });
    expect(before.answerable).toBe(true);
    expect(before.citations[0]?.documentId).toBe(saved.id);
    for (const q of [addsAWord, "Why does the remote not pair with the gadget?", "How do I stop pairing the remote with the gadget?"]) {
      const a = await ask(q);
      expect(a.citations.map((c) => c.documentId), q).not.toContain(saved.id);
    }
    // Paraphrases are still answered from it.
    for (const q of ["What are the steps to pair my remote to the gadget?", "How can I pair the gadget's remote?"]) {
      expect((await ask(q)).citations[0]?.documentId, q).toBe(saved.id);
    }
    await deleteCuratedAnswer(deps, "default", saved.id);
  });

  it("counts a reversing word only when the curated question and answer do not use it", () => {
    const ops = (asked: string, question = PAIR_QUESTION, answer = PAIR_ANSWER) => unsupportedOperators(asked, question, answer);
    expect(ops("How do I cancel the pairing of the remote?")).toEqual(["cancel"]);
    expect(ops("How do I turn off pairing?")).toEqual(["turn-off"]);
    expect(ops("How do I disconnect the remote?", "How do I connect the remote?", "Press Connect.")).toEqual(["disconnect"]);
    expect(ops("Why doesn't the remote pair?")).toEqual(["doesnt"]);
    // An answer that says "not" somewhere does not ask the negated question; a negated curated question does.
    expect(ops("Why does the remote not pair?", PAIR_QUESTION, `${PAIR_ANSWER} Do not press Power.`)).toEqual(["not"]);
    expect(ops("Why does the remote not pair?", "Why doesn't the remote pair?", "Replace its batteries.")).toEqual([]);
    expect(ops("Why does the remote not pair?", "I am unable to pair the remote", "Replace its batteries.")).toEqual([]);
    // "I don't know …" negates the asking, not what is asked.
    expect(ops("I don't know how to pair the remote. How do I?")).toEqual([]);
    // The answer says how to cancel: the question is the curated answer's.
    expect(ops("How do I cancel pairing?", PAIR_QUESTION, `${PAIR_ANSWER} Press Back to cancel.`)).toEqual([]);
    // Phrasing verbs paraphrases add, and words that merely start like a reversal, are not operators.
    expect(ops("Where do I find the steps to pair the remote and display it?")).toEqual([]);
    const zh = (asked: string) => unsupportedOperators(asked, "怎么配对遥控器？", "按住确定键五秒。");
    expect(zh("怎么取消遥控器配对？")).toEqual(["取消"]);
    expect(zh("无线遥控器怎么配对？")).toEqual([]);
    expect(zh("遥控器不能配对怎么办？")).toEqual(["不"]);
  });

  it("weighs the curated question's words by IDF and takes any analyzer form of a word", () => {
    const weights = new Map([["pair", 3], ["remot", 1], ["wi", 1], ["fi", 0.1], ["wifi", 5]]);
    expect(questionAgreement(new Set(["unpair", "remot"]), questionWords("How do I pair the remote?"), weights)).toBeCloseTo(0.25);
    expect(questionAgreement(new Set(["pair", "remot", "step"]), questionWords("How do I pair the remote?"), weights)).toBe(1);
    expect(questionWords("the Wi-Fi lens")).toEqual([["wi", "fi", "wifi"], ["len"]]);
    expect(questionAgreement(new Set(["wi"]), [["wi", "fi", "wifi"]], weights)).toBe(1);
    expect(questionAgreement(new Set(["x"]), [], weights)).toBe(0);
  });

  it("requires the words the answer confirms; phrasing words only in the question are not required", () => {
    const pin = topicWords("What are the steps to change the PIN?", "Open Settings, choose General and enter a new PIN to change it.");
    expect(pin.flat().sort()).toEqual(["chang", "pin"]);
    // An answer that names none of the question's words: every word of the question is required.
    expect(topicWords("How do I pair the remote?", "Hold OK and Back for five seconds.")).toEqual(questionWords("How do I pair the remote?"));
    expect(topicWords(PAIR_QUESTION, PAIR_ANSWER).flat()).toEqual(expect.arrayContaining(["pair", "remot"]));
  });
});

describe("concurrent edits", () => {
  it("end with the latest version indexed", async () => {
    const first = await createCuratedAnswer(deps, { collection: "default", question: "How long is the gadget's warranty?", answer: "The warranty lasts one year.", author: "a" });
    const edits = ["two", "three", "four", "five"].map((n, i) =>
      reviseCuratedAnswer(deps, first.id, { collection: "default", question: "How long is the gadget's warranty?", answer: `The warranty lasts ${n} years (edit ${i + 2}).`, author: `k${i}` }),
    );
    const saved = await Promise.all(edits);
    expect(saved.map((s) => s?.version).sort()).toEqual([2, 3, 4, 5]);
    const latest = await store.get("default", first.id);
    const indexed = (await t.engine.store.getDocumentChunks("default", first.id)).map((c) => c.text).join(" ");
    expect(indexed).toContain(latest!.answer);
    await deleteCuratedAnswer(deps, "default", first.id);
  });
});
