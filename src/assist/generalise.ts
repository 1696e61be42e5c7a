import { HAN_CHARS } from "../text/cjk.js";
import { sentenceSpans } from "../text/sentences.js";
import { redactText } from "./redact.js";
import { findAccountActions } from "./account-actions.js";

/**
 * Generalisation of past tickets: what one agent wrote to one customer, made fit for another conversation. The one
 * module both uses of ticket text go through:
 * - `agent` (POST /suggest): customer-specific facts become visible placeholders the agent fills in or deletes —
 *   `[customer name]`, `[agent name]`, `[amount]`, `[date]`, `[order number]`, `[account number]`,
 *   `[reference number]`, `[email]`, `[phone]`, `[card number]`, and `[action taken: refund issued]` for what that
 *   agent did on that account ("I have issued the refund", "I've cancelled your order").
 * - `customer` (answers in a collection listed in TICKET_ANSWER_COLLECTIONS): a customer never sees a placeholder or
 *   another customer's facts. Names addressed to the customer are removed ("Thanks, Jane." → "Thanks."); every
 *   sentence holding any other specific fact or an account action is dropped, leaving the general resolution.
 */
export type Audience = "agent" | "customer";

export type FactKind =
  | "customer-name" | "agent-name" | "amount" | "date" | "order-number" | "account-number" | "reference-number" | "contact" | "account-action";

export interface GeneralisedText {
  text: string;
  /** What was replaced (agent) or removed (customer), by kind, in order of appearance. */
  facts: FactKind[];
}

interface Rule {
  kind: FactKind;
  re: RegExp;
  /** The agent's placeholder for a match (groups kept where they are context, e.g. "order "). */
  placeholder: string;
}

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec";
const WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";
const ID = String.raw`[A-Z]{0,4}-?\d[\dA-Z-]{3,}`;
/** Capitalised words after a greeting that are not names ("Hi there", "Thanks again"). */
const NOT_NAMES = new Set(["there", "team", "all", "everyone", "again", "so", "very", "for", "a", "lot", "both", "guys", "folks", "support", "sir", "madam"]);
const NAME = String.raw`(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?`;

const RULES: readonly Rule[] = [
  { kind: "contact", re: /\[EMAIL\]/g, placeholder: "[email]" },
  { kind: "contact", re: /\[PHONE\]/g, placeholder: "[phone]" },
  { kind: "contact", re: /\[(?:CARD|IBAN)\]/g, placeholder: "[card number]" },
  { kind: "contact", re: /\[IP\]/g, placeholder: "[IP address]" },
  { kind: "order-number", re: new RegExp(String.raw`\b((?:order|purchase)\s*(?:#|no\.?|number|id)?\s*[:#]?\s*)${ID}\b|\bORD-?\d{4,}\b`, "gi"), placeholder: "$1[order number]" },
  { kind: "order-number", re: /(订单号?[:：]?\s*)[A-Za-z0-9-]{4,}/gu, placeholder: "$1[order number]" },
  { kind: "account-number", re: new RegExp(String.raw`\b((?:account|customer|member(?:ship)?)\s*(?:#|no\.?|number|id)\s*[:#]?\s*)${ID}\b|\bACC-?\d{4,}\b`, "gi"), placeholder: "$1[account number]" },
  { kind: "account-number", re: /((?:账号|账户|帐号)[:：]?\s*)[A-Za-z0-9-]{4,}/gu, placeholder: "$1[account number]" },
  { kind: "reference-number", re: /\b(?:RMA|CASE|REF|TKT|INC)-?\d{3,}\b|\b(?:case|ticket|claim|reference|ref\.?)\s*(?:no\.?|number|#)?\s*[:#]?\s*\d{4,}\b|#\d{4,}\b/gi, placeholder: "[reference number]" },
  { kind: "reference-number", re: /\b\d{7,}\b/g, placeholder: "[reference number]" },
  { kind: "amount", re: /(?:US|CA|AU)?[$€£¥]\s?\d[\d,]*(?:\.\d{1,2})?|\b\d[\d,]*(?:\.\d{1,2})?\s?(?:USD|EUR|GBP|CNY|RMB|CAD|AUD|dollars?|euros?|pounds?)\b|\d+(?:\.\d{1,2})?\s?(?:元|欧元|美元|英镑|块钱?)/giu, placeholder: "[amount]" },
  { kind: "date", re: new RegExp(String.raw`\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:${MONTHS})\b(?:,?\s+\d{4})?|\b(?:${MONTHS})\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?`, "g"), placeholder: "[date]" },
  { kind: "date", re: /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d+\s+(?:days?|weeks?|months?)\s+ago\b|(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d+\s*天前/gu, placeholder: "[date]" },
  { kind: "date", re: new RegExp(String.raw`\b((?:on|last|this|next)\s+)(?:${WEEKDAYS})\b`, "g"), placeholder: "$1[date]" },
  { kind: "agent-name", re: /\b((?:this is|my name is|I'm|I am)\s+)[A-Z][a-z]+(?=\s+(?:from|with|at|of|here)\b)/g, placeholder: "$1[agent name]" },
  { kind: "customer-name", re: new RegExp(String.raw`\b((?:Hi|Hello|Hey|Dear|Thanks|Thank you|Good (?:morning|afternoon|evening))[ ,]+)(${NAME})(?=\s*[,!.])`, "g"), placeholder: "$1[customer name]" },
  { kind: "customer-name", re: new RegExp(String.raw`(\b(?:sorry|thanks|thank you|welcome|hi|hello|apologi[sz]e)\b[^.!?\n]{0,80},\s+)(${NAME})(?=\s*[.!?])`, "gi"), placeholder: "$1[customer name]" },
  { kind: "customer-name", re: /\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+/g, placeholder: "[customer name]" },
  { kind: "customer-name", re: new RegExp(String.raw`(?<=^|[\s，,。！!？?：:、]|您好|你好|尊敬的)[${HAN_CHARS}]{1,2}(?:先生|女士|小姐)`, "gu"), placeholder: "[customer name]" },
];

/** Generalises ticket text for `audience` (see the module comment). */
export function generaliseTicketText(text: string, audience: Audience): GeneralisedText {
  // Raw contact data the ingest policy left in (REDACT_POLICY tickets=none) becomes [EMAIL], [PHONE], … first.
  const redacted = redactText(text);
  return audience === "agent" ? withPlaceholders(redacted) : forCustomers(redacted);
}

function withPlaceholders(text: string): GeneralisedText {
  const facts: FactKind[] = [];
  let out = text;
  // Actions first: their labels are read from the untouched clause ("issued the refund of 49.99 USD").
  for (const a of findAccountActions(out).reverse()) {
    out = `${out.slice(0, a.start)}[action taken: ${a.label}]${out.slice(a.end)}`;
    facts.push("account-action");
  }
  for (const rule of RULES) {
    out = out.replace(rule.re, (...args: unknown[]) => {
      if (rule.kind === "customer-name" && isNotName(args)) return String(args[0]);
      facts.push(rule.kind);
      return rule.placeholder.replace("$1", typeof args[1] === "string" ? args[1] : "");
    });
  }
  return { text: out, facts };
}

/** A greeting's capitalised word that is no name ("Hi There"): the match is kept. */
function isNotName(args: unknown[]): boolean {
  const name = typeof args[2] === "string" ? args[2] : "";
  return name !== "" && NOT_NAMES.has(name.toLowerCase());
}

/** Sentence by sentence: names addressed to the customer removed; sentences with any other fact dropped. */
function forCustomers(text: string): GeneralisedText {
  const facts: FactKind[] = [];
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const kept: string[] = [];
    for (const span of sentenceSpans(line)) {
      const sentence = line.slice(span.start, span.end);
      const marked = withPlaceholders(sentence);
      const specific = marked.facts.filter((k) => k !== "customer-name");
      if (specific.length > 0) {
        facts.push(...specific);
        continue;
      }
      if (marked.facts.length > 0) facts.push(...marked.facts);
      const cleaned = withoutNames(marked.text);
      if (cleaned !== "") kept.push(cleaned);
    }
    lines.push(kept.join(" "));
  }
  return { text: lines.join("\n").replace(/\n{3,}/g, "\n\n").trim(), facts };
}

/** "Hi [customer name], here is…" → "Hi, here is…"; "Sorry about that, [customer name]." → "Sorry about that." */
function withoutNames(sentence: string): string {
  return sentence
    .replace(/\s*\[customer name\]/g, "")
    .replace(/\s+,/g, ",")
    .replace(/,(\s*[.!?])/g, "$1")
    .replace(/^(\w+),?\s*([.!?])$/, "$1$2")
    .trim();
}
