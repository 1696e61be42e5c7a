import { ConfigError } from "../errors.js";
import { BUILTIN_DETECTORS, isRoleAddress, type PiiDetector } from "./pii-detectors.js";
import { DEFAULT_REDACT_POLICY, keepsRoleAddresses, kindsFor, type RedactPolicy, type RedactTarget, selects } from "./redact-policy.js";

/**
 * PII redaction: replaces e-mail addresses, phone numbers, payment cards (Luhn-checked), IBANs (mod 97), IP addresses
 * and site-specific patterns (`REDACT_PATTERNS`) with typed placeholders such as `[EMAIL]`. Applied to every document
 * before it is chunked or stored, and to questions before they are recorded for analytics, so the original values are
 * never written anywhere. Which kinds apply to what is the `REDACT_POLICY` (see redact-policy.ts).
 */

/** What one call found and replaced. */
export interface RedactionResult {
  text: string;
  /** Replacements per kind (EMAIL, PHONE, CARD, IBAN, IP, or a custom pattern's name). */
  counts: Record<string, number>;
  /** Sum of `counts`. */
  total: number;
}

/** Redacts text; pure and deterministic for a given configuration. */
export interface Redactor {
  /** Redacts the kinds the policy gives `target` (a document's source type and collection; absent: a question). */
  redact(text: string, target?: RedactTarget): RedactionResult;
}

/** A site-specific pattern from `REDACT_PATTERNS`: `name=regex`, replaced by `[NAME]`. */
export interface CustomPattern {
  name: string;
  pattern: RegExp;
}

const NAME_RE = /^[A-Z][A-Z0-9_]{0,31}$/;
const BUILTIN_NAMES = new Set(BUILTIN_DETECTORS.map((d) => d.kind));

/**
 * Parses `REDACT_PATTERNS`: `NAME=regex` pairs separated by `;` (write a literal semicolon inside a regex as `\x3B`).
 * Names are upper case (`[A-Z][A-Z0-9_]*`); regexes use JavaScript syntax and are matched case-sensitively.
 * @throws ConfigError naming REDACT_PATTERNS for a malformed pair, a bad name, an invalid regex or one matching "".
 */
export function parseRedactPatterns(raw: string | undefined): CustomPattern[] {
  if (raw === undefined || raw.trim() === "") return [];
  const out: CustomPattern[] = [];
  for (const [i, entry] of raw.split(";").entries()) {
    if (entry.trim() === "") continue;
    const bad = (why: string): ConfigError => new ConfigError(`invalid REDACT_PATTERNS entry ${i + 1}: ${why} (expected NAME=regex;NAME=regex)`);
    const eq = entry.indexOf("=");
    if (eq <= 0) throw bad("missing '='");
    const name = entry.slice(0, eq).trim();
    const source = entry.slice(eq + 1).trim();
    if (!NAME_RE.test(name)) throw bad(`name '${name}' must be upper-case letters, digits and '_'`);
    if (BUILTIN_NAMES.has(name)) throw bad(`'${name}' is a built-in kind`);
    if (out.some((p) => p.name === name)) throw bad(`duplicate name '${name}'`);
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, "gu");
    } catch (err) {
      throw new ConfigError(`invalid REDACT_PATTERNS entry ${i + 1}: '${name}' is not a valid regular expression`, { cause: err });
    }
    if (source === "" || new RegExp(`^(?:${source})$`, "u").test("")) throw bad(`'${name}' matches the empty string`);
    out.push({ name, pattern });
  }
  return out;
}

/**
 * Builds a redactor with the built-in detectors plus `custom` patterns (which run first: they are more specific),
 * applying to each text the kinds `policy` gives its target.
 */
export function createRedactor(custom: readonly CustomPattern[] = [], policy: RedactPolicy = DEFAULT_REDACT_POLICY): Redactor {
  const detectors: PiiDetector[] = [...custom.map((c) => ({ kind: c.name, pattern: c.pattern })), ...BUILTIN_DETECTORS];
  // Knowledge documents keep role and list addresses ("write to debian-user@lists.debian.org"): they name no one.
  const documentDetectors = detectors.map((d) => (d.kind === "EMAIL" ? { ...d, accept: (m: string) => !isRoleAddress(m) } : d));
  return {
    redact(text, target) {
      const counts: Record<string, number> = {};
      const kinds = kindsFor(policy, target);
      let out = text;
      for (const d of keepsRoleAddresses(policy, target) ? documentDetectors : detectors) if (selects(kinds, d.kind)) out = applyDetector(out, d, counts);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return { text: out, counts, total };
    },
  };
}

function applyDetector(text: string, detector: PiiDetector, counts: Record<string, number>): string {
  // Cheap exits: most text has no "@", few digits or ":"; each regex still has to be safe on any input.
  if (detector.kind === "EMAIL" && !text.includes("@")) return text;
  const re = new RegExp(detector.pattern.source, detector.pattern.flags.includes("g") ? detector.pattern.flags : `${detector.pattern.flags}g`);
  return text.replace(re, (match: string, ...rest: unknown[]) => {
    const index = rest.find((r): r is number => typeof r === "number") ?? 0;
    if (match === "" || (detector.accept && !detector.accept(match, text, index))) return match;
    counts[detector.kind] = (counts[detector.kind] ?? 0) + 1;
    return `[${detector.kind}]`;
  });
}

/** Convenience for one-off use (tests, scripts): the built-in detectors only. */
export function redactText(text: string): string {
  return createRedactor().redact(text).text;
}
