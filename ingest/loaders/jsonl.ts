import { z } from "zod";
import type { LoadedDocument } from "../../src/domain/document.js";
import { findJsonSyntaxError } from "./json-syntax.js";
import { definedOnly, fileLabel, firstLineTitle, languageTag, type LoaderInput, normalizeInline, normalizeText } from "./normalize.js";
import { RecordBatch } from "./record-batch.js";
import { type RecordResult, ticketFromRecord } from "./ticket-record.js";

const optionalString = z.string().nullish();

/** A corpus line: one reference document. */
const corpusRecordSchema = z.looseObject({
  id: z.union([z.string().refine((s) => s.trim().length > 0, "must not be empty"), z.number()]),
  title: optionalString,
  text: z.string(),
  url: optionalString,
  product: optionalString,
  language: optionalString,
});

// Fields only tickets have; "messages" and "resolution" are the ones the evaluation format uses.
const TICKET_FIELDS = ["messages", "resolution", "ticket_id", "question", "answer", "response"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function corpusFromRecord(raw: Record<string, unknown>, sourcePath: string | undefined): RecordResult {
  const parsed = corpusRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: issue ? `field '${issue.path.map(String).join(".")}': ${issue.message}` : "invalid record" };
  }
  const r = parsed.data;
  // The id is the evaluation's key, so it is kept exactly as written.
  const id = String(r.id);
  const text = normalizeText(r.text);
  // Problems never quote the id: ids may carry personal data (e-mail addresses as ids).
  if (text.length === 0) return { ok: false, problem: "record has no text" };
  const title = r.title ? normalizeInline(r.title) : "";
  const doc: LoadedDocument = definedOnly({
    id,
    title: title || firstLineTitle(text) || id,
    sourceType: "manual" as const,
    format: "application/jsonl",
    sections: [{ path: [], text }],
    url: r.url?.trim() || undefined,
    product: r.product?.trim() || undefined,
    language: languageTag(r.language ?? undefined),
    sourcePath,
  });
  return { ok: true, doc };
}

function recordFromValue(value: unknown, sourcePath: string | undefined): RecordResult {
  if (!isObject(value)) return { ok: false, problem: "not a JSON object" };
  if (TICKET_FIELDS.some((f) => f in value)) return ticketFromRecord(value, sourcePath);
  if ("text" in value) return corpusFromRecord(value, sourcePath);
  return { ok: false, problem: "neither a corpus record ({id, title, text}) nor a ticket (messages or resolution)" };
}

/**
 * The evaluation JSONL format: one JSON object per line, blank lines skipped. Corpus lines
 * `{id, title, text, url?, product?, language?}` become one manual document each (id kept exactly, one
 * section with an empty path); ticket lines (with `messages` or `resolution`) become tickets. Any bad line
 * rejects the whole file, naming the line numbers.
 */
export function loadJsonl(text: string, input: LoaderInput): LoadedDocument[] {
  const batch = new RecordBatch(fileLabel(input));
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // Never JSON.parse's message: it quotes the line (personal data ends up in last_error and the logs).
      const found = findJsonSyntaxError(line);
      batch.problem(`line ${i + 1}`, found ? `malformed JSON at column ${found.column}: ${found.reason}` : "malformed JSON");
      continue;
    }
    batch.add(`line ${i + 1}`, recordFromValue(value, input.sourcePath));
  }
  return batch.result();
}
