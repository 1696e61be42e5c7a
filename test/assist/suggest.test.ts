import { describe, expect, it } from "vitest";
import type { Answer } from "../../src/domain/answer.js";
import type { AnswerRequest } from "../../src/answer/answer.js";
import { ExtractiveComposer } from "../../src/answer/extractive.js";
import { holdingReply } from "../../src/answer/refusal.js";
import { suggestReplies, type SuggestDeps } from "../../src/assist/suggest.js";
import { agentText } from "../../src/assist/ticket-reply.js";
import { openerFor, withOpener } from "../../src/assist/tone.js";
import { fakeTicketSearch, type FakeTicket } from "./fakes.js";

const RESET_TICKET: FakeTicket = {
  id: "T-1",
  category: "connectivity",
  subject: "Hub blinking amber after router change",
  text: [
    "Subject: Hub blinking amber after router change",
    "Customer: My hub blinks amber, my email is someone@example.com and I am furious.",
    "Agent: Three amber blinks mean the hub lost its Wi-Fi connection. Press the Action button on the hub 5 times to do a network reset.",
    "Customer: That worked.",
    "Resolution: Customer did a network reset.",
  ].join("\n"),
  vector: [1, 0, 0],
  language: "en",
};
const BILLING_TICKET: FakeTicket = { id: "T-2", category: "billing", subject: "Charged twice", text: "Customer: charged twice\nAgent: The duplicate charge was refunded.", vector: [0, 1, 0], language: "en" };

function answer(overrides: Partial<Answer>): Answer {
  return {
    id: "a1", question: "q", standaloneQuestion: "q", answer: "", citations: [], confidence: 0.1, answerable: false, escalate: true,
    escalationReasons: ["low-confidence"], degraded: false, language: "en", timings: { retrievalMs: 0, composeMs: 0, totalMs: 0 }, ...overrides,
  };
}

function deps(answerFor: (r: AnswerRequest) => Answer, vector: (q: string) => number[] = (q) => (/amber|wi-?fi|router/i.test(q) ? [1, 0, 0] : [0, 0, 1])) {
  const requests: AnswerRequest[] = [];
  const d: SuggestDeps = {
    ...fakeTicketSearch([RESET_TICKET, BILLING_TICKET], vector),
    minConfidence: 0.35,
    answer: async (r) => {
      requests.push(r);
      return answerFor(r);
    },
    ticketComposer: new ExtractiveComposer(),
    minTicketSimilarity: 0.2,
    replyTicketSimilarity: 0.3,
    newId: () => "s-1",
  };
  return { d, requests };
}

describe("suggested replies", () => {
  it("drafts a cited reply from agents' words in a similar ticket, never the other customer's, with an apologetic opener", async () => {
    const { d, requests } = deps((r) => answer({ standaloneQuestion: r.question }));
    const result = await suggestReplies(d, {
      messages: [
        { role: "customer", text: "The hub blinks amber three times since I changed the router." },
        { role: "agent", text: "Did you restart it?" },
        { role: "customer", text: "Yes!! Third time I write, this is unacceptable. I want to talk to a manager." },
      ],
      product: "HomeHub 3",
    });
    expect(requests[0]?.question).toBe("The hub blinks amber three times since I changed the router.");
    expect(requests[0]?.filters).toEqual({ sourceTypes: ["manual", "curated"], languages: ["en"] });
    expect(result.id).toBe("s-1");
    expect(result.suggestions).toHaveLength(1);
    const s = result.suggestions[0]!;
    expect(s.basis).toBe("similar-tickets");
    expect(s.tone).toBe("apologetic");
    expect(s.text.startsWith(openerFor("apologetic", "en", { repeated: true }))).toBe(true);
    expect(s.text).toMatch(/network reset\. \[1\]/);
    expect(s.text).not.toMatch(/furious|example\.com|Customer did/);
    expect(s.citations.map((c) => c.documentId)).toEqual(["T-1"]);
    expect(result.similarTickets[0]).toMatchObject({ documentId: "T-1", category: "connectivity", resolution: "resolution of T-1" });
    expect(result.triage.escalate.reasons).toEqual(["human-requested", "repeated-contact", "negative-sentiment"]);
    expect(result.triage.intent.category).toBe("connectivity");
  });

  it("offers the manual answer first and the ticket reply second, neutral tone for a calm question", async () => {
    const manual = answer({
      answerable: true, confidence: 0.9, escalate: false, escalationReasons: [], standaloneQuestion: "How do I fix the amber Wi-Fi blinking?",
      answer: "Open Settings > Hub > Network > Set Up Network Again and choose your new network [1].",
      citations: [{ n: 1, documentId: "manual.md", title: "Manual", sectionPath: ["LED"], snippet: "…", score: 1 }],
    });
    const { d } = deps(() => manual);
    const result = await suggestReplies(d, { messages: [{ role: "customer", text: "How do I fix the amber Wi-Fi blinking?" }] });
    expect(result.suggestions.map((s) => [s.basis, s.tone])).toEqual([["manual", "neutral"], ["similar-tickets", "neutral"]]);
    expect(result.suggestions[0]?.text).toBe(manual.answer);
    expect(result.suggestions[1]?.citations.map((c) => c.documentId)).toEqual(["T-1"]);
    expect(result.triage.escalate.recommended).toBe(false);
    expect(result.confidence).toBe(0.9);
  });

  it("drops a ticket reply that says what the manual answer already says", async () => {
    const manual = answer({
      answerable: true, confidence: 0.9, escalate: false, escalationReasons: [], standaloneQuestion: "How do I fix the amber Wi-Fi blinking?",
      answer: "Three amber blinks mean the hub lost its Wi-Fi connection [1].",
      citations: [{ n: 1, documentId: "manual.md", title: "Manual", sectionPath: ["LED"], snippet: "…", score: 1 }],
    });
    const { d } = deps(() => manual);
    const result = await suggestReplies(d, { messages: [{ role: "customer", text: "How do I fix the amber Wi-Fi blinking?" }] });
    expect(result.suggestions.map((s) => s.basis)).toEqual(["manual"]);
  });

  it("without evidence suggests only a holding reply, without citations, and recommends escalation", async () => {
    const { d } = deps(() => answer({}));
    const result = await suggestReplies(d, { messages: [{ role: "customer", text: "How much will the HomeHub 4 cost?" }] });
    expect(result.suggestions).toEqual([{ text: holdingReply("en"), citations: [], tone: "neutral", basis: "holding" }]);
    expect(result.similarTickets).toEqual([]);
    expect(result.triage.escalate).toMatchObject({ recommended: true, reasons: ["no-evidence"] });
  });

  it("answers in the customer's language: Chinese is searched in Chinese documents, the holding reply is Chinese", async () => {
    const { d, requests } = deps(() => answer({ language: "zh" }));
    const result = await suggestReplies(d, { messages: [{ role: "customer", text: "太差了！集线器一直闪黄灯，我要投诉！" }] });
    expect(requests[0]?.filters?.languages).toEqual(["zh"]);
    expect(result.suggestions).toHaveLength(1);
    expect(result.suggestions[0]?.text).toBe(withOpener(openerFor("apologetic", "zh"), holdingReply("zh")));
    expect(result.suggestions[0]?.text.startsWith("非常抱歉给您带来不便。")).toBe(true);
  });
});

describe("agent text of a ticket", () => {
  it("keeps agent lines (with their continuation lines) only", () => {
    expect(agentText("Subject: s\nCustomer: c1\nAgent: a1\nmore a1\nCustomer: c2\nAgent: a2\nResolution: r")).toBe("a1\nmore a1\na2");
  });
});
