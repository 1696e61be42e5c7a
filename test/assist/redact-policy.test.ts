import { describe, expect, it } from "vitest";
import { createRedactor, parseRedactPatterns } from "../../src/assist/redact.js";
import { DEFAULT_REDACT_POLICY, kindsFor, parseRedactPolicy } from "../../src/assist/redact-policy.js";
import { loadConfig } from "../../src/config.js";
import { ConfigError } from "../../src/errors.js";

const PII = "Mail jane.doe@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, host 203.0.113.77.";

describe("technical numbers are never taken for personal data, whatever the policy", () => {
  const redactor = createRedactor();
  it.each([
    "See Section 6.2.4.3 for the wiring, and section 10.1.2.3 and § 4.1.2.1.",
    "Chapter 2.1.3.4, step 1.2.3.4, table 3.1.1.2, figure 7.2.1.1, clause 9.9.1.2.",
    "The API listens on ::1 and 127.0.0.1:8080; localhost is 127.0.0.1, [::1]:3000 and ::.",
    "Set the netmask to 255.255.255.0 (or 255.255.0.0, 255.0.0.0, 255.255.255.128); broadcast 255.255.255.255.",
    "Bind to 0.0.0.0 to listen on every interface.",
    "Give the router an address in 192.168.0.x, the subnet 192.168.0.0/24 or 10.0.0.0/8.",
    "Firmware 2.10.3.4 and release 6.2.4.3 fixed it.",
  ])("%s", (text) => {
    expect(redactor.redact(text).text).toBe(text);
  });

  it("still redacts real addresses next to them", () => {
    expect(redactor.redact("my IP is 203.0.113.77 and 192.168.1.20, mask 255.255.255.0").text).toBe("my IP is [IP] and [IP], mask 255.255.255.0");
    expect(redactor.redact("host 2001:db8::8a2e:370:7334 and ::1").text).toBe("host [IP] and ::1");
    expect(redactor.redact("subnet 192.168.0.0/24, host 192.168.0.17/24").text).toBe("subnet 192.168.0.0/24, host [IP]/24");
  });
});

describe("REDACT_POLICY", () => {
  it("defaults: tickets and questions all kinds, other sources e-mail, phone, card and IBAN", () => {
    const redactor = createRedactor([], DEFAULT_REDACT_POLICY);
    const all = "Mail [EMAIL], call [PHONE], card [CARD], IBAN [IBAN], host [IP].";
    expect(redactor.redact(PII).text).toBe(all); // a question
    expect(redactor.redact(PII, { sourceType: "ticket", collection: "default" }).text).toBe(all);
    expect(redactor.redact(PII, { sourceType: "manual", collection: "default" }).text).toBe("Mail [EMAIL], call [PHONE], card [CARD], IBAN [IBAN], host 203.0.113.77.");
  });

  it("parses scopes, kinds, all and none, and per-collection rules", () => {
    const policy = parseRedactPolicy("tickets=all; questions=email,phone; default=email; collection:manuals=card,iban; collection:raw=none");
    const redactor = createRedactor([], policy);
    expect(redactor.redact(PII).text).toBe("Mail [EMAIL], call [PHONE], card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, host 203.0.113.77.");
    expect(redactor.redact(PII, { sourceType: "manual", collection: "faq" }).text).toContain("Mail [EMAIL], call +44 20 7946 0958");
    expect(redactor.redact(PII, { sourceType: "manual", collection: "manuals" }).text).toBe("Mail jane.doe@example.com, call +44 20 7946 0958, card [CARD], IBAN [IBAN], host 203.0.113.77.");
    expect(redactor.redact(PII, { sourceType: "ticket", collection: "raw" }).text).toBe(PII);
    expect(kindsFor(policy, { sourceType: "ticket", collection: "faq" })).toBe("all");
  });

  it("applies site-specific patterns under every rule but none", () => {
    const custom = parseRedactPatterns("ORDER=ORD-\\d{6}");
    const redactor = createRedactor(custom, parseRedactPolicy("default=email;collection:raw=none"));
    expect(redactor.redact("order ORD-123456", { sourceType: "manual", collection: "x" }).text).toBe("order [ORDER]");
    expect(redactor.redact("order ORD-123456", { sourceType: "manual", collection: "raw" }).text).toBe("order ORD-123456");
  });

  it.each([
    ["tickets", "missing '='"],
    ["people=all", "unknown scope 'people'"],
    ["default=email,fax", "unknown kind 'fax'"],
    ["default=email;default=card", "duplicate scope 'default'"],
    ["collection:=all", "collection name"],
    ["default=", "no kinds"],
  ])("rejects %s", (raw, why) => {
    expect(() => parseRedactPolicy(raw)).toThrow(ConfigError);
    expect(() => parseRedactPolicy(raw)).toThrow(why);
  });

  it("is parsed by loadConfig and names the variable when invalid", () => {
    const config = loadConfig({ REDACT_POLICY: "collection:manuals=email" });
    expect(kindsFor(config.REDACT_POLICY, { sourceType: "manual", collection: "manuals" })).toEqual(["EMAIL"]);
    expect(kindsFor(config.REDACT_POLICY, { sourceType: "ticket", collection: "default" })).toBe("all");
    expect(() => loadConfig({ REDACT_POLICY: "default=fax" })).toThrow(/REDACT_POLICY/);
  });
});
