import { describe, expect, it } from "vitest";
import { loadFile } from "../../../ingest/loaders/load-file.js";
import { AppError } from "../../../src/errors.js";

/** Error messages go to last_error, the job's error and the logs: they name the file, line and reason, never content. */
const PII = ["leak.two@example.com", "leak.two@e", "leak.id@example.com", "leak.file@example.com", "4111 1111 1111 1111", "+44 20 7946 0958"];

async function failure(fileName: string, text: string): Promise<string> {
  try {
    await loadFile({ bytes: Buffer.from(text), fileName });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const message = (err as Error).message;
    const cause = (err as Error).cause;
    for (const pii of PII) {
      expect(message, pii).not.toContain(pii);
      expect(String(cause instanceof Error ? cause.message : cause ?? ""), pii).not.toContain(pii);
    }
    return message;
  }
  throw new Error("expected the load to fail");
}

describe("loader errors never quote the document", () => {
  it("JSONL: a malformed line is named by line and column, without V8's quote of the input", async () => {
    const text = `{"id":"a","text":"fine"}\n{"id":"b","text":"x","note": leak.two@example.com}\n`;
    const message = await failure("export.jsonl", text);
    expect(message).toMatch(/^export\.jsonl: 1 malformed record, nothing loaded: line 2: malformed JSON at column 30: unexpected character$/);
  });

  it("tickets JSON: a syntax error is named by line and column", async () => {
    const text = `[\n  {"id": "T-1", "subject": "Card 4111 1111 1111 1111", "note": leak.two@example.com}\n]`;
    expect(await failure("tickets.json", text)).toBe("tickets.json: malformed JSON at line 2, column 64: unexpected character");
    expect(await failure("tickets.json", `{"tickets": [{"id": "T-1", "subject": "call +44 20 7946 0958"`)).toMatch(/malformed JSON at line 1, column \d+: unexpected end of input/);
  });

  it("CSV: a parse error names the line and the reason code", async () => {
    const text = `id,subject,question\nT-1,"ok","fine"\nT-2,"call +44 20 7946 0958" x,"mail leak.two@example.com"\n`;
    expect(await failure("tickets.csv", text)).toMatch(/^tickets\.csv: malformed CSV at line 3: CSV_\w+$/);
  });

  it("record problems never quote an id", async () => {
    const tickets = JSON.stringify([
      { id: "leak.id@example.com", subject: "" },
      { id: "T-1", question: "q" },
      { id: "T-1", question: "q again" },
    ]);
    const message = await failure("tickets.json", tickets);
    expect(message).toContain("row 1: ticket has no text");
    expect(message).toContain("row 3: duplicate id (first at row 2)");
    const corpus = `{"id":"leak.id@example.com","text":"  "}\n`;
    expect(await failure("corpus.jsonl", corpus)).toContain("line 1: record has no text");
  });

  it("a file name with personal data is redacted in the message", async () => {
    const message = await failure("leak.file@example.com.jsonl", `{"id":"a"`);
    expect(message).toMatch(/^\[EMAIL\]/);
  });
});
