import { describe, expect, it } from "vitest";
import { ibanValid, luhnValid } from "../../src/assist/pii-detectors.js";
import { createRedactor, parseRedactPatterns, redactText } from "../../src/assist/redact.js";
import { ConfigError } from "../../src/errors.js";

const redactor = createRedactor();

describe("redaction of each kind", () => {
  it.each([
    ["jane.doe@example.com", "[EMAIL]"],
    ["first.last+tag@mail.example.co.uk", "[EMAIL]"],
    ["+1 555 0100 2233", "[PHONE]"],
    ["(555) 010-0223", "[PHONE]"],
    ["+44 20 7946 0958", "[PHONE]"],
    ["138 0013 8000", "[PHONE]"],
    ["+86 138-0013-8000", "[PHONE]"],
    ["13800138000", "[PHONE]"],
    ["555-010-0223", "[PHONE]"],
    ["01 23 45 67 89", "[PHONE]"],
    ["4111 1111 1111 1111", "[CARD]"],
    ["4111-1111-1111-1111", "[CARD]"],
    ["5500000000000004", "[CARD]"],
    ["3782 822463 10005", "[CARD]"],
    ["GB82 WEST 1234 5698 7654 32", "[IBAN]"],
    ["DE89370400440532013000", "[IBAN]"],
    ["192.168.1.20", "[IP]"],
    ["2001:db8::8a2e:370:7334", "[IP]"],
    ["fe80::1", "[IP]"],
    ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "[IP]"],
  ])("%s → %s", (value, placeholder) => {
    const r = redactor.redact(`Details: ${value}, thanks.`);
    expect(r.text).toBe(`Details: ${placeholder}, thanks.`);
    expect(r.total).toBe(1);
    expect(r.counts[placeholder.slice(1, -1)]).toBe(1);
  });

  it("redacts inside Chinese text without spaces around the value", () => {
    expect(redactText("我的手机号是13800138000，邮箱wang@example.cn，电话010-6552 9988。")).toBe("我的手机号是[PHONE]，邮箱[EMAIL]，电话[PHONE]。");
  });

  it("counts several values of several kinds", () => {
    const r = redactor.redact("Account jane.doe@example.com, card 4111 1111 1111 1111, call +1 555 0100 2233 or (555) 010-0223.");
    expect(r.counts).toEqual({ EMAIL: 1, CARD: 1, PHONE: 2 });
    expect(r.total).toBe(4);
    expect(r.text).not.toMatch(/\d{4}/);
  });
});

describe("false positives are left alone", () => {
  it.each([
    "Firmware 3.4.1 fixes it; update from v3.4.0 or version 1.2.3.4.",
    "Bought on 2026-03-14, again on 14/03/2026 at 10:30:00 (2026-03-14T10:30:00Z).",
    "Error E-101 and E-204 on model LH3-100, serial LH3-100-2026.",
    "It costs 4.99 USD, 49.99 a year, 1 234 567 euros, a range of 2800-22800.",
    "Use channels 36 40 44 48 or 149-165; hold 12 seconds; 30 devices; 5 GHz.",
    "Ticket 123456789, timestamp 1767225600, id 20260314103000.",
    "Scores 30 40 50 60 70 in a row; at 10:30:00; std::vector.",
    "固件 3.4.1 及以上版本支持；容器 1.3.0.0 及以上版本；收费标准从2800-22800不等。",
  ])("%s", (text) => {
    expect(redactor.redact(text)).toEqual({ text, counts: {}, total: 0 });
  });

  it("does not redact a card number that fails the Luhn check", () => {
    expect(redactText("card 4111 1111 1111 1112 and 4111111111111112")).toBe("card 4111 1111 1111 1112 and 4111111111111112");
  });

  it("does not redact an IBAN with a wrong check digit", () => {
    expect(redactText("IBAN GB82 WEST 1234 5698 7654 33")).toBe("IBAN GB82 WEST 1234 5698 7654 33");
  });

  it("does not redact Luhn-valid numbers without a card issuer prefix", () => {
    expect(luhnValid("201800000000000")).toBe(true);
    expect(redactText("appid 201800000000000")).toBe("appid 201800000000000");
  });
});

describe("checksums", () => {
  it("Luhn", () => {
    expect(luhnValid("4111 1111 1111 1111")).toBe(true);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
    expect(luhnValid("")).toBe(false);
  });

  it("IBAN mod 97", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(ibanValid("FR14 2004 1010 0505 0001 3M02 606")).toBe(true);
    expect(ibanValid("DE89 3704 0044 0532 0130 01")).toBe(false);
    expect(ibanValid("GB82WEST")).toBe(false);
  });
});

describe("REDACT_PATTERNS", () => {
  it("parses name=regex pairs and replaces with [NAME] before the built-in kinds", () => {
    const custom = createRedactor(parseRedactPatterns("ORDER=ORD-\\d{6};ACCOUNT=ACC\\d{8}"));
    const r = custom.redact("Order ORD-123456 on account ACC12345678, mail a@b.io");
    expect(r.text).toBe("Order [ORDER] on account [ACCOUNT], mail [EMAIL]");
    expect(r.counts).toEqual({ ORDER: 1, ACCOUNT: 1, EMAIL: 1 });
  });

  it("is empty when unset or blank", () => {
    expect(parseRedactPatterns(undefined)).toEqual([]);
    expect(parseRedactPatterns("  ")).toEqual([]);
    expect(parseRedactPatterns("ORDER=ORD-\\d+;")).toHaveLength(1);
  });

  it.each([
    ["ORDER", /missing '='/],
    ["order=ORD-\\d+", /upper-case/],
    ["EMAIL=foo", /built-in/],
    ["ORDER=a;ORDER=b", /duplicate/],
    ["ORDER=(unclosed", /not a valid regular expression/],
    ["ORDER=x*", /empty string/],
  ])("rejects %s naming the variable", (raw, message) => {
    expect(() => parseRedactPatterns(raw)).toThrow(ConfigError);
    expect(() => parseRedactPatterns(raw)).toThrow(/REDACT_PATTERNS/);
    expect(() => parseRedactPatterns(raw)).toThrow(message);
  });
});
