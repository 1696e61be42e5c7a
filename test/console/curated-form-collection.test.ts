// Where "Write answer" saves by default (startCollection): a collection the question was asked in, never one the key
// may not use; else the limited key's own collection; else the server's default.
import { describe, expect, it } from "vitest";
import { startCollection } from "../../console/src/curated-collection.js";

const open = { collections: null, defaultCollection: "default" };
const manualsFaq = { collections: ["manuals", "faq"], defaultCollection: "manuals" };

describe("startCollection", () => {
  it("prefers a collection the question was asked in", () => {
    expect(startCollection(["manuals"], open)).toBe("manuals");
    expect(startCollection(["faq"], manualsFaq)).toBe("faq");
  });
  it("never picks a collection the key is not limited to", () => {
    expect(startCollection(["secret"], manualsFaq)).toBe("manuals");
    expect(startCollection(["secret", "faq"], manualsFaq)).toBe("faq");
  });
  it("falls back to the key's only collection, else the server's default", () => {
    expect(startCollection(undefined, { collections: ["manuals"], defaultCollection: "default" })).toBe("manuals");
    expect(startCollection(undefined, open)).toBe("default");
  });
});
