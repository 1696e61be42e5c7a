import { z } from "zod";
import type { Registry } from "prom-client";
import { TransientError } from "../errors.js";
import type { RateLimitDecision, RateLimiter } from "../http/rate-limiter.js";

/**
 * The messages between the cluster primary and its serving processes (node:cluster IPC). Every message is
 * validated on arrival: IPC is a boundary like any other.
 */
export const LIMITERS = ["main", "widget"] as const;
export type LimiterName = (typeof LIMITERS)[number];

const decision = z.object({ allowed: z.boolean(), remaining: z.number().int().nonnegative(), resetMs: z.number().nonnegative() });
/** A metric as `registry.getMetricsAsJSON()` produces it; only the fields aggregation reads are checked. */
const metricJson = z.looseObject({ name: z.string(), help: z.string(), type: z.string(), values: z.array(z.unknown()) });

/** Serving process → primary. */
export const toPrimary = z.discriminatedUnion("type", [
  z.object({ type: z.literal("groundline:listening"), url: z.string() }),
  z.object({ type: z.literal("groundline:rate-limit"), id: z.number().int(), limiter: z.enum(LIMITERS), key: z.string() }),
  z.object({ type: z.literal("groundline:metrics"), id: z.number().int() }),
  z.object({ type: z.literal("groundline:metrics-part"), id: z.number().int(), metrics: z.array(metricJson) }),
]);
export type ToPrimary = z.infer<typeof toPrimary>;

/** Primary → serving process. */
export const toWorker = z.discriminatedUnion("type", [
  z.object({ type: z.literal("groundline:rate-limit-result"), id: z.number().int(), decision: decision.optional(), error: z.string().optional() }),
  z.object({ type: z.literal("groundline:metrics-collect"), id: z.number().int() }),
  z.object({ type: z.literal("groundline:metrics-result"), id: z.number().int(), text: z.string().optional(), error: z.string().optional() }),
]);
export type ToWorker = z.infer<typeof toWorker>;

/** How long a serving process waits for the primary before treating the call as failed. */
const IPC_TIMEOUT_MS = 2000;

interface Pending {
  resolve(message: ToWorker): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The serving process's side of the IPC: asks the primary for rate-limit decisions and summed metrics, and hands
 * its own registry to the primary when collecting. One per serving process.
 */
export class PrimaryChannel {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private registry: Registry | undefined;

  constructor(private readonly send: (message: ToPrimary) => void) {}

  /** Feeds one message from the primary (process.on("message")); anything else on the channel is ignored. */
  receive(raw: unknown): void {
    const parsed = toWorker.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === "groundline:metrics-collect") {
      void this.reportMetrics(message.id);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    waiting.resolve(message);
  }

  /** The registry this process reports when the primary collects metrics. */
  serveMetrics(registry: Registry): void {
    this.registry = registry;
  }

  announceListening(url: string): void {
    this.send({ type: "groundline:listening", url });
  }

  /** A rate limiter whose windows live in the primary: every serving process counts against one budget. */
  rateLimiter(limiter: LimiterName, limit: number): RateLimiter {
    return {
      limit,
      hit: async (key: string): Promise<RateLimitDecision> => {
        const reply = await this.call((id) => ({ type: "groundline:rate-limit", id, limiter, key }));
        if (reply.type !== "groundline:rate-limit-result" || !reply.decision) throw new TransientError(`rate limiter: ${reply.type === "groundline:rate-limit-result" ? reply.error : "bad reply"}`);
        return reply.decision;
      },
    };
  }

  /** Prometheus text summed over every serving process (the primary collects and aggregates). */
  async clusterMetrics(): Promise<string> {
    const reply = await this.call((id) => ({ type: "groundline:metrics", id }), 10_000);
    if (reply.type !== "groundline:metrics-result" || reply.text === undefined) throw new TransientError(`metrics: ${reply.type === "groundline:metrics-result" ? reply.error : "bad reply"}`);
    return reply.text;
  }

  /** Fails every call still waiting (the primary went away). */
  close(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new TransientError("the cluster primary is gone"));
      this.pending.delete(id);
    }
  }

  private call(build: (id: number) => ToPrimary, timeoutMs = IPC_TIMEOUT_MS): Promise<ToWorker> {
    const id = this.nextId++;
    return new Promise<ToWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TransientError(`the cluster primary did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.send(build(id));
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new TransientError("the cluster primary is unreachable", { cause: err }));
      }
    });
  }

  private async reportMetrics(id: number): Promise<void> {
    const metrics = this.registry ? await this.registry.getMetricsAsJSON() : [];
    // Plain data only (no collect functions); `type` is the exposition name ("counter") at run time.
    const parts = metrics.map((m) => ({ name: m.name, help: m.help, type: String(m.type), aggregator: m.aggregator, values: [...m.values] }));
    this.send({ type: "groundline:metrics-part", id, metrics: parts });
  }
}
