/**
 * First-person account actions in a past agent's reply ("I have issued the refund", "I've cancelled your order",
 * "Your trial was also cancelled", "已为您办理退款"): what that agent did for that customer. Quoted to another customer
 * they would be false promises, so generalisation turns them into visible placeholders for agents
 * (`[action taken: refund issued]`) and drops them from customer answers.
 */

/** Past-tense verbs of things done to a customer's account, order or device record. */
const VERBS =
  "issued|refunded|processed|cancell?ed|released|credited|applied|reset|turned (?:off|on)|disabled|enabled|created|opened|" +
  "upgraded|downgraded|changed|updated|removed|deleted|sent|shipped|passed|escalated|extended|waived|reversed|reactivated|" +
  "unlocked|replaced|arranged|scheduled|booked|added|transferred|restored|approved|activated|deactivated|closed|submitted|" +
  "raised|logged|filed|initiated|started|moved|switched|refreshed|unblocked|blocked|suspended|resumed|expedited";

const ADVERBS = String.raw`(?:\s+(?:already|just|now|also|gone ahead and|went ahead and|successfully))*`;

/** "I have (already) issued", "I've refunded", "we cancelled", "I went ahead and processed". */
const FIRST_PERSON_RE = new RegExp(String.raw`\b(?:I|[Ww]e)(?:['’]ve|\s+have|\s+had)?${ADVERBS}\s+(?:${VERBS})\b`, "g");
/** "Your Lumio Plus trial was also cancelled", "your order has been shipped". */
const PASSIVE_RE = new RegExp(String.raw`\b[Yy]our\s+[\w-]+(?:\s+[\w-]+){0,3}?\s+(?:was|were|has been|have been|is now)${ADVERBS}\s+(?:${VERBS})\b`, "g");
/** Resolution notes: "Refunded the duplicate charge.", "Cancelled renewal and …" at the start of a sentence. */
const NOTE_RE = new RegExp(String.raw`(?:^|(?<=[.!?;:]\s+))(?:${VERBS.replace(/\b(\w)/g, (c) => c.toUpperCase())})\b`, "gm");
/**
 * 已为您办理退款, 我已经帮您取消了订单, 已全额退款 — an agent's action on the account (for you / by me), not a state of
 * the device ("它已经关闭了" is not an action).
 */
const ZH_RE =
  /(?:我们?(?:已经|已)?(?:为您|帮您|给您|替您)|(?:我们?)?(?:已经|已)(?:为您|帮您|给您|替您)|我们?(?:已经|已))(?:全额)?(?:办理|处理|申请|发起|取消|退款|退还|关闭|重置|补发|发出|寄出|开通|解除|延长|升级|更换|创建)[^，,。！？；;\n]*|已(?:全额)?退(?:款|还)[^，,。！？；;\n]*/gu;

/** Where an English action clause ends: punctuation, a line break, or a comma before a new clause about the customer. */
const CLAUSE_END_RE = /[.!?](?=\s|$)|[;\n]|,\s+(?:so|but|which|because|as|and you|and your|so you|you|it will|this will)\b/g;

const VERB_RE = new RegExp(String.raw`\b(${VERBS})\b(?:\s+(?:it|this|that|them))?(?:\s+for you)?(?:\s+(?:the|your|a|an|this)\b)?(?=((?:\s+[A-Za-z][\w-]*){0,2}))`, "gi");
const OBJECT_STOP = new Set(["to", "for", "on", "of", "with", "from", "in", "now", "today", "so", "and", "back", "it", "you", "by", "at", "as", "up", "off", "over", "within", "into", "yesterday", "earlier", "already", "again", "just", "immediately", "manually"]);

/** A found action: where it is in the text and the placeholder label ("refund issued"). */
export interface ActionSpan {
  start: number;
  end: number;
  label: string;
}

/** The account actions in `text`, in order and not overlapping. */
export function findAccountActions(text: string): ActionSpan[] {
  const spans: ActionSpan[] = [];
  for (const re of [FIRST_PERSON_RE, PASSIVE_RE, NOTE_RE]) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = clauseEnd(text, start + m[0].length);
      spans.push({ start, end, label: englishLabel(text.slice(start, end)) });
    }
  }
  for (const m of text.matchAll(ZH_RE)) spans.push({ start: m.index, end: m.index + m[0].length, label: chineseLabel(m[0]) });
  return withoutOverlaps(spans);
}

function clauseEnd(text: string, from: number): number {
  CLAUSE_END_RE.lastIndex = from;
  const m = CLAUSE_END_RE.exec(text);
  return m ? m.index : text.length;
}

const PASSIVE_SUBJECT_RE = /^your\s+(.+?)\s+(?:was|were|has been|have been|is now)\b/i;

/**
 * "issued the refund of 49.99 USD" → "refund issued"; "Your trial was cancelled" → "trial cancelled"; several verbs
 * joined: "renewal cancelled, refund issued". Object words are lower-case words only (never an id or an amount).
 */
function englishLabel(clause: string): string {
  const parts: string[] = [];
  const subject = PASSIVE_SUBJECT_RE.exec(clause)?.[1]?.toLowerCase();
  for (const m of clause.matchAll(VERB_RE)) {
    const verb = (m[1] ?? "").toLowerCase();
    const words: string[] = subject !== undefined && parts.length === 0 ? [subject] : [];
    for (const w of (m[2] ?? "").trim().split(/\s+/)) {
      if (subject !== undefined || w === "" || OBJECT_STOP.has(w.toLowerCase()) || /\d|[A-Z]{2}/.test(w)) break;
      words.push(w.toLowerCase());
    }
    const part = verb === "refunded" ? "refund issued" : words.length > 0 ? `${words.join(" ")} ${verb}` : verb;
    if (!parts.includes(part)) parts.push(part);
  }
  return parts.join(", ") || "account updated";
}

const ZH_LABELS: ReadonlyArray<[RegExp, string]> = [
  [/退款|退还/u, "refund issued"],
  [/取消/u, "cancelled"],
  [/补发|发出|寄出|更换/u, "replacement sent"],
  [/重置/u, "reset"],
  [/延长/u, "extended"],
];

function chineseLabel(phrase: string): string {
  return ZH_LABELS.filter(([re]) => re.test(phrase)).map(([, label]) => label).join(", ") || "account updated";
}

function withoutOverlaps(spans: ActionSpan[]): ActionSpan[] {
  const out: ActionSpan[] = [];
  for (const s of spans.sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) last.end = s.end;
      continue;
    }
    out.push({ ...s });
  }
  return out;
}
