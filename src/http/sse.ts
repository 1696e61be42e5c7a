import type { Request, Response } from "express";

/** A Server-Sent Events response. Writes after the client has gone are dropped. */
export interface SseStream {
  /** Sends `event: <event>` (omitted when undefined) with `data: <JSON>`. */
  send(event: string | undefined, data: unknown): void;
  /** Sends a `data:` line with raw text (OpenAI's `[DONE]`). */
  sendRaw(data: string): void;
  close(): void;
  readonly closed: boolean;
}

export interface SseOptions {
  /** Comment lines sent while idle so proxies keep the connection open; default 15 s. */
  heartbeatMs?: number;
}

/** True when the client asked for an event stream in its Accept header. */
export function acceptsEventStream(req: Request): boolean {
  return (req.get("accept") ?? "").toLowerCase().includes("text/event-stream");
}

/** Starts an event-stream response (status 200, headers flushed at once). */
export function openSse(res: Response, options: SseOptions = {}): SseStream {
  res.status(200);
  res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
  res.setHeader("Cache-Control", "no-cache, no-transform");
  res.setHeader("Connection", "keep-alive");
  // Stops nginx from buffering the stream.
  res.setHeader("X-Accel-Buffering", "no");
  res.flushHeaders();
  let closed = false;
  const heartbeat = setInterval(() => write(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  const stop = (): void => {
    closed = true;
    clearInterval(heartbeat);
  };
  res.on("close", stop);
  function write(chunk: string): void {
    if (closed || res.writableEnded || res.destroyed) return;
    res.write(chunk);
  }
  return {
    send: (event, data) => write(`${event === undefined ? "" : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`),
    sendRaw: (data) => write(`data: ${data}\n\n`),
    close: () => {
      if (!res.writableEnded) res.end();
      stop();
    },
    get closed() {
      return closed || res.writableEnded || res.destroyed;
    },
  };
}

/**
 * Cuts text into about `pieces` parts at whitespace, so a reply computed in one go can still be streamed.
 * Joining the parts gives back the text exactly.
 */
export function splitForStreaming(text: string, pieces = 4): string[] {
  if (text.length === 0) return [];
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  const per = Math.max(1, Math.ceil(words.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += per) out.push(words.slice(i, i + per).join(""));
  return out;
}
