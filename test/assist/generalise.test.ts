import { describe, expect, it } from "vitest";
import { generaliseTicketText } from "../../src/assist/generalise.js";
import { findAccountActions } from "../../src/assist/account-actions.js";

// Agent replies written for this test in the shape of real support replies (one customer's case each).
const DOUBLE_CHARGE =
  "I'm sorry about the double charge, Jane. I can see two charges of 4.99 USD on 1 February for the same monthly period. " +
  "Duplicate charges are always refunded in full, and I have issued the refund to the original card now. " +
  "It will show on your statement within 5 to 10 business days.";
const BILLING_AGENT =
  "Hi, this is Marco from Lumio billing. You're on the monthly plan, renewed on 22 March. Under our policy the current " +
  "month is not refunded, but I've cancelled the renewal for you, so you won't be charged again.";
const ORDER = "Hi John, your order #558812 left our warehouse on Monday. I've refunded $12.50 for the late delivery. Questions? Mail [EMAIL].";
const ACCOUNT = "I reset the password on account number ACC-99120 and sent a link to jane.doe@example.com. Your trial was also cancelled so you won't be charged.";
const ZH = "您好王先生，已为您办理退款 49.99 欧元，订单号：A12345。退款会在 5 到 10 个工作日内到账。";

describe("generaliseTicketText for agents: visible placeholders", () => {
  it.each([
    [DOUBLE_CHARGE, ["[customer name]", "[amount]", "[date]", "[action taken: refund issued]"], [/Jane/, /4\.99/, /1 February/, /I have issued/]],
    [BILLING_AGENT, ["[agent name]", "[date]", "[action taken: renewal cancelled]"], [/Marco/, /22 March/, /I've cancelled/]],
    [ORDER, ["[customer name]", "order #[order number]", "on [date]", "[action taken: refund issued]", "[email]"], [/John/, /558812/, /Monday/, /12\.50/, /I've refunded/]],
    [ACCOUNT, ["[action taken: password reset", "[action taken: trial cancelled]"], [/ACC-99120/, /jane\.doe/, /I reset/, /was also cancelled/]],
    [ZH, ["[customer name]", "[action taken: refund issued]", "订单号：[order number]"], [/王先生/, /49\.99/, /A12345/, /已为您办理退款/]],
  ])("%s", (text, shown, gone) => {
    const out = generaliseTicketText(text, "agent").text;
    for (const p of shown) expect(out).toContain(p);
    for (const re of gone) expect(out).not.toMatch(re);
  });

  it("keeps general policy and instructions as they were", () => {
    const out = generaliseTicketText(DOUBLE_CHARGE, "agent").text;
    expect(out).toContain("Duplicate charges are always refunded in full");
    expect(out).toContain("within 5 to 10 business days");
    const steps = "Press the Action button 5 times quickly. Then open the app and choose Reconnect Hub. Returns are accepted within 30 days.";
    expect(generaliseTicketText(steps, "agent")).toEqual({ text: steps, facts: [] });
  });

  it("does not take greetings, products or UI words for names", () => {
    const text = "Hi there, thanks for waiting. Go to Settings > Hub > Advanced. Thanks again!";
    expect(generaliseTicketText(text, "agent").text).toBe(text);
  });
});

describe("generaliseTicketText for customers: only the general resolution", () => {
  it("removes names and drops every sentence with another customer's facts or an action on their account", () => {
    const out = generaliseTicketText(DOUBLE_CHARGE, "customer");
    expect(out.text).toBe("I'm sorry about the double charge. It will show on your statement within 5 to 10 business days.");
    expect(out.facts).toEqual(expect.arrayContaining(["customer-name", "amount", "date", "account-action"]));
  });

  it("never shows a placeholder", () => {
    for (const text of [DOUBLE_CHARGE, BILLING_AGENT, ORDER, ACCOUNT, ZH]) {
      const out = generaliseTicketText(text, "customer").text;
      expect(out).not.toMatch(/\[[a-z ]+(?::[^\]]*)?\]/);
      expect(out).not.toMatch(/Jane|John|Marco|王先生|4\.99|12\.50|558812|ACC-99120|jane\.doe|I've|I have|已为您/);
    }
    expect(generaliseTicketText(ZH, "customer").text).toBe("退款会在 5 到 10 个工作日内到账。");
    expect(generaliseTicketText("Hi John, here is how to do it.", "customer").text).toBe("Hi, here is how to do it.");
  });
});

describe("findAccountActions", () => {
  it.each([
    ["I have issued the refund to your card.", "refund issued"],
    ["I've refunded the difference.", "refund issued"],
    ["I cancelled your order yesterday.", "order cancelled"],
    ["We have already processed it for you and issued the refund.", "processed, refund issued"],
    ["I've created warranty claim RMA-58213 for you.", "warranty claim created"],
    ["Your Lumio Plus trial was also cancelled.", "lumio plus trial cancelled"],
    ["Refunded the duplicate charge.", "refund issued"],
  ])("%s → %s", (text, label) => {
    expect(findAccountActions(text).map((a) => a.label)).toEqual([label]);
  });

  it("leaves instructions and promises about the future alone", () => {
    for (const text of ["You can cancel under Settings > Account.", "I'll send you a label.", "Once we receive it, a refund is issued within 5 days.", "I understand how frustrating this is."]) {
      expect(findAccountActions(text)).toEqual([]);
    }
  });
});
