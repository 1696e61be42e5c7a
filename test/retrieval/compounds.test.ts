import { describe, expect, it } from "vitest";
import { analyze, queryTermSequence } from "../../src/text/analyzer.js";
import { compoundRewriter } from "../../src/retrieval/compounds.js";
import { lexicalFeatures } from "../../src/retrieval/lexical-features.js";
import { chunkTerms } from "../../src/text/chunk-terms.js";

const lists = (text: string) => ({ titleTokens: [], bodyTokens: analyze(text) });

function rewritten(question: string, text: string): string[] {
  const r = compoundRewriter(queryTermSequence(question));
  return (r ? r.rewrite(lists(text)) : lists(text)).bodyTokens;
}

describe("compounds written together or apart", () => {
  it("reads two adjacent words as the question's one-word compound", () => {
    expect(rewritten("which filesystem is the default?", "The default file system is ext4.")).toEqual(["default", "filesystem", "ext4"]);
    // Stems compared as joined or as the stem of the joined word: "user names" for "usernames".
    expect(rewritten("where are usernames kept", "User names are kept here.")).toEqual([analyze("usernames")[0], "kept", "here"]);
  });

  it("reads one word as the question's two adjacent words", () => {
    expect(rewritten("how do I set up the hub", "Hub setup takes a minute.")).toEqual(["hub", "set", "up", "take", "minut"]);
    expect(rewritten("edit the file system table", "The filesystem table.")).toEqual(["file", "system", "tabl"]);
  });

  it("leaves words alone that the question has itself, hyphenated compounds and non-Latin text", () => {
    // The question asks for "file" and "system" too: no compound is formed from them.
    expect(rewritten("filesystem or file system?", "A file system.")).toEqual(["file", "system"]);
    // "Set-Up" already gives "set up setup": the joined form is not counted twice.
    expect(rewritten("uefi setup menu", "The Set-Up menu")).toEqual(["set", "up", "setup", "menu"]);
    expect(compoundRewriter(queryTermSequence("重置设备"))).toBeUndefined();
    const same = lists("nothing to see");
    expect(compoundRewriter(queryTermSequence("filesystem"))!.rewrite(same)).toBe(same);
  });

  it("lets a chunk that writes the compound apart rank with one that writes it together", () => {
    const terms = queryTermSequence("which filesystem does guided partitioning use by default");
    const idf = new Map(terms.map((t) => [t, 2]));
    const chunk = (text: string) => ({ position: 1, sectionPath: [], ...chunkTerms({ title: "Manual", sectionPath: [], text }) });
    const [apart, together] = lexicalFeatures(terms, [chunk("The default file system with guided partitioning is ext4."), chunk("The default filesystem with guided partitioning is ext4.")], idf, (c) => c);
    expect(apart!.coverage).toBeCloseTo(together!.coverage);
    expect(apart!.passage).toBeCloseTo(together!.passage);
  });
});
