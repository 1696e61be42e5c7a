/**
 * Detectors for personal data in free text. Each is a liberal candidate regex plus a validator that rejects look-alikes
 * (checksums for cards and IBANs, digit counts and grouping for phone numbers, context for IPs), because support text is
 * full of numbers that are not personal: versions (3.4.1), dates (2026-03-14), prices, error codes (E-101), models.
 */

/** A built-in kind of personal data; its placeholder is `[KIND]`. */
export type PiiKind = "EMAIL" | "IBAN" | "CARD" | "IP" | "PHONE";

export interface PiiDetector {
  kind: string;
  /** Global regex of candidates. */
  pattern: RegExp;
  /** Whether a candidate really is this kind of data (`text` and `index` give its context). */
  accept?: (match: string, text: string, index: number) => boolean;
}

/** Luhn checksum over the digits of `value` (separators ignored). */
export function luhnValid(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: country letters, two check digits, mod 97 of the rearranged number equals 1. */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/[\s-]/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

const EMAIL_RE = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;
const IBAN_RE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g;
/**
 * 13–19 digits, optionally grouped by single spaces or dashes; never right after "+" (that is a phone number) or a
 * digit and a dash (a serial); right after a word and a dash ("card-4111 …" in a file name) it is a card.
 */
const CARD_RE = /(?<![\d+.,/])(?<!\d-)\d(?:[ -]?\d){12,18}(?![\d\-.,/]?\d)/g;
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4_RE = new RegExp(`(?<![\\d.])${OCTET}(?:\\.${OCTET}){3}(?![\\d]|\\.\\d)`, "g");
const IPV4_FULL_RE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const IPV6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3})(?![\w:])/g;
/**
 * Phone candidates: optional "+CC", optional "(area)", then digit groups separated by one space, dash or dot, or one
 * long digit run. Letters, "-", "/", "." or digits right before or after disqualify (model numbers, dates, versions).
 */
const PHONE_RE = /(?<![\w+\-/.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?(?:\d{6,15}|\d{1,5}(?:[ .-]\d{1,5}){0,5})(?![\w/]|[.:-]\d)/g;
/** Words that mark a dotted quad as a version or a section number, not an address. */
const VERSION_BEFORE_RE =
  /(?:\bv|version|firmware|build|release|rev(?:ision)?|section|sect?\.|§|chapter|ch\.|clause|paragraph|para\.?|step|figure|fig\.|table|item|part|appendix|article|art\.|固件|版本|容器|章节|第)\s*:?\s*$/iu;
const VERSION_AFTER_RE = /^\s*(?:及以上|以上|以下|版本|or (?:later|higher|newer|above)|and (?:later|above|up))/iu;
/** Year-month at the start: a date such as 2026-03-14 or 2026.03.14, never a phone number. */
const DATE_START_RE = /^(?:19|20)\d{2}[-./ ](?:0?[1-9]|1[0-2])(?:\D|$)/;
const PHONE_CONTEXT_RE = /(?:phone|mobile|cell|tel|call|whatsapp|fax|sms|text me|电话|手机|联系方式|号码)\D{0,12}$/iu;

function ipv6Valid(candidate: string): boolean {
  const parts = candidate.split("::");
  if (parts.length > 2) return false;
  const groups = (s: string): string[] => (s === "" ? [] : s.split(":"));
  const all = parts.flatMap(groups);
  const last = all[all.length - 1] ?? "";
  const v4 = last.includes(".");
  if (v4 && !IPV4_FULL_RE.test(last)) return false;
  const hex = v4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  // Times ("10:30:00") and ratios have no "::" and fewer than eight groups; "::" needs at least one letter-free group too.
  if (parts.length === 1) return count === 8;
  return count < 8 && count >= 1 && /[0-9A-Fa-f]/.test(candidate.replace(/:/g, ""));
}

/**
 * Addresses that identify no one: loopback (127.0.0.0/8), "any" (0.0.0.0), netmasks and the broadcast address
 * (contiguous one bits, 255.255.255.0), and a network written in CIDR form with its host bits zero (10.0.0.0/8).
 */
function technicalIpv4(match: string, after: string): boolean {
  const octets = match.split(".").map(Number);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (octets[0] === 127 || value === 0) return true;
  const inverted = 0xffffffff - value;
  if (octets[0] === 255 && (inverted & (inverted + 1)) === 0) return true;
  const prefix = /^\/(\d{1,2})(?!\d)/.exec(after);
  if (prefix?.[1] === undefined) return false;
  const bits = Number(prefix[1]);
  return bits <= 32 && value % 2 ** (32 - bits) === 0;
}

function ipv4Accept(match: string, text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 20), index);
  const after = text.slice(index + match.length, index + match.length + 20);
  return !VERSION_BEFORE_RE.test(before) && !VERSION_AFTER_RE.test(after) && !technicalIpv4(match, after);
}

/** Loopback (::1) and the unspecified address (::) identify no one. */
function ipv6Accept(match: string): boolean {
  return ipv6Valid(match) && !/^(?:0{0,4}:){2,7}0{0,3}1?$/.test(match);
}

/** Issuer prefixes in use (Visa 4, Mastercard 51–55 and 2221–2720, Amex/Diners/JCB 3, Discover/UnionPay/Maestro 5–6). */
function cardAccept(match: string): boolean {
  const digits = match.replace(/\D/g, "");
  const first = digits[0] ?? "";
  if (first === "2") {
    const four = Number(digits.slice(0, 4));
    if (four < 2221 || four > 2720) return false;
  } else if (!"3456".includes(first)) return false;
  return luhnValid(digits);
}

/** US ZIP+4 ("02110-1301"): five digits, a dash, four digits. */
const ZIP4_RE = /^\d{5}-\d{4}$/;
/** A Chinese mobile number in its usual 3-4-4 grouping ("138 0013 8000"). */
const CN_MOBILE_GROUPS_RE = /^1[3-9]\d[ .-]?\d{4}[ .-]?\d{4}$/;

/**
 * Digit count, grouping and context decide: with "+" 8–15 digits (E.164); without, 9–12 digits in groups (longer runs
 * are card-like or ids, shorter ones dates and quantities), a Chinese mobile number written as one run, or any run of
 * 9–12 digits right after a word like "phone"/"电话". Groups all of two digits (French style) need a leading 0 or "+".
 * Manuals are full of space-separated number columns (partition sizes "538 538 1075", block counts, octets), so
 * groups separated by spaces only need phone evidence: a trunk 0, an "(area)", the Chinese mobile grouping or a cue.
 */
function phoneAccept(match: string, text: string, index: number): boolean {
  const digits = match.replace(/\D/g, "");
  const plus = match.startsWith("+");
  if (plus) return digits.length >= 8 && digits.length <= 15;
  if (digits.length < 9 || digits.length > 12 || DATE_START_RE.test(match)) return false;
  const body = match.replace(/^\(\d+\)[ .-]?/, "");
  const groups = body.split(/[ .-]/);
  const context = PHONE_CONTEXT_RE.test(text.slice(Math.max(0, index - 24), index));
  if (groups.length === 1) return /^1[3-9]\d{9}$/.test(digits) || context;
  // A dotted quad is an address, netmask or version: the IP detector (or nothing) decides, never the phone one.
  if (IPV4_FULL_RE.test(match)) return false;
  const seps = new Set(body.match(/[ .-]/g) ?? []);
  // Dotted numbers are versions and IPs unless every group is phone-sized and dots are the only separator.
  if (seps.has(".") && (seps.size > 1 || !groups.every((g) => g.length >= 3))) return false;
  const area = match.startsWith("(");
  if (!area && !context && !spacedPhoneEvidence(body, seps, digits)) return false;
  if (!area && (groups[0]?.length ?? 0) < 2 && !context) return false;
  // A US ZIP+4 code is an address part, not a number anyone answers.
  if (!area && !context && ZIP4_RE.test(body)) return false;
  // Two groups only ("2800-22800") is a range or an id unless it has a trunk prefix ("010-65529988") or an area code.
  if (groups.length === 2 && !area && !digits.startsWith("0") && !context) return false;
  const allPairs = groups.slice(1).every((g) => g.length === 2);
  if (allPairs && !digits.startsWith("0") && !context) return false;
  return (groups[groups.length - 1]?.length ?? 0) >= 2;
}

/** Groups joined by spaces alone are a phone number only with a trunk 0 or the Chinese mobile grouping. */
function spacedPhoneEvidence(body: string, seps: ReadonlySet<string>, digits: string): boolean {
  if (seps.has("-") || seps.has(".")) return true;
  return digits.startsWith("0") || CN_MOBILE_GROUPS_RE.test(body);
}

/** Local parts that name a role or a list, not a person ("listmaster", "debian-user", "foo-request"). */
const ROLE_LOCAL_RE =
  /^(?:[\w.+-]+-(?:users?|request|devel|announce|owner|admin|bounces|help|subscribe|unsubscribe|discuss|boot|l10n|i18n|doc|project|security)|listmaster|postmaster|webmaster|hostmaster|abuse|admin|support|info|help|noreply|no-reply|donotreply|submit|request|control|owner|security|sales|contact|feedback|press|office|git)$/i;

/** Hosts whose every address is a list, a bug report or a package alias. */
const ROLE_HOST_RE = /^(?:lists|bugs|packages)\./;

/**
 * Whether an e-mail address belongs to a role or a mailing list rather than a person: a role local part (see
 * ROLE_LOCAL_RE, "git" for SSH remotes) or a host of lists, bug trackers or package aliases ("lists.", "bugs.",
 * "packages." — every address there is a list, a bug or a package, not a person). Knowledge documents keep such addresses (they are instructions:
 * "write to debian-user@lists.debian.org"); personal-looking addresses are redacted everywhere.
 */
export function isRoleAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const host = address.slice(at + 1).toLowerCase();
  return ROLE_HOST_RE.test(host) || ROLE_LOCAL_RE.test(local);
}

/** The built-in detectors, in the order they run: specific shapes first so a card is never typed as a phone. */
export const BUILTIN_DETECTORS: readonly PiiDetector[] = [
  { kind: "EMAIL", pattern: EMAIL_RE },
  { kind: "IBAN", pattern: IBAN_RE, accept: (m) => ibanValid(m) },
  { kind: "CARD", pattern: CARD_RE, accept: cardAccept },
  { kind: "IP", pattern: IPV6_RE, accept: ipv6Accept },
  { kind: "IP", pattern: IPV4_RE, accept: ipv4Accept },
  { kind: "PHONE", pattern: PHONE_RE, accept: phoneAccept },
];
