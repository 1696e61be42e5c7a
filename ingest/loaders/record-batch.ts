import type { LoadedDocument } from "../../src/domain/document.js";
import { UnsupportedDocumentError } from "../../src/errors.js";
import type { RecordResult } from "./ticket-record.js";

/** How many problems an error message lists before summarising the rest. */
const LISTED_PROBLEMS = 5;

/**
 * Collects the documents of a multi-record file (JSON, JSONL, CSV) and the problems of its bad records.
 * A file is all or nothing: one malformed record rejects the whole file, so a half-bad export never leaves
 * a partial, misleading knowledge base behind.
 */
export class RecordBatch {
  private readonly docs: LoadedDocument[] = [];
  private readonly problems: string[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly file: string) {}

  /** Records one record's outcome; `where` names it for humans ("line 7", "row 3"). */
  add(where: string, result: RecordResult): void {
    if (!result.ok) {
      this.problem(where, result.problem);
      return;
    }
    const first = this.seen.get(result.doc.id);
    if (first !== undefined) {
      // Not the id itself: ids may carry personal data, and this message reaches last_error and the logs.
      this.problem(where, `duplicate id (first at ${first})`);
      return;
    }
    this.seen.set(result.doc.id, where);
    this.docs.push(result.doc);
  }

  problem(where: string, problem: string): void {
    this.problems.push(`${where}: ${problem}`);
  }

  /**
   * The documents, if every record was good.
   * @throws UnsupportedDocumentError listing the first problems, or "no records" for a file without any.
   */
  result(): LoadedDocument[] {
    if (this.problems.length > 0) {
      const listed = this.problems.slice(0, LISTED_PROBLEMS).join("; ");
      const more = this.problems.length > LISTED_PROBLEMS ? `; and ${this.problems.length - LISTED_PROBLEMS} more` : "";
      const count = `${this.problems.length} malformed record${this.problems.length === 1 ? "" : "s"}`;
      throw new UnsupportedDocumentError(this.file, `${count}, nothing loaded: ${listed}${more}`);
    }
    if (this.docs.length === 0) throw new UnsupportedDocumentError(this.file, "no records");
    return this.docs;
  }
}
