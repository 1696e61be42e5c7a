import { describe, expect, it } from "vitest";
import type { HistoryTurn } from "../../src/domain/answer.js";
import type { RetrievalResult, RetrieveOptions, ScoredChunk } from "../../src/retrieval/retrieve.js";
import { previousCitedSection, withSection } from "../../src/answer/cited-section.js";

const PASSAGE = "New files are created with the file mask 022 by default. To tighten it, write mask=077 into the profile file.";

function chunk(text: string, sectionPath: string[]): ScoredChunk {
  return {
    id: `c/${text.length}`, documentId: "guide.md", title: "Guide", sectionPath, position: 0, text, contentHash: "h", tokenCount: 20,
    collection: "default", sourceType: "manual", score: 1,
  };
}

/** A retriever that returns the given chunk for any query and records the queries it was asked. */
function retrieverOf(top: ScoredChunk | undefined) {
  const queries: string[] = [];
  const retrieve = (query: string, _options: RetrieveOptions): Promise<RetrievalResult> => {
    queries.push(query);
    return Promise.resolve({ query, terms: [], chunks: top ? [top] : [], topSimilarity: 0, timings: { embedMs: 0, bm25Ms: 0, denseMs: 0, totalMs: 0 } });
  };
  return { retrieve, queries };
}

const conversation = (reply: string): HistoryTurn[] => [
  { role: "user", content: "What is the default file mask?" },
  { role: "assistant", content: reply },
];

describe("previousCitedSection", () => {
  it("names the section of the passage the reply quoted, without its numbering", async () => {
    const { retrieve, queries } = retrieverOf(chunk(PASSAGE, ["4. Accounts", "4.11.18. Setting the file mask"]));
    const title = await previousCitedSection("How do I make that stricter?", conversation(`${PASSAGE.split(". ")[0]}. [1]`), retrieve, {});
    expect(title).toBe("Setting the file mask");
    expect(queries[0]).not.toContain("[1]");
  });

  it("searches only what the reply quoted from its first source", async () => {
    const { retrieve, queries } = retrieverOf(chunk(PASSAGE, ["File mask"]));
    await previousCitedSection("Is that safe?", conversation("The mask is 022 by default. [1]\nLogins wait two seconds. [2]"), retrieve, {});
    expect(queries[0]).toContain("022");
    expect(queries[0]).not.toContain("Logins");
  });

  it("gives nothing for a stand-alone question, a reversal, a refusal or a reply the top chunk does not hold", async () => {
    const { retrieve, queries } = retrieverOf(chunk(PASSAGE, ["File mask"]));
    const reply = conversation(`${PASSAGE} [1]`);
    expect(await previousCitedSection("How do I set the login delay?", reply, retrieve, {})).toBeUndefined();
    expect(await previousCitedSection("How do I undo that?", reply, retrieve, {})).toBeUndefined();
    expect(queries).toHaveLength(0);
    expect(await previousCitedSection("How do I make that stricter?", conversation("I'm not sure: would you like a human agent?"), retrieve, {})).toBeUndefined();
    expect(await previousCitedSection("How do I make that stricter?", [{ role: "user", content: "What is the default file mask?" }], retrieve, {})).toBeUndefined();
  });

  it("reads Chinese anaphors (它, 这个, 其中)", async () => {
    const zh = "每个用户都有自己的任务表，运行 quarry-cron edit 即可编辑。";
    const { retrieve } = retrieverOf(chunk(zh, ["第 9 章 服务", "9.7. 计划任务"]));
    const history: HistoryTurn[] = [{ role: "user", content: "如何编辑任务表？" }, { role: "assistant", content: `${zh}[1]` }];
    expect(await previousCitedSection("那怎么删除其中一行？", history, retrieve, {})).toBe("计划任务");
    expect(await previousCitedSection("它保存在哪里？", history, retrieve, {})).toBe("计划任务");
  });
});

describe("withSection", () => {
  it("adds the title once, before the question mark, unless its terms are already searched", () => {
    expect(withSection("How do I make that stricter (the default mask)?", "Setting the file mask")).toBe("How do I make that stricter (the default mask) [Setting the file mask]?");
    expect(withSection("How do I change the file mask (mask)?", "File mask")).toBe("How do I change the file mask (mask)?");
    expect(withSection("如何编辑任务表，那怎么删除其中一行？", "计划任务")).toBe("如何编辑任务表，那怎么删除其中一行（计划任务）？");
    expect(withSection("How do I make that stricter?", undefined)).toBe("How do I make that stricter?");
  });
});
