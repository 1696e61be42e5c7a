/** One parsed Server-Sent Event. `data` is the raw data text (JSON or `[DONE]`). */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Parses an event-stream body; comment lines (heartbeats) are skipped. */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return events;
}

/** Reads a fetch response body chunk by chunk until the server ends it, then parses the events. */
export async function readSse(response: Response): Promise<{ events: SseEvent[]; chunks: number }> {
  if (!response.body) throw new Error("no body");
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks += 1;
    text += decoder.decode(value, { stream: true });
  }
  return { events: parseSse(text + decoder.decode()), chunks };
}
