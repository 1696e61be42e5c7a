import type { Logger } from "pino";
import { errorMessage } from "../errors.js";

/** One external dependency and a cheap request that succeeds only while it is reachable. */
export interface DependencyProbe {
  name: string;
  probe: () => Promise<unknown>;
}

/** Rejects when `promise` has not settled within `ms` (a black-holed connection must not hold /readyz open). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no reply within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Which dependencies (PostgreSQL, Redis) are reachable, probed every `intervalMs` and on every /readyz. Writes are
 * refused while one is down (they would fail or hang halfway); answers go on from the in-memory indexes. State changes
 * are logged once each way.
 */
export class DependencyHealth {
  private readonly state = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Record<string, boolean>> | undefined;

  constructor(private readonly probes: readonly DependencyProbe[], private readonly logger: Logger, private readonly timeoutMs = 2000) {
    for (const p of probes) this.state.set(p.name, true);
  }

  /** Probes periodically from now on (unref'd: never keeps the process alive). */
  start(intervalMs = 1000): this {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
    return this;
  }

  /** Probes every dependency now (concurrent calls share one round) and returns `{name: reachable}`. */
  check(): Promise<Record<string, boolean>> {
    this.running ??= this.probeAll().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Dependencies down at the last probe. */
  down(): string[] {
    return [...this.state].filter(([, up]) => !up).map(([name]) => name);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async probeAll(): Promise<Record<string, boolean>> {
    const results = await Promise.all(this.probes.map(async (p) => {
      try {
        await withTimeout(p.probe(), this.timeoutMs, p.name);
        return [p.name, true, undefined] as const;
      } catch (err) {
        return [p.name, false, errorMessage(err)] as const;
      }
    }));
    for (const [name, up, error] of results) {
      const was = this.state.get(name);
      if (was && !up) this.logger.error({ dependency: name, error }, "dependency unavailable: writes refused (503), answers served from memory");
      if (was === false && up) this.logger.info({ dependency: name }, "dependency available again");
      this.state.set(name, up);
    }
    return Object.fromEntries(results.map(([name, up]) => [name, up]));
  }
}
