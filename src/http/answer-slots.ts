import { OverloadedError } from "./http-errors.js";

export interface AnswerSlotsOptions {
  /** Answers computed at once. */
  max: number;
  /** How long a request may wait for a slot before it gets 503 + Retry-After. */
  maxWaitMs: number;
  /** Waiting requests beyond this are refused at once (default 8 × max). */
  maxQueue?: number;
}

interface Waiter {
  grant: () => void;
  fail: (err: unknown) => void;
}

/**
 * Caps concurrent answer computations. Requests over the cap wait in FIFO order for a short time; those that
 * still find no slot are refused (503) so a traffic spike degrades into fast retries rather than pile-ups.
 */
export class AnswerSlots {
  private active = 0;
  private readonly queue: Waiter[] = [];
  private readonly options: Required<AnswerSlotsOptions>;

  constructor(options: AnswerSlotsOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError("maxConcurrentAnswers must be a positive integer");
    this.options = { maxQueue: options.max * 8, ...options };
  }

  get inUse(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function once a slot is free; rejects with OverloadedError or the signal's reason. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.options.max) return Promise.resolve(this.take());
    const retryAfter = Math.max(1, Math.ceil(this.options.maxWaitMs / 1000));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new OverloadedError(retryAfter));
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(this.take());
        },
        fail: (err) => {
          cleanup();
          reject(err);
        },
      };
      const onAbort = (): void => waiter.fail(signal?.reason);
      const timer = setTimeout(() => waiter.fail(new OverloadedError(retryAfter)), this.options.maxWaitMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private take(): () => void {
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.queue[0]?.grant();
    };
  }
}
