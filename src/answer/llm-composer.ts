import { z } from "zod";
import { TransientError, errorMessage } from "../errors.js";
import type { ChatMessage, ChatModel } from "../ports/chat-model.js";
import type { AnswerComposer, ComposeRequest, ComposedAnswer } from "./composer.js";
import { NO_ANSWER, buildAnswerMessages } from "./prompt.js";

/** Longest reply accepted from the model; anything longer is treated as malformed (the prompt asks for ≤120 words). */
export const MAX_REPLY_CHARS = 8000;

export interface LlmComposerOptions {
  /** Deadline of one model call, counted from when it gets a concurrency slot. */
  timeoutMs: number;
  /** Model calls in flight at once; further requests wait in a FIFO queue. */
  maxConcurrency: number;
  /** Output token cap sent to the model. */
  maxTokens?: number;
  /** Told why a request fell back to the other composer (for logs and metrics): "timeout", "model-error", "malformed-reply". */
  onFallback?: (reason: LlmFallbackReason, error?: unknown) => void;
}

const DEFAULT_MAX_TOKENS = 800;

/** Why a model step fell back; a small fixed set, so it can label a metric. */
export type LlmFallbackReason = "timeout" | "model-error" | "malformed-reply";
const replySchema = z.string().trim().min(1).max(MAX_REPLY_CHARS);

/**
 * Writes the draft answer with a chat model from the numbered sources. Never fails because of the model: a timeout,
 * an endpoint error or an empty/malformed reply falls back to `fallback` (normally the extractive composer) and the
 * result is marked `degraded`. Only the caller aborting `request.signal` rejects, with the signal's reason.
 * Streamed tokens reach `request.onToken` as they arrive, except a leading `NO_ANSWER`, which is held back.
 */
export class LlmComposer implements AnswerComposer {
  readonly kind = "llm" as const;
  private readonly model: ChatModel;
  private readonly fallback: AnswerComposer;
  private readonly options: LlmComposerOptions;
  private readonly slots: Semaphore;

  constructor(model: ChatModel, fallback: AnswerComposer, options: LlmComposerOptions) {
    this.model = model;
    this.fallback = fallback;
    this.options = options;
    this.slots = new Semaphore(Math.max(1, Math.floor(options.maxConcurrency)));
  }

  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    const messages = buildAnswerMessages(request.question, request.language, request.sources);
    let reply: unknown;
    try {
      reply = await this.slots.run(() => this.call(messages, request), request.signal);
    } catch (err) {
      if (request.signal?.aborted) throw request.signal.reason ?? err;
      return this.degrade(request, err instanceof TransientError && /timed out/.test(errorMessage(err)) ? "timeout" : "model-error", err);
    }
    const parsed = replySchema.safeParse(reply);
    if (!parsed.success) return this.degrade(request, "malformed-reply");
    if (parsed.data.startsWith(NO_ANSWER)) return { text: "", refused: true, degraded: false };
    return { text: parsed.data, refused: false, degraded: false };
  }

  private async call(messages: ChatMessage[], request: ComposeRequest): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([deadline, request.signal]) : deadline;
    const gate = request.onToken ? new SentinelGate(request.onToken) : undefined;
    const generation = this.model.generate(messages, {
      signal,
      maxTokens: this.options.maxTokens ?? DEFAULT_MAX_TOKENS,
      // After the deadline the fallback owns the stream; late deltas from a model that ignored the signal are dropped.
      ...(gate ? { onToken: (delta: string) => { if (!signal.aborted) gate.push(delta); } } : {}),
    });
    try {
      // Raced as well as passed down, so a model that ignores its signal cannot hold the request past the deadline.
      const reply = await raceAbort(generation, signal);
      gate?.end();
      return reply;
    } catch (err) {
      if (deadline.aborted) throw new TransientError(`model timed out after ${this.options.timeoutMs} ms`, { cause: err });
      throw err;
    }
  }

  private async degrade(request: ComposeRequest, reason: LlmFallbackReason, error?: unknown): Promise<ComposedAnswer> {
    this.options.onFallback?.(reason, error);
    request.onFallback?.(`compose-${reason}`, error);
    const answer = await this.fallback.compose(request);
    return { ...answer, degraded: true };
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Forwards streamed deltas, but buffers the start of the reply until it is clear it is not the `NO_ANSWER` token,
 * so a refusal is never shown to the user as text.
 */
class SentinelGate {
  private pending = "";
  private state: "deciding" | "open" | "refusal" = "deciding";

  constructor(private readonly forward: (delta: string) => void) {}

  push(delta: string): void {
    if (this.state === "open") return this.forward(delta);
    if (this.state === "refusal") return;
    this.pending += delta;
    const head = this.pending.trimStart();
    if (head.startsWith(NO_ANSWER)) this.state = "refusal";
    else if (head.length > 0 && !NO_ANSWER.startsWith(head)) this.open();
  }

  /** The reply ended while still undecided (a short prefix of the token, e.g. "NO"): it is ordinary text. */
  end(): void {
    if (this.state === "deciding" && this.pending.trim().length > 0) this.open();
  }

  private open(): void {
    this.state = "open";
    this.forward(this.pending);
    this.pending = "";
  }
}

/** Caps concurrent model calls; waiters are served first-come and leave the queue if their request is aborted. */
class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.active++;
        resolve();
      };
      this.waiters.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}
