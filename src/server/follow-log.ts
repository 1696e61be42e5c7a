import type { Logger } from "pino";
import { errorMessage } from "../errors.js";
import type { ChangeNotices } from "../ports/change-log.js";
import type { IndexSync } from "../ports/index-sync.js";

export interface FollowLogOptions {
  indexes: IndexSync;
  /** Applies the log to `indexes` (in slices, so a large batch never holds the event loop). */
  catchUp: (indexes: IndexSync) => Promise<void>;
  /** Runs after each successful catch-up (the snapshot writer saves here). */
  afterCatchUp: () => Promise<void>;
  /** Pushed notices (PostgreSQL LISTEN); polling alone without. */
  notices?: ChangeNotices;
  /** Poll interval: the fallback for lost notices and the only trigger without `notices`. */
  intervalMs: number;
  logger: Logger;
}

export interface LogFollowing {
  /** Whether notices are being received (undefined without notices). */
  readonly listening: boolean | undefined;
  close(): Promise<void>;
}

/**
 * Keeps this process's serving indexes current: a catch-up on every notice (another machine committed a batch) and
 * every `intervalMs`. Triggers coalesce: at most one catch-up runs, and triggers arriving meanwhile cause exactly one
 * more, so a burst of notices costs one or two catch-ups. A failing store (outage) is logged once, and its recovery too.
 */
export function followChangeLog(options: FollowLogOptions): LogFollowing {
  const { indexes, logger } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let failing = false;
  const run = async (): Promise<void> => {
    do {
      again = false;
      try {
        await options.catchUp(indexes);
        await options.afterCatchUp();
        if (failing) logger.info({ position: indexes.position }, "following the change log again");
        failing = false;
      } catch (err) {
        if (!failing) logger.error({ err: errorMessage(err) }, "following the change log failed (retrying)");
        failing = true;
        return;
      }
    } while (again);
  };
  const trigger = (): void => {
    if (running) { again = true; return; }
    running = run().finally(() => { running = undefined; });
  };
  const timer = setInterval(trigger, options.intervalMs);
  timer.unref();
  const subscription = options.notices?.subscribe((seq) => {
    if (seq === undefined || seq > indexes.position) trigger();
  });
  return {
    get listening() {
      return subscription?.listening;
    },
    close: async () => {
      clearInterval(timer);
      await subscription?.close();
      await running;
    },
  };
}
