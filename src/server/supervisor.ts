import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { toPrimary, type ToPrimary } from "./cluster-ipc.js";

export interface SupervisorOptions {
  /** Serving processes to keep running. */
  processes: number;
  logger: Logger;
  /** Extra environment of every serving process. */
  env?: Record<string, string>;
  /** Each validated message from a serving process (listening announcements are handled here as well). */
  onMessage?: (worker: Worker, message: ToPrimary) => void;
  /** How long SIGTERM'd serving processes may drain before they are killed. */
  drainTimeoutMs: number;
}

export interface Supervisor {
  /** Resolves with the URL once every serving process listens; rejects when one dies before it listened. */
  ready: Promise<string>;
  /** Serving processes now connected. */
  workers(): Worker[];
  /** SIGTERM to every serving process, waits for them to drain and exit (SIGKILL after the drain timeout). */
  stop(): Promise<void>;
}

/** A serving process that dies sooner than this after its start is restarted with a growing delay. */
const EARLY_DEATH_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The cluster primary's supervision: forks the serving processes (they share the listening port), restarts one that
 * dies (at once if it ran a while, with a doubling delay if it keeps dying young) and drains them all on stop.
 */
export function superviseWorkers(options: SupervisorOptions): Supervisor {
  const { logger } = options;
  let stopping = false;
  let started = false;
  let restartDelay = 500;
  const listening = new Set<number>();
  let settle: { resolve(url: string): void; reject(err: Error): void } = { resolve: () => undefined, reject: () => undefined };
  const ready = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));

  const fork = (): void => {
    const forkedAt = Date.now();
    const worker = cluster.fork(options.env);
    worker.on("message", (raw: unknown) => {
      const parsed = toPrimary.safeParse(raw);
      if (!parsed.success) return;
      if (parsed.data.type === "groundline:listening") {
        listening.add(worker.id);
        if (!started && listening.size >= options.processes) {
          started = true;
          settle.resolve(parsed.data.url);
        }
      }
      options.onMessage?.(worker, parsed.data);
    });
    worker.on("exit", (code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      if (!started) {
        // A serving process that cannot start (bad config, port taken) would fail again: report, do not loop.
        settle.reject(new Error(`serving process ${worker.process.pid ?? "?"} exited (${signal ?? code}) before it listened`));
        return;
      }
      restartDelay = Date.now() - forkedAt >= EARLY_DEATH_MS ? 500 : Math.min(MAX_RESTART_DELAY_MS, restartDelay * 2);
      logger.warn({ pid: worker.process.pid, code, signal, restartInMs: restartDelay }, "serving process died; restarting it");
      setTimeout(() => {
        if (!stopping) fork();
      }, restartDelay).unref();
    });
  };

  for (let i = 0; i < options.processes; i++) fork();

  return {
    ready,
    workers: () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected()),
    stop: async () => {
      stopping = true;
      const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      await Promise.all(all.map((w) => drain(w, options.drainTimeoutMs)));
    },
  };
}

function drain(worker: Worker, timeoutMs: number): Promise<void> {
  if (worker.process.exitCode !== null || worker.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.process.kill("SIGKILL"), timeoutMs);
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.process.kill("SIGTERM");
  });
}
