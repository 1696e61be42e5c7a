import { describe, expect, it } from "vitest";
import { DependencyUnavailableError, InvalidInputError, TransientError, isConnectionError } from "../../src/errors.js";
import { describeError } from "../../src/http/problem.js";
import { refuseWritesWhileDown } from "../../src/http/middleware/dependency-guard.js";

describe("dependency outages as problems", () => {
  it("tells lost connections (socket codes, PostgreSQL connection SQLSTATEs, client messages, wrapped causes) from bugs", () => {
    expect(isConnectionError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(new TransientError("rate limiter: redis failed", { cause: new Error("Connection is closed.") }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('relation "chunks" does not exist'), { code: "42P01" }))).toBe(false);
    expect(isConnectionError(new Error("boom"))).toBe(false);
  });

  it("maps an outage to 503 dependency-unavailable with Retry-After; a bug stays an internal 500, bad input its 4xx", () => {
    const named = describeError(new DependencyUnavailableError(["postgres"]));
    expect(named).toMatchObject({ status: 503, code: "dependency-unavailable", internal: false, headers: { "Retry-After": "5" } });
    expect(named.details).toMatchObject({ dependencies: ["postgres"] });
    const midRequest = describeError(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    expect(midRequest).toMatchObject({ status: 503, code: "dependency-unavailable", internal: false });
    expect(describeError(new Error("boom"))).toMatchObject({ status: 500, internal: true });
    expect(describeError(new InvalidInputError("Connection terminated unexpectedly in the title"))).toMatchObject({ status: 400 });
  });
});

describe("writes refused while a dependency is down", () => {
  const outcome = (method: string, path: string, down: readonly string[]): unknown => {
    let passed: unknown = "not called";
    const req = { method, path } as unknown as Parameters<ReturnType<typeof refuseWritesWhileDown>>[0];
    refuseWritesWhileDown(() => down)(req, {} as Parameters<ReturnType<typeof refuseWritesWhileDown>>[1], (err?: unknown) => { passed = err; });
    return passed;
  };

  it("refuses every write route (documents, curated, feedback, reviews of proposals) and passes reads and answers", () => {
    for (const [method, path] of [["POST", "/documents"], ["PUT", "/documents/a.md"], ["DELETE", "/documents/a.md"], ["POST", "/curated"],
      ["POST", "/feedback"], ["POST", "/review/proposals/7/accept"], ["POST", "/review/proposals/7/dismiss"]] as const) {
      expect(outcome(method, path, ["postgres"]), `${method} ${path}`).toBeInstanceOf(DependencyUnavailableError);
      expect(outcome(method, path, []), `${method} ${path} when all is up`).toBeUndefined();
    }
    expect(outcome("POST", "/answer", ["postgres"])).toBeUndefined();
    expect(outcome("GET", "/documents", ["postgres"])).toBeUndefined();
    expect(outcome("GET", "/review/proposals", ["postgres"])).toBeUndefined();
  });
});
