// The behaviour every lease (src/ports/lease.ts, awaited) must share, run against each backend.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SharedLease } from "../../src/ports/lease.js";
import type { StateUnderTest } from "./state-harness.js";

export function describeLease(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`${name}: lease conformance`, () => {
    let subject: StateUnderTest;
    let lease: SharedLease;
    beforeEach(async () => {
      subject = await create();
      lease = subject.lease;
    });
    afterEach(async () => {
      await subject.close();
    });

    it("one holder at a time; renew extends, release frees, the holder re-acquires", async () => {
      expect(await lease.holder("first-start")).toBeUndefined();
      expect(await lease.acquire("first-start", "A", 10_000)).toBe(true);
      expect(await lease.acquire("first-start", "B", 10_000)).toBe(false);
      expect(await lease.acquire("first-start", "A", 10_000)).toBe(true);
      expect(await lease.holder("first-start")).toBe("A");
      expect(await lease.renew("first-start", "A", 10_000)).toBe(true);
      expect(await lease.renew("first-start", "B", 10_000)).toBe(false);
      await lease.release("first-start", "B");
      expect(await lease.holder("first-start")).toBe("A");
      await lease.release("first-start", "A");
      expect(await lease.holder("first-start")).toBeUndefined();
      expect(await lease.renew("first-start", "A", 10_000)).toBe(false);
      expect(await lease.acquire("first-start", "B", 10_000)).toBe(true);
      // Names are independent.
      expect(await lease.acquire("other", "A", 10_000)).toBe(true);
    });

    it("an expired lease is free for another holder, and its old holder can no longer renew it", async () => {
      expect(await lease.acquire("first-start", "A", 50)).toBe(true);
      await new Promise((r) => setTimeout(r, 120));
      expect(await lease.holder("first-start")).toBeUndefined();
      expect(await lease.renew("first-start", "A", 10_000)).toBe(false);
      expect(await lease.acquire("first-start", "B", 10_000)).toBe(true);
      expect(await lease.holder("first-start")).toBe("B");
    });

    it("of many concurrent claims exactly one wins", async () => {
      const won = await Promise.all(Array.from({ length: 8 }, (_, i) => lease.acquire("race", `H${i}`, 10_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
