import { describe, expect, it } from "vitest";
import { isRoleAddress } from "../../src/assist/pii-detectors.js";
import { createRedactor } from "../../src/assist/redact.js";
import { DEFAULT_REDACT_POLICY } from "../../src/assist/redact-policy.js";

const redactor = createRedactor();
const MANUAL = { sourceType: "manual", collection: "docs" } as const;
const TICKET = { sourceType: "ticket", collection: "docs" } as const;

describe("numbers in technical text are not phone numbers", () => {
  it.each([
    "#               538 538 1075 free                               \\",
    "#              1000 5000 4000 raid                          \\",
    "sizes 500 10000 1000000000 ext4 and 64 512 300% linux-swap",
    "Supported releases 10 11 12 13 and kernels 5.10 6.1 6.12",
    "Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301, USA.",
    "Ship to Springfield, IL 62704-1234.",
    "octets 192 168 100 200 in the table",
    "Block counts 2048 4096 8192 16384 per group.",
  ])("%s", (text) => {
    expect(redactor.redact(text, MANUAL).text).toBe(text);
    expect(redactor.redact(text).text).toBe(text);
  });

  it.each([
    "+1 555 0100 2233",
    "+1 (555) 010-0223",
    "(555) 010-0223",
    "555-010-0223",
    "555.010.0223",
    "020 7946 0958",
    "+44 20 7946 0958",
    "138 0013 8000",
    "+86 10 6552 9988",
    "010-6552 9988",
    "400-820-8820",
    "13800138000",
  ])("still redacts the phone number %s", (phone) => {
    expect(redactor.redact(`Reach us at ${phone} today.`).text).toBe("Reach us at [PHONE] today.");
  });

  it("accepts a bare spaced number when a phone cue is near", () => {
    expect(redactor.redact("call me on 555 010 0223 please").text).toBe("call me on [PHONE] please");
    expect(redactor.redact("我的电话是 555 010 0223").text).toBe("我的电话是 [PHONE]");
  });
});

describe("role and mailing-list addresses in knowledge documents", () => {
  it.each([
    "debian-user@lists.debian.org",
    "debian-list-subject-REQUEST@lists.debian.org",
    "listmaster@lists.debian.org",
    "debian-devel@example.org",
    "support@example.com",
    "info@example.com",
    "help@example.com",
    "noreply@example.com",
    "submit@bugs.debian.org",
    "anything@lists.example.org",
    "123456@bugs.example.org",
    "doc-foo@packages.example.org",
    "git@salsa.example.org",
  ])("%s is a role address", (address) => {
    expect(isRoleAddress(address)).toBe(true);
  });

  it.each(["jane.doe@example.com", "sanvila@debian.org", "wang@example.cn", "user@example.com", "supporter.jane@example.com"])(
    "%s is personal",
    (address) => {
      expect(isRoleAddress(address)).toBe(false);
    },
  );

  it("keeps role addresses in manuals but redacts personal ones there", () => {
    const text = "Ask on debian-user@lists.debian.org or write to jane.doe@example.com.";
    expect(redactor.redact(text, MANUAL).text).toBe("Ask on debian-user@lists.debian.org or write to [EMAIL].");
  });

  it("redacts every address in tickets and questions (privacy first)", () => {
    const text = "Ask on debian-user@lists.debian.org or write to jane.doe@example.com.";
    expect(redactor.redact(text, TICKET).text).toBe("Ask on [EMAIL] or write to [EMAIL].");
    expect(redactor.redact(text).text).toBe("Ask on [EMAIL] or write to [EMAIL].");
  });

  it("redacts role addresses in documents too when the policy says so", () => {
    const strict = createRedactor([], { ...DEFAULT_REDACT_POLICY, documentRoleAddresses: "redact" });
    expect(strict.redact("Ask on debian-user@lists.debian.org.", MANUAL).text).toBe("Ask on [EMAIL].");
  });
});

describe("REDACT_ROLE_ADDRESSES", () => {
  it("defaults to keep and folds into REDACT_POLICY; redact is accepted; anything else names the variable", async () => {
    const { loadConfig } = await import("../../src/config.js");
    expect(loadConfig({}).REDACT_POLICY.documentRoleAddresses).toBe("keep");
    expect(loadConfig({ REDACT_ROLE_ADDRESSES: "redact" }).REDACT_POLICY.documentRoleAddresses).toBe("redact");
    expect(() => loadConfig({ REDACT_ROLE_ADDRESSES: "maybe" })).toThrow(/REDACT_ROLE_ADDRESSES/);
  });
});
