import type { ThreadMessage } from "../../src/assist/thread.js";

const PREFIX = /^\s*(customer|client|user|agent|support|assistant|staff|客户|顾客|用户|客服)\s*[:：]\s*/iu;
const AGENT = new Set(["agent", "support", "assistant", "staff", "客服"]);

/**
 * A pasted thread as messages: lines starting with "Customer:" or "Agent:" (also "User:", "Support:", "客户：", "客服：")
 * start a message, other lines continue it; text before the first prefix is the customer's. The same convention as
 * `npm run suggest` reads (src/assist/thread.ts parseThreadText), kept small here so the console bundles no server code.
 */
export function parseThread(text: string): ThreadMessage[] {
  const out: ThreadMessage[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = PREFIX.exec(line);
    if (m) out.push({ role: AGENT.has(m[1]!.toLowerCase()) ? "agent" : "customer", text: line.slice(m[0].length) });
    else if (out.length > 0) out[out.length - 1]!.text += `\n${line}`;
    else if (line.trim()) out.push({ role: "customer", text: line });
  }
  return out.map((m) => ({ ...m, text: m.text.trim() })).filter((m) => m.text.length > 0);
}
