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

describe("issue #13: an explicit ask for a person in any phrasing; strong negative wording", () => {
  it.each([
    ["I want a refund or a human NOW", "a human NOW"],
    ["Is there a real person I can talk to?", "real person"],
    ["Can I just talk to someone who knows this stuff?", "talk to someone"],
    ["Let me speak to an agent.", "speak to an agent"],
    ["Human please.", "Human please"],
    ["Refund or human, your choice.", "Refund or human"],
    ["我要人工", "要人工"],
    ["别让机器人回复了，转人工", "转人工"],
    ["能不能找个真人跟我说", "真人"],
  ])("%s → human-requested, shown as '%s'", (text, evidence) => {
    const d = decide([text]);
    expect(d.recommended).toBe(true);
    expect(d.details.find((x) => x.reason === "human-requested")?.evidence).toBe(evidence);
  });

  it.each(["It was a human error on my side, sorry.", "这个是人工智能回复的吗？", "The agent app shows the hub online now.", "I spoke to my neighbour and it worked."])(
    "not a request for a person: %s",
    (text) => {
      expect(decide([text]).reasons).not.toContain("human-requested");
    },
  );

  it.each([
    "I want a refund or a human NOW",
    "This is RIDICULOUS, the hub is offline AGAIN",
    "This is ridiculous, three days without a working hub.",
    "Worst purchase I have made this year.",
    "Completely unacceptable that nobody answers.",
    "The hub stopped working!!!",
    "服务太差了",
    "什么垃圾产品",
    "气死我了，又断线",
  ])("negative: %s", (text) => {
    const s = threadSentiment([text]);
    expect(s.label).toBe("negative");
  });

  it.each(["Thanks so much, it works again!!!", "How do I connect the HDMI cable to the TV?", "The LED blinks amber three times."])("not negative: %s", (text) => {
    expect(threadSentiment([text]).label).not.toBe("negative");
  });

  it("strong wording and a request for a person escalate with both reasons", () => {
    const d = decide(["The hub is offline AGAIN. Worst support ever, I want a human NOW!!!"]);
    expect(d.reasons).toEqual(expect.arrayContaining(["human-requested", "negative-sentiment"]));
  });
});
