import { z } from "zod";
import type { LoadedDocument, TicketMeta } from "../../src/domain/document.js";
import { definedOnly, languageTag, normalizeInline, normalizeText } from "./normalize.js";

/** Optional scalar field: strings and numbers accepted, blanks treated as absent. */
const optionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? undefined : normalizeText(String(v)) || undefined));

const messageSchema = z.looseObject({
  role: optionalText,
  author_type: optionalText,
  from: optionalText,
  author: optionalText,
  sender: optionalText,
  text: optionalText,
  body: optionalText,
  content: optionalText,
  message: optionalText,
});

/** The export shapes we accept for one ticket; unknown fields are ignored. */
export const ticketRecordSchema = z.looseObject({
  id: optionalText,
  ticket_id: optionalText,
  ticketId: optionalText,
  subject: optionalText,
  title: optionalText,
  messages: z.array(messageSchema).nullish(),
  question: optionalText,
  description: optionalText,
  body: optionalText,
  /** Exports with one column per side of the conversation (help-desk CSVs often name them after the speaker). */
  customer: optionalText,
  customer_message: optionalText,
  answer: optionalText,
  response: optionalText,
  agent: optionalText,
  agent_reply: optionalText,
  reply: optionalText,
  resolution: optionalText,
  category: optionalText,
  tags: z.union([z.array(z.union([z.string(), z.number()])), z.string(), z.null()]).optional(),
  product: optionalText,
  language: optionalText,
  url: optionalText,
  created_at: optionalText,
  createdAt: optionalText,
  date: optionalText,
  status: optionalText,
});

type TicketRecord = z.infer<typeof ticketRecordSchema>;
type Role = "customer" | "agent";

const CUSTOMER_ROLES = new Set(["customer", "requester", "end-user", "end_user", "enduser", "user", "client", "contact", "visitor"]);
const AGENT_ROLES = new Set([
  "agent", "staff", "support", "admin", "administrator", "operator", "assistant", "bot", "system", "technician",
]);

/** Customer/agent from the many spellings exports use; unknown roles fall back to "first speaker is the customer". */
export function normalizeRole(raw: string | undefined, index: number): Role {
  const role = (raw ?? "").toLowerCase().trim();
  if (CUSTOMER_ROLES.has(role)) return "customer";
  if (AGENT_ROLES.has(role)) return "agent";
  return index === 0 ? "customer" : "agent";
}

function parseTags(tags: TicketRecord["tags"]): string[] | undefined {
  if (tags === undefined || tags === null) return undefined;
  const list = Array.isArray(tags) ? tags.map(String) : tags.split(/[,;]/);
  const clean = list.map((t) => normalizeInline(t)).filter((t) => t.length > 0);
  return clean.length > 0 ? clean : undefined;
}

function conversation(r: TicketRecord): Array<{ role: Role; text: string }> {
  if (r.messages && r.messages.length > 0) {
    return r.messages
      .map((m, i) => ({
        role: normalizeRole(m.role ?? m.author_type ?? m.from ?? m.author ?? m.sender, i),
        text: m.text ?? m.body ?? m.content ?? m.message ?? "",
      }))
      .filter((m) => m.text.length > 0);
  }
  const out: Array<{ role: Role; text: string }> = [];
  const question = r.question ?? r.description ?? r.body ?? r.customer ?? r.customer_message;
  const answer = r.answer ?? r.response ?? r.agent ?? r.agent_reply ?? r.reply;
  if (question) out.push({ role: "customer", text: question });
  if (answer) out.push({ role: "agent", text: answer });
  return out;
}

/** Outcome of reading one record: a document, or why the record is malformed. */
export type RecordResult = { ok: true; doc: LoadedDocument } | { ok: false; problem: string };

function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid record";
  const field = issue.path.map(String).join(".");
  return field ? `field '${field}': ${issue.message}` : issue.message;
}

/**
 * One ticket record to one document. Its single section keeps the customer's question with the agent's
 * replies and the resolution ("Subject: ...\nCustomer: ...\nAgent: ...\nResolution: ..."), so the pair is
 * retrieved as one unit.
 */
export function ticketFromRecord(raw: unknown, sourcePath: string | undefined): RecordResult {
  const parsed = ticketRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: schemaProblem(parsed.error) };
  const r = parsed.data;
  const id = (r.id ?? r.ticket_id ?? r.ticketId)?.trim() || undefined;
  if (id === undefined) return { ok: false, problem: "missing id" };
  const turns = conversation(r);
  if (turns.length === 0 && r.resolution === undefined) {
    // Never the id itself: ticket ids may carry personal data, and problems reach last_error and the logs.
    return { ok: false, problem: "ticket has no text (no messages, question, answer or resolution)" };
  }
  const subjectSource = r.subject ?? r.title;
  const subject = subjectSource ? normalizeInline(subjectSource) : undefined;
  const lines = [
    ...(subject ? [`Subject: ${subject}`] : []),
    ...turns.map((t) => `${t.role === "customer" ? "Customer" : "Agent"}: ${t.text}`),
    ...(r.resolution ? [`Resolution: ${r.resolution}`] : []),
  ];
  const title = subject ?? firstWords(turns[0]?.text ?? r.resolution ?? "") ?? `Ticket ${id}`;
  const ticket: TicketMeta = definedOnly({
    subject: subject ?? title,
    category: r.category,
    tags: parseTags(r.tags),
    resolution: r.resolution,
    createdAt: r.created_at ?? r.createdAt ?? r.date,
    status: r.status,
  });
  const doc: LoadedDocument = definedOnly({
    id,
    title,
    sourceType: "ticket" as const,
    format: "application/x-ticket",
    sections: [{ path: [], text: normalizeText(lines.join("\n")) }],
    product: r.product,
    language: languageTag(r.language),
    url: r.url,
    sourcePath,
    ticket,
  });
  return { ok: true, doc };
}

function firstWords(text: string): string | undefined {
  const line = normalizeInline(text.split("\n")[0] ?? "");
  if (line.length === 0) return undefined;
  return line.length <= 80 ? line : `${line.slice(0, 77).replace(/\s+\S*$/, "")}...`;
}
