import type { Answer, HistoryTurn } from "../../src/domain/answer.js";

/** What a reply needs to be shown again after a page load (the served Answer, minus what the widget never shows). */
export type SavedAnswer = Pick<Answer, "id" | "answer" | "citations" | "escalate" | "escalationReasons">;

/** One exchange as the widget keeps it. */
export interface SavedExchange {
  question: string;
  answer?: SavedAnswer;
  error?: string;
  rating?: "up" | "down";
}

/** The conversation kept across page loads of the help site, for this browser tab (sessionStorage). */
export interface SavedConversation {
  exchanges: SavedExchange[];
  history: HistoryTurn[];
  open: boolean;
}

/** Exchanges kept: enough to scroll back, small enough for sessionStorage. */
const MAX_EXCHANGES = 30;

/**
 * Where the conversation lives: one per engine and collection set on the site's origin. Never the key: it is public,
 * but the storage is the help site's, not the widget's.
 */
export function storageKey(api: string, collections: readonly string[] | undefined): string {
  return `groundline.widget:${api}:${collections?.join(",") ?? "*"}`;
}

export function loadConversation(key: string): SavedConversation {
  try {
    const raw = sessionStorage.getItem(key);
    const parsed = raw ? (JSON.parse(raw) as Partial<SavedConversation>) : {};
    return {
      exchanges: Array.isArray(parsed.exchanges) ? parsed.exchanges : [],
      history: Array.isArray(parsed.history) ? parsed.history : [],
      open: parsed.open === true,
    };
  } catch {
    // Storage blocked (privacy settings) or a damaged entry: start afresh.
    return { exchanges: [], history: [], open: false };
  }
}

export function saveConversation(key: string, conversation: SavedConversation): void {
  try {
    sessionStorage.setItem(key, JSON.stringify({ ...conversation, exchanges: conversation.exchanges.slice(-MAX_EXCHANGES) }));
  } catch {
    // Not kept: the conversation still works on this page.
  }
}

/** The parts of a served answer worth keeping. */
export function savedAnswer(a: Answer): SavedAnswer {
  return { id: a.id, answer: a.answer, citations: a.citations, escalate: a.escalate, escalationReasons: a.escalationReasons };
}
