import { describe, expect, it } from "vitest";
import { LEAD_SENTENCES, leadSentences } from "../../src/eval/lead.js";

describe("lead baseline", () => {
  it("takes the first 4 sentences, whitespace collapsed", () => {
    expect(LEAD_SENTENCES).toBe(4);
    expect(leadSentences("One here.  Two\nthere! Three? \"Four.\" Five. Six")).toBe("One here. Two there! Three? \"Four.\"");
  });

  it("keeps a short text whole and splits CJK sentences", () => {
    expect(leadSentences("Only one sentence without a stop")).toBe("Only one sentence without a stop");
    expect(leadSentences("第一。第二！第三？第四。第五。")).toBe("第一。 第二！ 第三？ 第四。");
    expect(leadSentences("")).toBe("");
  });
});
