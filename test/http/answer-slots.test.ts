import { describe, expect, it } from "vitest";
import { AnswerSlots } from "../../src/http/answer-slots.js";
import { OverloadedError } from "../../src/http/http-errors.js";

describe("AnswerSlots", () => {
  it("hands slots out in FIFO order as they are released", async () => {
    const slots = new AnswerSlots({ max: 1, maxWaitMs: 1000 });
    const release1 = await slots.acquire();
    const order: number[] = [];
    const second = slots.acquire().then((r) => (order.push(2), r));
    const third = slots.acquire().then((r) => (order.push(3), r));
    expect(slots.waiting).toBe(2);
    release1();
    (await second)();
    (await third)();
    expect(order).toEqual([2, 3]);
    expect(slots.inUse).toBe(0);
  });

  it("refuses with OverloadedError (Retry-After) after maxWaitMs or when the queue is full", async () => {
    const slots = new AnswerSlots({ max: 1, maxWaitMs: 50, maxQueue: 1 });
    await slots.acquire();
    const waiting = slots.acquire();
    await expect(slots.acquire()).rejects.toBeInstanceOf(OverloadedError);
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OverloadedError);
    expect((err as OverloadedError).headers["Retry-After"]).toBe("1");
    expect(slots.waiting).toBe(0);
  });

  it("stops waiting when the request is aborted", async () => {
    const slots = new AnswerSlots({ max: 1, maxWaitMs: 10_000 });
    await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(slots.waiting).toBe(0);
  });
});
