import { describe, expect, it } from "vitest";
import { analyzeSentiment, chineseValence, threadSentiment } from "../../src/assist/sentiment.js";

describe("English sentiment", () => {
  it("keeps plain how-to questions and problem descriptions neutral", () => {
    for (const text of ["How do I pair the remote with the hub?", "My hub doesn't connect to Wi-Fi after I changed the router.", "I need help with the app, please."]) {
      const r = analyzeSentiment(text);
      expect(r.label, text).toBe("neutral");
      expect(r.cues, text).toEqual([]);
    }
  });

  it("reads anger and urgency", () => {
    const r = analyzeSentiment("I was charged TWICE this month. This is unacceptable, I want my money back today!");
    expect(r.label).toBe("negative");
    expect(r.score).toBeLessThan(-0.5);
    expect(r.cues).toEqual(["anger", "urgency"]);
    expect(r.evidence).toContain("unacceptable");
  });

  it("reads frustration from repeated punctuation and phrases", () => {
    const r = analyzeSentiment("Still not working!! I'm fed up with this.");
    expect(r.cues).toContain("frustration");
    expect(r.label).toBe("negative");
  });

  it("reads thanks and success as positive", () => {
    const r = analyzeSentiment("That worked, thank you so much! Great support.");
    expect(r.label).toBe("positive");
    expect(r.confidence).toBeGreaterThan(0.6);
  });

  it("handles negation through the AFINN library", () => {
    expect(analyzeSentiment("The new app is not bad at all.").score).toBeGreaterThan(0);
    expect(analyzeSentiment("It's still not fixed.").score).toBeLessThan(0);
  });

  it("weighs questions about qualities less than statements", () => {
    expect(analyzeSentiment("Is it good for gaming?").label).toBe("neutral");
    expect(analyzeSentiment("It is really good for gaming.").label).toBe("positive");
  });

  it("does not read the Fire TV brand as negative", () => {
    expect(analyzeSentiment("Does it work with Fire TV?").label).toBe("neutral");
  });
});

describe("Chinese sentiment (hand-written lexicon)", () => {
  it("neutral question", () => {
    expect(analyzeSentiment("如何恢复出厂设置？").label).toBe("neutral");
  });

  it("angry complaint with cues", () => {
    const r = analyzeSentiment("太差了！已经第三次了，还是没解决，我要投诉！");
    expect(r.label).toBe("negative");
    expect(r.cues).toEqual(["anger", "frustration"]);
  });

  it("thanks and satisfaction", () => {
    expect(analyzeSentiment("谢谢，问题解决了，非常满意。").label).toBe("positive");
  });

  it("matches the longest word first and flips negated words", () => {
    expect(chineseValence("不错").sum).toBeGreaterThan(0);
    expect(chineseValence("不满意").sum).toBeLessThan(0);
    expect(chineseValence("不满意").words).toEqual(["不满意"]);
    expect(chineseValence("不方便").sum).toBeLessThan(0);
    expect(chineseValence("非常满意").sum).toBeGreaterThan(chineseValence("满意").sum);
  });

  it("urgency", () => {
    expect(analyzeSentiment("设备不能用了，很着急，请尽快处理。").cues).toContain("urgency");
  });
});

describe("thread sentiment", () => {
  it("weights recent messages more but a strongly negative message is not averaged away", () => {
    const angryThenThanks = threadSentiment(["This is outrageous, the worst service ever. I am furious!", "ok thanks"]);
    expect(angryThenThanks.label).toBe("negative");
    expect(angryThenThanks.cues).toContain("anger");
    const calmThenHappy = threadSentiment(["How do I reset the hub?", "That worked, thanks a lot! Great."]);
    expect(calmThenHappy.label).toBe("positive");
  });

  it("is neutral for no messages", () => {
    expect(threadSentiment([]).label).toBe("neutral");
  });
});
