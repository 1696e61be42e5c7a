import type { Answering } from "../container.js";
import type { Answer } from "../domain/answer.js";
import type { AnswerRequest } from "../answer/answer.js";
import type { AnswerSlots } from "./answer-slots.js";
import { answerOutcome, type HttpMetrics } from "./metrics.js";

export interface AnswerRunnerDeps {
  answering: Answering;
  slots: AnswerSlots;
  httpMetrics: HttpMetrics;
}

/**
 * Runs the answer use case bound to the request's abort signal and counts its outcome. Throws the signal's
 * reason when the request was aborted meanwhile (timeout, disconnect), so nothing stale is sent.
 * The caller holds an answer slot (see AnswerSlots).
 */
export async function runAnswer(deps: AnswerRunnerDeps, request: AnswerRequest, signal: AbortSignal): Promise<Answer> {
  const answer = await deps.answering.answer({ ...request, signal });
  signal.throwIfAborted();
  deps.httpMetrics.answers.inc({ outcome: answerOutcome(answer) });
  return answer;
}

/** Holds an answer slot while `fn` runs. */
export async function withAnswerSlot<T>(deps: AnswerRunnerDeps, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const release = await deps.slots.acquire(signal);
  try {
    return await fn();
  } finally {
    release();
  }
}
