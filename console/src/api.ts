// The console's typed client of the public HTTP API. Response types come from the server's sources (src/domain and
// src/http/api-types.ts), never redefined here, so a server change that breaks the console breaks its type check.
import type { Answer, HistoryTurn } from "../../src/domain/answer.js";
import type { SourceType, StoredDocument } from "../../src/domain/document.js";
import type { ChunkView, DocumentChunks, DocumentPage, QueuedUpload, WhoAmI } from "../../src/http/api-types.js";
import type { JobInfo } from "../../src/ports/job-queue.js";
import type { SuggestResult } from "../../src/assist/suggest.js";
import type { ThreadMessage } from "../../src/assist/thread.js";
import type { AnalyticsReport } from "../../src/assist/analytics-report.js";
import type { CuratedAnswer, CuratedAnswerWithVersions } from "../../src/domain/curated.js";
import type { Proposal, ProposalState } from "../../src/ports/analytics-store.js";
import { readEvents } from "../widget/sse.js";

export type { Answer, Citation, EscalationReason, HistoryTurn } from "../../src/domain/answer.js";
export type { CuratedAnswer, CuratedAnswerWithVersions, CuratedVersion } from "../../src/domain/curated.js";
export type { StoredDocument } from "../../src/domain/document.js";
export type { ChunkView, DocumentChunks, DocumentPage, QueuedUpload, WhoAmI } from "../../src/http/api-types.js";
export type { JobInfo } from "../../src/ports/job-queue.js";
export type { Suggestion, SimilarTicketView } from "../../src/assist/suggest.js";
export type { ThreadMessage } from "../../src/assist/thread.js";
export type { Triage } from "../../src/assist/triage.js";
export type { AnalyticsReport, GapCluster } from "../../src/assist/analytics-report.js";
export type { Proposal, ProposalState } from "../../src/ports/analytics-store.js";
/** Which review-queue clusters GET /analytics lists (see `gaps`). */
export type GapShow = "open" | "covered" | "all";

/** The body of POST /suggest (the server's SuggestResult, as the route sends it). */
export type SuggestResponse = Pick<SuggestResult, "id" | "suggestions" | "similarTickets" | "triage" | "confidence">;

/** A problem+json error (or a network failure, status 0) from the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail || title);
  }
}

export interface AnswerInput {
  question: string;
  history?: HistoryTurn[];
  filters?: { collections?: string[]; sourceTypes?: SourceType[] };
}

const enc = encodeURIComponent;
/** Document ids may contain '/': each segment is encoded, the slashes kept (the API's routes take the rest of the path). */
const idPath = (id: string): string => id.split("/").map(enc).join("/");
const inCollection = (collection: string | undefined): string => (collection ? `?collection=${enc(collection)}` : "");

/** The API, called with one key (or none, when the server runs without keys). */
export class ApiClient {
  constructor(
    private readonly key: string | undefined,
    private readonly base = "",
  ) {}

  whoami(): Promise<WhoAmI> {
    return this.call("GET", "/whoami");
  }

  /** GET /documents: one page of the documents the key may see, searched by title (`q`) on the server. */
  listDocuments(query: { collection?: string; q?: string; limit?: number; offset?: number } = {}): Promise<DocumentPage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
    return this.call("GET", `/documents?${params.toString()}`);
  }

  getDocument(id: string, collection: string): Promise<StoredDocument> {
    return this.call("GET", `/documents/${idPath(id)}${inCollection(collection)}`);
  }

  chunks(id: string, collection: string): Promise<DocumentChunks> {
    return this.call("GET", `/chunks/${idPath(id)}${inCollection(collection)}`);
  }

  /** One chunk of a document (a citation's `chunkId`), whole, with its section path and pages. */
  async chunk(documentId: string, collection: string, chunkId: string): Promise<ChunkView | undefined> {
    const body = await this.call<DocumentChunks>("GET", `/chunks/${idPath(documentId)}${inCollection(collection)}&chunk=${enc(chunkId)}`);
    return body.chunks[0];
  }

  /** Uploads files (one job each) into `collection`. */
  async upload(files: readonly File[], collection: string | undefined): Promise<QueuedUpload[]> {
    const form = new FormData();
    if (collection) form.append("collection", collection);
    for (const f of files) form.append("file", f, f.name);
    return (await this.call<{ jobs: QueuedUpload[] }>("POST", `/documents${inCollection(collection)}`, form)).jobs;
  }

  async replace(id: string, collection: string, file: File): Promise<QueuedUpload[]> {
    const form = new FormData();
    form.append("file", file, file.name);
    return (await this.call<{ jobs: QueuedUpload[] }>("PUT", `/documents/${idPath(id)}${inCollection(collection)}`, form)).jobs;
  }

  remove(id: string, collection: string): Promise<void> {
    return this.call("DELETE", `/documents/${idPath(id)}${inCollection(collection)}`);
  }

  job(id: string): Promise<JobInfo> {
    return this.call("GET", `/jobs/${idPath(id)}`);
  }

  /**
   * GET /jobs/events: the jobs' changes as they happen (`job`, `expired`, `missing`, then `end`). Resolves once the
   * stream is open (a refused one throws ApiError); the returned events end when the server closes the stream.
   */
  async jobEvents(ids: readonly string[], signal?: AbortSignal): Promise<AsyncGenerator<JobEvent>> {
    const res = await this.send("GET", `/jobs/events?${ids.map((id) => `id=${enc(id)}`).join("&")}`, undefined, "text/event-stream", signal);
    if (!res.ok || !res.body) throw await problemOf(res);
    return jobEventsOf(res.body);
  }

  answer(input: AnswerInput): Promise<Answer> {
    return this.call("POST", "/answer", input);
  }

  suggest(messages: ThreadMessage[], product?: string): Promise<SuggestResponse> {
    return this.call("POST", "/suggest", { messages, ...(product ? { product } : {}) });
  }

  /** GET /analytics (admin): `from`/`to` are dates (YYYY-MM-DD), `to` exclusive. */
  analytics(range: { from?: string; to?: string; gaps?: GapShow }): Promise<AnalyticsReport> {
    const q = new URLSearchParams({
      ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}), ...(range.gaps ? { gaps: range.gaps } : {}),
    }).toString();
    return this.call("GET", `/analytics${q ? `?${q}` : ""}`);
  }

  /** GET /curated: the latest version of each curated answer the key may see (of `collection`, when given). */
  listCurated(collection?: string): Promise<{ items: CuratedAnswer[]; total: number }> {
    return this.call("GET", `/curated?limit=500${collection ? `&collection=${enc(collection)}` : ""}`);
  }

  getCurated(id: string, collection: string): Promise<CuratedAnswerWithVersions> {
    return this.call("GET", `/curated/${enc(id)}${inCollection(collection)}`);
  }

  createCurated(input: { question: string; answer: string; collection?: string }): Promise<CuratedAnswer> {
    return this.call("POST", "/curated", input);
  }

  /** PUT /curated/:id: a new version. */
  reviseCurated(id: string, collection: string, input: { question: string; answer: string }): Promise<CuratedAnswer> {
    return this.call("PUT", `/curated/${enc(id)}${inCollection(collection)}`, input);
  }

  deleteCurated(id: string, collection: string): Promise<void> {
    return this.call("DELETE", `/curated/${enc(id)}${inCollection(collection)}`);
  }

  /** GET /review/proposals: corrections sent with feedback, as proposed curated answers (`curate` keys). */
  listProposals(state: ProposalState | "all" = "open"): Promise<{ items: Proposal[]; total: number }> {
    return this.call("GET", `/review/proposals?state=${state}&limit=500`);
  }

  /** Accepts a proposal (as submitted, or edited): a curated answer written by this key, crediting the proposer. */
  acceptProposal(id: number, edits: { question?: string; answer?: string; collection?: string } = {}): Promise<{ proposal: Proposal; curated: CuratedAnswer }> {
    return this.call("POST", `/review/proposals/${id}/accept`, edits);
  }

  dismissProposal(id: number): Promise<Proposal> {
    return this.call("POST", `/review/proposals/${id}/dismiss`);
  }

  feedback(answerId: string, rating: "up" | "down"): Promise<unknown> {
    return this.call("POST", "/feedback", { answerId, rating });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body, "application/json");
    if (res.status === 204) return undefined as T;
    if (!res.ok) throw await problemOf(res);
    const text = await res.text();
    return (text ? safeJson(text) : undefined) as T;
  }

  private async send(method: string, path: string, body: unknown, accept: string, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.key) headers["authorization"] = `Bearer ${this.key}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    try {
      return await fetch(`${this.base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      throw new ApiError(0, "network error", err instanceof Error ? err.message : String(err));
    }
  }
}

/** The ApiError of a failed response (its problem+json body when it has one). */
async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  const p = ((text ? safeJson(text) : undefined) ?? {}) as { title?: string; detail?: string };
  return new ApiError(res.status, p.title ?? res.statusText, p.detail ?? text.slice(0, 200));
}

/** One event of GET /jobs/events. */
export type JobEvent =
  | { type: "job"; job: JobInfo }
  | { type: "expired"; id: string; state: "completed" | "failed"; error?: string }
  | { type: "missing"; id: string }
  | { type: "end" };

async function* jobEventsOf(body: ReadableStream<Uint8Array>): AsyncGenerator<JobEvent> {
  for await (const ev of readEvents(body)) {
    const data = safeJson(ev.data) as Record<string, unknown> | undefined;
    if (!data) continue;
    if (ev.event === "job") yield { type: "job", job: data as unknown as JobInfo };
    else if (ev.event === "expired") yield { type: "expired", id: String(data["id"]), state: data["state"] === "failed" ? "failed" : "completed", ...(typeof data["error"] === "string" ? { error: data["error"] } : {}) };
    else if (ev.event === "missing") yield { type: "missing", id: String(data["id"]) };
    else if (ev.event === "end") yield { type: "end" };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
