import pg from "pg";

/** Summed wall time and count of one statement shape. */
export interface StatementTime {
  ms: number;
  n: number;
}

/**
 * A profiling aid for benchmarks (scripts/bench/pg-ingest-profile.ts), never used by the engine: wraps every
 * `pg.Client#query` in this process to sum each statement's wall time by its first 70 characters. Returns a reader of
 * the sums so far and a function that restores the original method.
 */
export function timePgStatements(): { read: () => Map<string, StatementTime>; restore: () => void } {
  const times = new Map<string, StatementTime>();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const sql = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string } | undefined)?.text ?? "?");
    const key = sql.replace(/\s+/g, " ").trim().slice(0, 70);
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      const add = (): void => {
        const e = times.get(key) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t0;
        e.n++;
        times.set(key, e);
      };
      void result.then(add, () => undefined);
    }
    return result;
  };
  return { read: () => times, restore: () => void (proto.query = original) };
}
