import { describe, expect, it } from "vitest";
import { LocalHashEmbedder } from "../../src/adapters/local-embedder.js";

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe("local hash embedder", () => {
  const e = new LocalHashEmbedder({ dimensions: 256 });
  it("is deterministic, unit length and of the configured size", async () => {
    const [a] = await e.embedDocuments(["Reset the Wi-Fi settings"]);
    const b = await e.embedQuery("Reset the Wi-Fi settings");
    expect(a!.length).toBe(256);
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    expect(Array.from(a!)).toEqual(Array.from(b));
  });

  it("places related texts closer than unrelated ones, including inflections", async () => {
    const q = await e.embedQuery("pairing the remote control");
    const near = await e.embedQuery("How to pair your remote");
    const far = await e.embedQuery("Billing and subscription refunds");
    expect(cosine(q, near)).toBeGreaterThan(cosine(q, far) + 0.2);
  });

  it("returns a zero vector for text without terms instead of NaN", async () => {
    const v = await e.embedQuery("the of and");
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
  });

  it("weights query terms on request, so a rare term outweighs a common one", async () => {
    const q = "hdmi cable television";
    const doc = (await e.embedDocuments(["Connect the HDMI port"]))[0]!;
    const plain = cosine(await e.embedQuery(q), doc);
    const weighted = cosine(e.embedQueryWeighted(q, (t) => (t === "hdmi" ? 5 : 0.2)), doc);
    expect(weighted).toBeGreaterThan(plain + 0.2);
    expect(Array.from(e.embedQueryWeighted(q, () => 1))).toEqual(Array.from(await e.embedQuery(q)));
  });
});
