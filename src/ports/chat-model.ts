/** A chat message in the provider-neutral form composers build. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatCallOptions {
  signal?: AbortSignal;
  /** Called with each streamed text delta; when absent the model may answer in one piece. */
  onToken?: (delta: string) => void;
  maxTokens?: number;
}

/** A chat model behind any OpenAI-compatible endpoint (or a fake in tests). Returns the full reply text. */
export interface ChatModel {
  readonly id: string;
  generate(messages: ChatMessage[], options?: ChatCallOptions): Promise<string>;
}
