import { describe, expect, it } from "vitest";
import { readEvents, type SseEvent } from "../../console/widget/sse.js";
import { parseThread } from "../../console/src/thread.js";

/** A body delivered in the given pieces, as a network would split it. */
function body(pieces: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(enc.encode(p));
      controller.close();
    },
  });
}

async function all(pieces: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of readEvents(body(pieces))) out.push(ev);
  return out;
}

describe("the widget's SSE reader", () => {
  it("reads events split anywhere, skipping keep-alive comments", async () => {
    const stream = ': keep-alive\n\nevent: token\ndata: {"delta":"Hel"}\n\nevent: tok' + 'en\ndata: {"delta":"lo"}\n\nevent: answer\ndata: {"answer":"Hello"}\n\nevent: done\ndata: {}\n\n';
    const whole = await all([stream]);
    expect(whole).toEqual([
      { event: "token", data: '{"delta":"Hel"}' },
      { event: "token", data: '{"delta":"lo"}' },
      { event: "answer", data: '{"answer":"Hello"}' },
      { event: "done", data: "{}" },
    ]);
    // Byte by byte gives the same events.
    expect(await all([...stream])).toEqual(whole);
  });

  it("accepts CRLF line ends, joins multi-line data and defaults the event name", async () => {
    expect(await all(["data: a\r\ndata: b\r\n\r\nevent: x\r\ndata: 1\r\n\r\n"])).toEqual([
      { event: "message", data: "a\nb" },
      { event: "x", data: "1" },
    ]);
  });

  it("keeps multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"delta":"重置"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 25));
        c.enqueue(bytes.slice(25));
        c.close();
      },
    });
    const out: SseEvent[] = [];
    for await (const ev of readEvents(stream)) out.push(ev);
    expect(out).toEqual([{ event: "token", data: '{"delta":"重置"}' }]);
  });
});

describe("the console's thread parser", () => {
  it("splits Customer:/Agent: lines into messages, continuation lines included", () => {
    expect(parseThread("Customer: it blinks red\nand beeps\nAgent: did you descale it?\n客户：还是不行")).toEqual([
      { role: "customer", text: "it blinks red\nand beeps" },
      { role: "agent", text: "did you descale it?" },
      { role: "customer", text: "还是不行" },
    ]);
  });

  it("treats a thread without prefixes as the customer's", () => {
    expect(parseThread("\nMy kettle blinks red.\n")).toEqual([{ role: "customer", text: "My kettle blinks red." }]);
    expect(parseThread("  \n ")).toEqual([]);
  });
});
