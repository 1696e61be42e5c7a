import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
// The subpath loads only the model factory, not the agent runtime the package root pulls in (~200 ms less start-up).
import { initChatModel } from "langchain/chat_models/universal";
import { TransientError, errorMessage } from "../errors.js";
import type { ChatCallOptions, ChatMessage, ChatModel } from "../ports/chat-model.js";

/** Settings of the chat model, normally taken from the `CHAT_*` variables. */
export interface ChatModelOptions {
  /** Model name as the endpoint knows it, e.g. `gpt-4o-mini` or `llama3.1:8b`. */
  model: string;
  /** LangChain provider key (`openai`, `anthropic`, `ollama`, ...); `openai` works with any OpenAI-compatible base URL. */
  provider: string;
  apiKey?: string;
  baseURL?: string;
  timeoutMs: number;
  temperature: number;
  /** Retries inside LangChain; defaults to 1 because the composer has its own deadline and a fallback. */
  maxRetries?: number;
}

type UniversalChatModel = Awaited<ReturnType<typeof initChatModel>>;

/**
 * {@link ChatModel} backed by whatever LangChain chat model `initChatModel` picks for the configured provider.
 *
 * Offline safety: LangChain's OpenAI integration estimates token usage with tiktoken (downloaded at run time) when
 * a non-streaming call is made with `streaming: true`. This adapter never sets `streaming`, streams only through
 * `stream()`, and turns `streamUsage` off, so the only network traffic is to the model endpoint.
 */
export class LangChainChatModel implements ChatModel {
  readonly id: string;
  private readonly model: UniversalChatModel;

  constructor(model: UniversalChatModel, id: string) {
    this.model = model;
    this.id = id;
  }

  /** The concrete LangChain class serving calls (e.g. `ChatOpenAI`); for diagnostics and tests. */
  async implementationName(): Promise<string> {
    const inner = await this.model._getModelInstance();
    return inner.constructor.name;
  }

  async generate(messages: ChatMessage[], options: ChatCallOptions = {}): Promise<string> {
    const input = messages.map(toLangChainMessage);
    const config = {
      ...(options.signal ? { signal: options.signal } : {}),
      // maxTokens is a constructor field in most integrations; as a configurable field it is applied per call.
      ...(options.maxTokens !== undefined ? { configurable: { maxTokens: options.maxTokens } } : {}),
    };
    try {
      if (!options.onToken) return contentText((await this.model.invoke(input, config)).content);
      let text = "";
      for await (const chunk of await this.model.stream(input, config)) {
        const delta = contentText(chunk.content);
        if (delta.length === 0) continue;
        text += delta;
        options.onToken(delta);
      }
      return text;
    } catch (err) {
      throw new TransientError(`chat model ${this.id} failed: ${errorMessage(err)}`, { cause: err });
    }
  }
}

/** Builds the configured chat model. Fails (without a network call) when the provider's package is not installed. */
export async function createChatModel(options: ChatModelOptions): Promise<LangChainChatModel> {
  const model = await initChatModel(options.model, {
    modelProvider: options.provider,
    configurableFields: ["maxTokens"],
    // OpenAI's SDK refuses to start without a key; keyless local servers (Ollama, llama.cpp) ignore it.
    apiKey: options.apiKey ?? (options.baseURL ? "not-needed" : undefined),
    ...(options.baseURL ? { configuration: { baseURL: options.baseURL } } : {}),
    temperature: options.temperature,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    streamUsage: false,
  });
  return new LangChainChatModel(model, `${options.provider}:${options.model}`);
}

function toLangChainMessage(message: ChatMessage): BaseMessage {
  switch (message.role) {
    case "system":
      return new SystemMessage(message.content);
    case "user":
      return new HumanMessage(message.content);
    case "assistant":
      return new AIMessage(message.content);
  }
}

/** Text of a message's content, which integrations return either as a string or as an array of typed parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content as unknown[]) {
    if (typeof part === "string") text += part;
    else if (isTextPart(part)) text += part.text;
  }
  return text;
}

function isTextPart(part: unknown): part is { type: "text"; text: string } {
  if (typeof part !== "object" || part === null) return false;
  const record = part as Record<string, unknown>;
  return record["type"] === "text" && typeof record["text"] === "string";
}
