import { describe, expect, it } from "vitest";
import { decideEscalation } from "../../src/assist/escalation.js";
import { threadSentiment } from "../../src/assist/sentiment.js";

function decide(messages: string[], extra: { answerConfidence?: number; noEvidence?: boolean } = {}) {
  return decideEscalation({ customerMessages: messages, sentiment: threadSentiment(messages), minConfidence: 0.35, ...extra });
}

describe("escalation rules", () => {
  it("recommends nothing for a calm how-to question", () => {
    expect(decide(["How do I pair a Zigbee sensor with the hub?"])).toEqual({ recommended: false, reasons: [], details: [] });
  });

  it.each([
    ["Can I talk to a human please?", "talk to a human"],
    ["I want to speak with your manager.", "speak with your manager"],
    ["Get me a real person.", "Get me a real person"],
    ["I want a manager now", "want a manager"],
    ["请帮我转人工", "转人工"],
    ["我要找人工客服", "找人工"],
  ])("human requested: %s", (text, evidence) => {
    const d = decide([text]);
    expect(d.recommended).toBe(true);
    expect(d.details).toContainEqual({ reason: "human-requested", evidence });
  });

  it.each([
    "I will call my lawyer about this.",
    "I'm going to sue you.",
    "I'll file a chargeback with my bank.",
    "Please cancel my subscription.",
    "The hub caught fire last night.",
    "There is smoke coming out of the adapter.",
    "The plug is burning hot and smells.",
    "I got an electric shock from the power supply.",
    "集线器冒烟了",
    "插头起火了",
    "我要投诉你们",
  ])("sensitive topic: %s", (text) => {
    expect(decide([text]).reasons).toContain("sensitive-topic");
  });

  it.each([
    "Does it work with Fire TV?",
    "Can I control it with my Kindle Fire?",
    "Will it fit on my fire place mantle?",
    "My smoke detector does not pair with the hub.",
    "I was shocked how easy setup was.",
    "How do I delete my account?",
  ])("no sensitive topic in look-alikes: %s", (text) => {
    expect(decide([text]).reasons).not.toContain("sensitive-topic");
  });

  it.each([
    ["This is the third time I'm writing about this.", "third time"],
    ["I already contacted you last week.", "already contacted"],
    ["It's still not fixed.", "still not"],
    ["我又来问了，还是没好", "又来"],
    ["这是第三次联系你们了", "第三次"],
  ])("repeated contact: %s", (text, evidence) => {
    expect(decide([text]).details).toContainEqual({ reason: "repeated-contact", evidence });
  });

  it("a bare 'again' counts as repeated contact only in a later customer message", () => {
    expect(decide(["I tried again and it worked."]).reasons).not.toContain("repeated-contact");
    expect(decide(["The hub is offline.", "It is offline again."]).reasons).toContain("repeated-contact");
  });

  it("strong negative emotion", () => {
    const d = decide(["This is outrageous and unacceptable, worst service ever!"]);
    expect(d.reasons).toEqual(["negative-sentiment"]);
    expect(d.details[0]?.evidence).toMatch(/anger/);
    expect(decide(["The hub does not connect, this is a bit annoying."]).reasons).not.toContain("negative-sentiment");
  });

  it("low answer confidence and no evidence", () => {
    expect(decide(["How much is the HomeHub 4?"], { answerConfidence: 0.2 }).reasons).toEqual(["low-confidence"]);
    expect(decide(["How much is the HomeHub 4?"], { answerConfidence: 0.9 }).recommended).toBe(false);
    expect(decide(["How much is the HomeHub 4?"], { noEvidence: true, answerConfidence: 0.2 }).reasons).toEqual(["no-evidence"]);
  });

  it("collects several reasons, each once", () => {
    const d = decide(["The hub is blinking amber.", "Third time I write!! Still not fixed, this is unacceptable. I want a manager, or I'll do a chargeback."]);
    expect(d.reasons).toEqual(["human-requested", "sensitive-topic", "repeated-contact", "negative-sentiment"]);
  });
});
