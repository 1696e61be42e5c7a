import { describe, expect, it } from "vitest";
import { AggregatorRegistry, Counter, Registry } from "prom-client";
import { TransientError } from "../../src/errors.js";
import { PrimaryChannel, toPrimary, type ToPrimary } from "../../src/server/cluster-ipc.js";

/** A serving process's channel whose messages to the primary are collected (and checked against the protocol). */
function channel(): { channel: PrimaryChannel; sent: ToPrimary[] } {
  const sent: ToPrimary[] = [];
  return { channel: new PrimaryChannel((m) => void sent.push(toPrimary.parse(m))), sent };
}

describe("PrimaryChannel (a serving process's side of the cluster IPC)", () => {
  it("asks the primary for rate-limit decisions and matches replies by id", async () => {
    const { channel: c, sent } = channel();
    const limiter = c.rateLimiter("widget", 30);
    const first = limiter.hit("widget:site:ip:1.2.3.4");
    const second = limiter.hit("widget:site:ip:5.6.7.8");
    expect(sent).toEqual([
      { type: "groundline:rate-limit", id: 0, limiter: "widget", key: "widget:site:ip:1.2.3.4" },
      { type: "groundline:rate-limit", id: 1, limiter: "widget", key: "widget:site:ip:5.6.7.8" },
    ]);
    c.receive({ type: "groundline:rate-limit-result", id: 1, decision: { allowed: false, remaining: 0, resetMs: 100 } });
    c.receive({ type: "groundline:rate-limit-result", id: 0, decision: { allowed: true, remaining: 29, resetMs: 100 } });
    expect(await first).toEqual({ allowed: true, remaining: 29, resetMs: 100 });
    expect(await second).toEqual({ allowed: false, remaining: 0, resetMs: 100 });
    expect(limiter.limit).toBe(30);
  });

  it("ignores malformed messages; a primary that never answers fails the call as transient", async () => {
    const { channel: c } = channel();
    const hit = c.rateLimiter("main", 5).hit("key:bot");
    c.receive({ type: "groundline:rate-limit-result", id: 0, decision: { allowed: "yes" } });
    c.receive("hello");
    await expect(hit).rejects.toBeInstanceOf(TransientError);
  });

  it("a primary reporting an error fails the call; close() fails what is still waiting", async () => {
    const { channel: c } = channel();
    const hit = c.rateLimiter("main", 5).hit("key:bot");
    c.receive({ type: "groundline:rate-limit-result", id: 0, error: "no main rate limit" });
    await expect(hit).rejects.toThrow(/no main rate limit/);
    const metrics = c.clusterMetrics();
    c.close();
    await expect(metrics).rejects.toThrow(/primary is gone/);
  });

  it("reports its registry as plain data the primary can sum with another process's", async () => {
    const parts: unknown[] = [];
    for (const served of [3, 4]) {
      const { channel: c, sent } = channel();
      const registry = new Registry();
      new Counter({ name: "served_total", help: "h", registers: [registry] }).inc(served);
      c.serveMetrics(registry);
      c.receive({ type: "groundline:metrics-collect", id: 7 });
      await new Promise((r) => setTimeout(r, 10));
      const part = sent.find((m) => m.type === "groundline:metrics-part");
      expect(part?.id).toBe(7);
      parts.push(part?.type === "groundline:metrics-part" ? part.metrics : []);
    }
    const text = await AggregatorRegistry.aggregate(parts as object[]).metrics();
    expect(text).toMatch(/^served_total 7$/m);
  });
});
