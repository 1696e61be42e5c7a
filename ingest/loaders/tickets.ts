import { CsvError, parse as parseCsv } from "csv-parse/sync";
import type { LoadedDocument } from "../../src/domain/document.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import { describeJsonSyntaxError } from "./json-syntax.js";
import { fileLabel, type LoaderInput } from "./normalize.js";
import { RecordBatch } from "./record-batch.js";
import { ticketFromRecord } from "./ticket-record.js";

function ticketArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "object" && value !== null && "tickets" in value && Array.isArray(value.tickets)) {
    return value.tickets;
  }
  return undefined;
}

/**
 * Past tickets from a JSON export: an array of tickets or `{ "tickets": [...] }`. Problems are reported by
 * row (1-based position in the array); any malformed row rejects the whole file.
 * @throws UnsupportedDocumentError "malformed JSON at line N, column C: reason", "expected an array of tickets ...", or the row problems.
 */
export function loadTicketsJson(text: string, input: LoaderInput): LoadedDocument[] {
  const file = fileLabel(input);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON.parse's message (nor as the cause): it quotes the input, and this error reaches last_error and the logs.
    throw new UnsupportedDocumentError(file, `malformed JSON at ${describeJsonSyntaxError(text)}`);
  }
  const rows = ticketArray(value);
  if (rows === undefined) {
    throw new UnsupportedDocumentError(file, 'expected an array of tickets or an object with a "tickets" array');
  }
  const batch = new RecordBatch(file);
  rows.forEach((row, i) => batch.add(`row ${i + 1}`, ticketFromRecord(row, input.sourcePath)));
  return batch.result();
}

/** "Ticket ID" → ticket_id, "createdAt" → created_at: CSV headers come in every spelling. */
export function normalizeColumnName(header: string): string {
  return header
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

interface CsvRow {
  record: Record<string, string>;
  info: { lines: number };
  raw: string;
}

function parseRows(text: string, file: string): CsvRow[] {
  try {
    return parseCsv(text, {
      columns: (header: string[]) => header.map(normalizeColumnName),
      bom: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as CsvRow[];
  } catch (err) {
    // The parser's code, never its message (nor the error as the cause): csv-parse messages quote the field.
    const line = err instanceof CsvError && typeof err["lines"] === "number" ? ` at line ${err["lines"]}` : "";
    const code = err instanceof CsvError ? err.code : "unreadable";
    throw new UnsupportedDocumentError(file, `malformed CSV${line}: ${code}`);
  }
}

/** A `messages` cell may hold the conversation as a JSON array. */
function expandMessages(record: Record<string, string>): Record<string, unknown> | string {
  const cell = record["messages"]?.trim();
  if (!cell) {
    const { messages: _unused, ...rest } = record;
    return rest;
  }
  try {
    const messages: unknown = JSON.parse(cell);
    return Array.isArray(messages) ? { ...record, messages } : "field 'messages': not a JSON array";
  } catch {
    return "field 'messages': not valid JSON";
  }
}

/**
 * Past tickets from a CSV export with a header row (flat question/answer columns, or a JSON `messages`
 * column). Problems are reported by the line the record starts on; any malformed row rejects the file.
 */
export function loadTicketsCsv(text: string, input: LoaderInput): LoadedDocument[] {
  const file = fileLabel(input);
  const batch = new RecordBatch(file);
  for (const row of parseRows(text, file)) {
    const line = row.info.lines - (row.raw.replace(/^[\r\n]+|[\r\n]+$/g, "").match(/\n/g)?.length ?? 0);
    const record = expandMessages(row.record);
    const result = typeof record === "string" ? { ok: false as const, problem: record } : ticketFromRecord(record, input.sourcePath);
    batch.add(`line ${line}`, result);
  }
  return batch.result();
}
