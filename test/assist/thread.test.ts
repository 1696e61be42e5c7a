import { describe, expect, it } from "vitest";
import { issueText, parseThreadText, questionOf, threadInputSchema, topicText } from "../../src/assist/thread.js";
import { InvalidInputError } from "../../src/errors.js";

describe("plain-text threads", () => {
  it("splits on Customer:/Agent: prefixes, joins continuation lines, and accepts other spellings", () => {
    const text = "My hub is offline.\nIt blinks amber.\nAgent: Did you change the router?\n\nCustomer: Yes, yesterday.\n客服：请按五次按钮。\n客户：好的";
    expect(parseThreadText(text)).toEqual([
      { role: "customer", text: "My hub is offline.\nIt blinks amber." },
      { role: "agent", text: "Did you change the router?" },
      { role: "customer", text: "Yes, yesterday." },
      { role: "agent", text: "请按五次按钮。" },
      { role: "customer", text: "好的" },
    ]);
  });

  it("rejects a thread without customer text", () => {
    expect(() => parseThreadText("Agent: hello")).toThrow(InvalidInputError);
  });

  it("validates JSON threads", () => {
    expect(threadInputSchema.safeParse({ messages: [{ role: "agent", text: "hi" }] }).success).toBe(false);
    expect(threadInputSchema.safeParse({ messages: [{ role: "customer", text: "hi" }], product: "Hub" }).success).toBe(true);
    expect(threadInputSchema.safeParse({ messages: [{ role: "user", text: "hi" }] }).success).toBe(false);
  });
});

describe("what is searched", () => {
  it("drops sentences and clauses that only voice emotion or ask for escalation", () => {
    expect(topicText("Yes, twice!! This is the third time I write. The LED blinks amber. I want a manager.")).toBe("Yes, The LED blinks amber.");
    expect(topicText("我的集线器一直闪红灯，已经联系你们第三次了，还是没解决！")).toBe("我的集线器一直闪红灯，");
  });

  it("keeps the problem of a message that also demands a refund and a human", () => {
    expect(topicText("My hub gets really hot and smells like burning plastic. I want a refund or a human NOW.")).toBe(
      "My hub gets really hot and smells like burning plastic.",
    );
    expect(topicText("The sensor won't pair, E-201 every time. Just refund me, I want to speak to an agent.")).toBe("The sensor won't pair, E-201 every time.");
    expect(topicText("集线器过热，提示 E-501。太差了，我要转人工！")).toBe("集线器过热，提示 E-501。");
  });

  it("cuts a meta phrase out of a clause that also names the problem", () => {
    expect(topicText("I returned my hub two weeks ago but the refund still hasn't arrived.")).toBe("I returned my hub two weeks ago but the refund arrived.");
    // A sensitive topic is the topic, not meta: it stays.
    expect(topicText("How do I cancel my subscription?")).toBe("How do I cancel my subscription?");
  });

  it("asks a substantive last message with the earlier turns as history", () => {
    const q = questionOf([
      { role: "customer", text: "How do I reset the hub?" },
      { role: "agent", text: "Hold the button for 12 seconds." },
      { role: "customer", text: "And how do I reset the remote control?" },
    ]);
    expect(q.question).toBe("And how do I reset the remote control?");
    expect(q.history).toEqual([
      { role: "user", content: "How do I reset the hub?" },
      { role: "assistant", content: "Hold the button for 12 seconds." },
    ]);
  });

  it("replaces a content-poor angry last message by the topic of the customer's messages", () => {
    const q = questionOf([
      { role: "customer", text: "My hub blinks amber three times since the router was replaced." },
      { role: "agent", text: "Please restart it." },
      { role: "customer", text: "Third time I'm writing!! Still not fixed. I want a manager." },
    ]);
    expect(q).toEqual({ question: "My hub blinks amber three times since the router was replaced.", history: [] });
  });

  it("issue text is the customers' topics, most recent last", () => {
    const text = issueText([
      { role: "customer", text: "Hub offline." },
      { role: "agent", text: "Restart it." },
      { role: "customer", text: "Still not fixed!! The LED is amber." },
    ]);
    expect(text).toBe("Hub offline.\nThe LED is amber.");
  });
});
