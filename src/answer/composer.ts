import type { Source } from "../domain/answer.js";

export interface ComposeRequest {
  question: string;
  /** BCP-47 primary tag of the question; replies are written in it. */
  language: string;
  sources: Source[];
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
  /** Told when a model step fell back (reason like "compose-timeout"), for the caller's logs and metrics. */
  onFallback?: (reason: string, error?: unknown) => void;
}

/** Draft reply text with `[n]` markers pointing into `sources`; verification happens after. */
export interface ComposedAnswer {
  text: string;
  /** The composer judged that the sources do not contain the answer. */
  refused: boolean;
  degraded: boolean;
}

/** Writes a reply from numbered sources: extractive (no model) or an LLM. */
export interface AnswerComposer {
  readonly kind: "extractive" | "llm";
  compose(request: ComposeRequest): Promise<ComposedAnswer>;
}
