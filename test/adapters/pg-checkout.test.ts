import type pg from "pg";
import { describe, expect, it } from "vitest";
import { connectWithin } from "../../src/adapters/pg-schema.js";
import { isConnectionError } from "../../src/errors.js";

/** A pool whose checkout settles only when the test says so, and a client that records its release. */
function slowPool(): { pool: pg.Pool; arrive(): void; released: Array<Error | undefined> } {
  const released: Array<Error | undefined> = [];
  const listeners: Array<(err: Error) => void> = [];
  const client = {
    on: (_event: string, fn: (err: Error) => void) => { listeners.push(fn); },
    off: () => undefined,
    release: (err?: Error) => { released.push(err); },
    emitError: (err: Error) => listeners.forEach((l) => l(err)),
  };
  let arrive: () => void = () => undefined;
  const pool = { connect: () => new Promise((resolve) => { arrive = () => resolve(client); }) };
  return { pool: pool as unknown as pg.Pool, arrive: () => arrive(), released };
}

describe("pool checkout with a deadline", () => {
  it("gives up on a checkout that never settles (an outage error), and returns a client that arrives later", async () => {
    const { pool, arrive, released } = slowPool();
    const err = await connectWithin(pool, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isConnectionError(err)).toBe(true);
    arrive();
    await new Promise((r) => setTimeout(r, 0));
    expect(released).toEqual([undefined]);
  });

  it("discards a client whose connection reported an error while checked out", async () => {
    const { pool, arrive, released } = slowPool();
    const pending = connectWithin(pool, 1000);
    arrive();
    const { client, release } = await pending;
    (client as unknown as { emitError(e: Error): void }).emitError(new Error("Connection terminated unexpectedly"));
    release();
    expect(released[0]?.message).toMatch(/terminated/);
  });
});
