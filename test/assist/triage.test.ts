import { describe, expect, it } from "vitest";
import { findSimilarTickets, voteIntent, type SimilarTicket } from "../../src/assist/similar-tickets.js";
import { customerLanguage, languageConfidence, triageText, triageThread } from "../../src/assist/triage.js";
import { fakeTicketSearch, type FakeTicket } from "./fakes.js";

/** Three "topics" as axes: connectivity, billing, pairing. */
const TICKETS: FakeTicket[] = [
  { id: "C1", category: "connectivity", subject: "Hub offline after router change", text: "Customer: offline\nAgent: press reset", vector: [1, 0.1, 0] },
  { id: "C2", category: "connectivity", subject: "E-102 network not found", text: "Customer: e-102\nAgent: use 2.4 GHz", vector: [0.9, 0, 0.2] },
  { id: "B1", category: "billing", subject: "Charged twice", text: "Customer: charged twice\nAgent: refunded", vector: [0.1, 1, 0] },
  { id: "P1", category: "pairing", subject: "Sensor will not pair", text: "Customer: pairing\nAgent: start pairing first", vector: [0.3, 0, 1] },
  { id: "X1", subject: "Unlabelled", text: "Customer: hello", vector: [0.8, 0.2, 0.1] },
];

const axes = (q: string): number[] => [/offline|wi-?fi|router|网络/i.test(q) ? 1 : 0, /charg|refund|扣费/i.test(q) ? 1 : 0, /pair|配对/i.test(q) ? 1 : 0];

describe("similar tickets and k-NN intent", () => {
  it("lists tickets in retrieval order with category, resolution and cosine similarity, one per ticket", async () => {
    const deps = fakeTicketSearch(TICKETS, axes);
    const found = await findSimilarTickets(deps, "my hub is offline since the new router", { limit: 3 });
    expect(found.map((t) => t.documentId)).toEqual(["C1", "C2", "X1"]);
    expect(found[0]).toMatchObject({ subject: "Hub offline after router change", category: "connectivity", resolution: "resolution of C1" });
    expect(found[0]!.similarity).toBeCloseTo(1 / Math.hypot(1, 0.1), 3);
    expect(deps.calls[0]?.filter?.sourceTypes).toEqual(["ticket"]);
  });

  it("excludes given ids and falls back to all products when none match", async () => {
    const deps = fakeTicketSearch(TICKETS, axes);
    const found = await findSimilarTickets(deps, "offline", { limit: 2, excludeIds: new Set(["C1"]), products: ["Other product"] });
    expect(found.map((t) => t.documentId)).toEqual(["C2", "X1"]);
    expect(deps.calls).toHaveLength(2);
    expect(deps.calls[0]?.filter?.products).toEqual(["Other product"]);
  });

  it("votes by similarity; confidence is the winning share; unlabelled tickets do not vote", () => {
    const t = (documentId: string, category: string | undefined, similarity: number): SimilarTicket => ({
      documentId, collection: "default", subject: documentId, similarity, text: "", ...(category ? { category } : {}),
    });
    const vote = voteIntent([t("a", "billing", 0.9), t("x", undefined, 0.9), t("b", "connectivity", 0.3), t("c", "connectivity", 0.2)]);
    expect(vote.category).toBe("billing");
    // billing 0.9; connectivity 0.3/1.25 + 0.2/1.5 = 0.373 → 0.9 / 1.273
    expect(vote.confidence).toBeCloseTo(0.707, 2);
    expect(voteIntent([])).toEqual({ category: null, confidence: 0, votes: [] });
  });

  it("triages an English billing thread end to end", async () => {
    const deps = { ...fakeTicketSearch(TICKETS, axes), minConfidence: 0.35 };
    const triage = await triageThread(deps, [
      { role: "customer", text: "I was charged twice for Lumio Plus this month." },
      { role: "agent", text: "Let me check that for you." },
      { role: "customer", text: "This is unacceptable. I want my refund today or I'll do a chargeback!" },
    ]);
    expect(triage.language).toBe("en");
    expect(triage.intent.category).toBe("billing");
    expect(triage.intent.confidence).toBeGreaterThan(0.5);
    expect(triage.sentiment.label).toBe("negative");
    expect(triage.sentiment.cues).toEqual(["anger", "urgency"]);
    expect(triage.escalate.recommended).toBe(true);
    expect(triage.escalate.reasons).toEqual(["sensitive-topic", "negative-sentiment"]);
  });

  it("triages a calm Chinese pairing question", async () => {
    const deps = { ...fakeTicketSearch(TICKETS, axes), minConfidence: 0.35 };
    const triage = await triageThread(deps, [{ role: "customer", text: "传感器怎么和集线器配对？" }]);
    expect(triage.language).toBe("zh");
    expect(triage.languageConfidence).toBe(1);
    expect(triage.intent.category).toBe("pairing");
    expect(triage.sentiment.label).toBe("neutral");
    expect(triage.escalate).toEqual({ recommended: false, reasons: [], details: [] });
  });

  it("ignores the agent's words for sentiment and escalation", () => {
    const t = triageText(
      [
        { role: "customer", text: "How do I reset the hub?" },
        { role: "agent", text: "Sorry for the terrible trouble! If it's still not fixed, talk to a human or a manager." },
      ],
      { minConfidence: 0.35 },
    );
    expect(t.sentiment.label).toBe("neutral");
    expect(t.escalate.recommended).toBe(false);
  });
});

describe("language", () => {
  it("corrects short English questions the shared detector calls Portuguese", () => {
    expect(customerLanguage("where do I buy replacement remote?")).toBe("en");
    expect(customerLanguage("¿Cómo puedo restablecer el mando?")).toBe("es");
    expect(customerLanguage("如何配对遥控器？")).toBe("zh");
  });

  it("is surer with more text and with a single script", () => {
    expect(languageConfidence("Reset?", "en")).toBeLessThan(languageConfidence("How do I reset the hub when the light keeps blinking amber?", "en"));
    expect(languageConfidence("如何恢复出厂设置", "zh")).toBe(1);
    expect(languageConfidence("", "en")).toBe(0);
  });
});
