import { z } from "zod";
import type { Answer, Citation, EscalationReason, HistoryTurn } from "../domain/answer.js";
import { InvalidInputError } from "../errors.js";

/** The model name reported in responses, whatever the client asked for. */
export const MODEL_ID = "groundline";
const MAX_HISTORY_TURNS = 20;

const textPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const messageSchema = z.looseObject({
  // Tool messages are accepted (bot frameworks send them) and ignored like system prompts.
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(textPart)]).nullable().optional(),
});

/** The part of OpenAI's chat completion request we read; other fields (temperature, tools, ...) are ignored. */
export const chatRequestSchema = z.looseObject({
  model: z.string().max(200).optional(),
  messages: z.array(messageSchema).min(1).max(200),
  stream: z.boolean().nullable().optional(),
  temperature: z.number().nullable().optional(),
});

export type ChatRequest = z.output<typeof chatRequestSchema>;
type ChatMessage = z.output<typeof messageSchema>;

function textOf(message: ChatMessage): string {
  const c = message.content;
  if (c === undefined || c === null) return "";
  if (typeof c === "string") return c;
  return c.flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : [])).join("\n");
}

/**
 * The last user message is the question; earlier user/assistant messages are the history (the most recent 20
 * turns). System, developer and tool messages are ignored: the engine's own instructions are not negotiable.
 * @throws InvalidInputError without a non-empty user message, or for a question over 4000 characters.
 */
export function toQuestion(messages: readonly ChatMessage[]): { question: string; history: HistoryTurn[] } {
  const lastUser = messages.findLastIndex((m) => m.role === "user" && textOf(m).trim() !== "");
  if (lastUser < 0) throw new InvalidInputError("messages must contain a user message with text content", { details: { errors: [{ path: "messages", message: "no user message" }] } });
  const question = textOf(messages[lastUser] as ChatMessage).trim();
  if (question.length > 4000) {
    throw new InvalidInputError("the last user message is over 4000 characters", { details: { errors: [{ path: `messages.${lastUser}.content`, message: "too long" }] } });
  }
  const history: HistoryTurn[] = [];
  for (const m of messages.slice(0, lastUser)) {
    if (m.role !== "user" && m.role !== "assistant") continue;
    const content = textOf(m).trim();
    if (content !== "") history.push({ role: m.role, content: content.slice(0, 8000) });
  }
  return { question, history: history.slice(-MAX_HISTORY_TURNS) };
}

/** Engine-specific fields sent alongside the OpenAI fields. */
export interface GroundlineExtension {
  answerable: boolean;
  confidence: number;
  escalate: boolean;
  escalationReasons: EscalationReason[];
  answerId: string;
}

export function groundlineExtension(answer: Answer): GroundlineExtension {
  return {
    answerable: answer.answerable,
    confidence: answer.confidence,
    escalate: answer.escalate,
    escalationReasons: answer.escalationReasons,
    answerId: answer.id,
  };
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: Array<{ index: 0; message: { role: "assistant"; content: string }; finish_reason: "stop" }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  citations: Citation[];
  groundline: GroundlineExtension;
}

export function chatCompletion(answer: Answer, created = nowSeconds()): ChatCompletion {
  return {
    id: `chatcmpl-${answer.id}`,
    object: "chat.completion",
    created,
    model: MODEL_ID,
    choices: [{ index: 0, message: { role: "assistant", content: answer.answer }, finish_reason: "stop" }],
    // Token counts are not tracked (the extractive composer uses no tokens); zeros keep clients' parsers happy.
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    citations: answer.citations,
    groundline: groundlineExtension(answer),
  };
}

/** One `chat.completion.chunk`; `extra` carries the final chunk's citations and groundline fields. */
export function chatChunk(
  id: string,
  created: number,
  delta: { role?: "assistant"; content?: string },
  finishReason: "stop" | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, object: "chat.completion.chunk", created, model: MODEL_ID, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** GET /v1/models entry. `created` is fixed so responses are stable. */
export const MODEL_INFO = { id: MODEL_ID, object: "model", created: 1_735_689_600, owned_by: "groundline" } as const;
