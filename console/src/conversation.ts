import { useEffect, useState, type Dispatch, type SetStateAction } from "react";
import type { Answer } from "./api.js";

/** One question of the playground's conversation and what came back. */
export interface Turn {
  question: string;
  answer?: Answer;
  error?: string;
}

/** The playground's conversation, held above the router so it survives visits to other screens. */
export interface Conversation {
  turns: Turn[];
  setTurns: Dispatch<SetStateAction<Turn[]>>;
}

// Kept for the browser session like the key and the widget's conversation (sessionStorage: gone with the tab).
export const CONVERSATION_KEY = "groundline.playground";

function load(): Turn[] {
  try {
    const raw = sessionStorage.getItem(CONVERSATION_KEY);
    const turns = raw ? (JSON.parse(raw) as Turn[]) : [];
    // A question still being answered when the page went away will never get its answer.
    return Array.isArray(turns) ? turns.filter((t) => t.answer !== undefined || t.error !== undefined) : [];
  } catch {
    return [];
  }
}

/** The conversation state for the signed-in session (mounted by the shell, not by the playground screen). */
export function useConversation(): Conversation {
  const [turns, setTurns] = useState<Turn[]>(load);
  useEffect(() => {
    try {
      if (turns.length > 0) sessionStorage.setItem(CONVERSATION_KEY, JSON.stringify(turns));
      else sessionStorage.removeItem(CONVERSATION_KEY);
    } catch {
      // Storage disabled or full: the conversation lives in memory until the tab reloads.
    }
  }, [turns]);
  return { turns, setTurns };
}
