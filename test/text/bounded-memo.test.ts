import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/text/bounded-memo.js";

describe("BoundedMemo", () => {
  it("computes once per key and drops the least recently used beyond its capacity", () => {
    const memo = new BoundedMemo<string>(2);
    const calls: string[] = [];
    const get = (k: string): string => memo.get(k, () => (calls.push(k), k.toUpperCase()));
    expect(get("a")).toBe("A");
    expect(get("b")).toBe("B");
    expect(get("a")).toBe("A");
    expect(get("c")).toBe("C");
    expect(memo.size).toBe(2);
    expect(get("a")).toBe("A");
    expect(get("b")).toBe("B");
    expect(calls).toEqual(["a", "b", "c", "b"]);
  });

  it("with capacity 0 computes every time", () => {
    const memo = new BoundedMemo<number>(0);
    let n = 0;
    memo.get("a", () => ++n);
    memo.get("a", () => ++n);
    expect(n).toBe(2);
    expect(memo.size).toBe(0);
  });
});
