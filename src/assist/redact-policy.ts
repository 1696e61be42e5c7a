import { ConfigError } from "../errors.js";

/**
 * `REDACT_POLICY`: which kinds of personal data are redacted where. Support tickets and questions are written by
 * customers and get every kind; reference documents (manuals, FAQs) are full of addresses, netmasks and numbers that
 * are product facts, so by default only the kinds that are never product facts (e-mail, phone, card, IBAN) are taken
 * out of them.
 *
 * Syntax: rules `SCOPE=KINDS` separated by `;`. SCOPE is `tickets` (ticket documents), `questions` (questions,
 * feedback comments and corrections recorded for analytics), `default` (every other document) or
 * `collection:NAME` (every document in collection NAME, whatever its source type: it wins over the other rules).
 * KINDS is `all`, `none`, or a comma list of `email`, `phone`, `card`, `iban`, `ip` (case-insensitive). Rules not
 * given keep their defaults: `tickets=all;questions=all;default=email,phone,card,iban`. Site-specific patterns
 * (`REDACT_PATTERNS`) apply under every rule except `none`.
 */

/** The built-in kinds a policy can name. */
export const POLICY_KINDS = ["EMAIL", "PHONE", "CARD", "IBAN", "IP"] as const;

/** `all` kinds (built-in and site-specific), or exactly the listed built-in kinds plus site-specific ones. */
export type KindSelection = "all" | readonly string[];

export interface RedactPolicy {
  tickets: KindSelection;
  questions: KindSelection;
  default: KindSelection;
  /** Per-collection rules, by collection name. */
  collections: Readonly<Record<string, KindSelection>>;
  /**
   * Role and mailing-list e-mail addresses (`debian-user@lists.debian.org`, `support@…`) in knowledge documents (every
   * source type but tickets): `keep` (absent: keep) leaves them, since they are instructions, not people; `redact`
   * treats them like any address. Tickets and questions always get every address redacted.
   */
  documentRoleAddresses?: RoleAddressRule;
}

/** What happens to role and mailing-list addresses in knowledge documents (`REDACT_ROLE_ADDRESSES`). */
export type RoleAddressRule = "keep" | "redact";

/** What is being redacted: a document of this source type in this collection (absent: a question). */
export interface RedactTarget {
  sourceType: string;
  collection: string;
}

export const DEFAULT_REDACT_POLICY: RedactPolicy = Object.freeze({
  tickets: "all",
  questions: "all",
  default: Object.freeze(["EMAIL", "PHONE", "CARD", "IBAN"]),
  collections: Object.freeze({}),
  documentRoleAddresses: "keep",
});

const COLLECTION_RE = /^[\w.-]{1,64}$/;

/**
 * Parses `REDACT_POLICY` (see the module comment for the syntax) over {@link DEFAULT_REDACT_POLICY}.
 * @throws ConfigError naming REDACT_POLICY for an unknown scope or kind, a duplicate scope or an empty kind list.
 */
export function parseRedactPolicy(raw: string | undefined): RedactPolicy {
  if (raw === undefined || raw.trim() === "") return DEFAULT_REDACT_POLICY;
  const policy = { ...DEFAULT_REDACT_POLICY, collections: {} as Record<string, KindSelection> };
  const seen = new Set<string>();
  for (const [i, entry] of raw.split(";").entries()) {
    if (entry.trim() === "") continue;
    const bad = (why: string): ConfigError =>
      new ConfigError(`invalid REDACT_POLICY rule ${i + 1}: ${why} (expected SCOPE=KINDS;… with SCOPE tickets, questions, default or collection:NAME)`);
    const eq = entry.indexOf("=");
    if (eq < 0) throw bad("missing '='");
    const scope = entry.slice(0, eq).trim();
    const kinds = parseKinds(entry.slice(eq + 1), bad);
    if (seen.has(scope)) throw bad(`duplicate scope '${scope}'`);
    seen.add(scope);
    if (scope === "tickets" || scope === "questions" || scope === "default") policy[scope] = kinds;
    else if (scope.startsWith("collection:")) {
      const name = scope.slice("collection:".length).trim();
      if (!COLLECTION_RE.test(name)) throw bad(`invalid collection name '${name}'`);
      policy.collections[name] = kinds;
    } else throw bad(`unknown scope '${scope}'`);
  }
  return policy;
}

function parseKinds(list: string, bad: (why: string) => ConfigError): KindSelection {
  const items = list.split(",").map((k) => k.trim().toUpperCase()).filter((k) => k !== "");
  if (items.length === 0) throw bad("no kinds (write 'none' to redact nothing)");
  if (items.length === 1 && items[0] === "ALL") return "all";
  if (items.length === 1 && items[0] === "NONE") return [];
  const kinds: string[] = [];
  for (const item of items) {
    if (!(POLICY_KINDS as readonly string[]).includes(item)) throw bad(`unknown kind '${item.toLowerCase()}' (use ${POLICY_KINDS.join(", ").toLowerCase()}, all or none)`);
    if (!kinds.includes(item)) kinds.push(item);
  }
  return kinds;
}

/** The kinds redacted for `target` (a question when absent): collection rule, then source type, then default. */
export function kindsFor(policy: RedactPolicy, target?: RedactTarget): KindSelection {
  if (!target) return policy.questions;
  const byCollection = Object.hasOwn(policy.collections, target.collection) ? policy.collections[target.collection] : undefined;
  if (byCollection !== undefined) return byCollection;
  return target.sourceType === "ticket" ? policy.tickets : policy.default;
}

/** Whether `selection` redacts `kind`; site-specific kinds (not built in) go wherever anything is redacted. */
export function selects(selection: KindSelection, kind: string): boolean {
  if (selection === "all") return true;
  if (!(POLICY_KINDS as readonly string[]).includes(kind)) return selection.length > 0;
  return selection.includes(kind);
}

/** Whether role and list addresses stay in `target`: only in knowledge documents, and only when the policy keeps them. */
export function keepsRoleAddresses(policy: RedactPolicy, target?: RedactTarget): boolean {
  return target !== undefined && target.sourceType !== "ticket" && (policy.documentRoleAddresses ?? "keep") === "keep";
}
