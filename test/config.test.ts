import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";

describe("config", () => {
  it("uses the embedded defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.EMBEDDER).toBe("local");
    expect(c.ANSWER_COMPOSER).toBe("extractive");
    expect(c.DATA_DIR).toBe("./data");
  });

  it("fails fast naming the variable", () => {
    expect(() => loadConfig({ PORT: "http" })).toThrowError(/PORT/);
    expect(() => loadConfig({ EMBEDDER: "magic" })).toThrowError(/EMBEDDER/);
    expect(() => loadConfig({ REDIS_URL: "localhost:6379" })).toThrowError(ConfigError);
  });

  it("never switches the embedder just because an API key is set", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).EMBEDDER).toBe("local");
    expect(() => loadConfig({ EMBEDDER: "openai" })).toThrowError(/OPENAI_API_KEY/);
  });

  it("API_PROCESSES: one serving process per core by default, 1 for a single process, at least 1", () => {
    expect(loadConfig({}).API_PROCESSES).toBe(availableParallelism());
    expect(loadConfig({ API_PROCESSES: "1" }).API_PROCESSES).toBe(1);
    expect(() => loadConfig({ API_PROCESSES: "0" })).toThrowError(/API_PROCESSES/);
    expect(() => loadConfig({ API_PROCESSES: "two" })).toThrowError(/API_PROCESSES/);
  });

  it("DATABASE_URL selects PostgreSQL: a postgres:// URL, only together with REDIS_URL", () => {
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    const c = loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres", REDIS_URL: "redis://127.0.0.1:6379" });
    expect([c.DATABASE_URL, c.DATABASE_SCHEMA, c.DATABASE_POOL_MAX]).toEqual(["postgres://postgres@127.0.0.1:5432/postgres", "groundline", 10]);
    expect(loadConfig({ DATABASE_URL: "postgresql://db/x", REDIS_URL: "redis://r", DATABASE_SCHEMA: "gl_two" }).DATABASE_SCHEMA).toBe("gl_two");
    expect(() => loadConfig({ DATABASE_URL: "postgres://db/x" })).toThrowError(/REDIS_URL/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://db/x", REDIS_URL: "redis://r" })).toThrowError(/DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://db/x", REDIS_URL: "redis://r", DATABASE_SCHEMA: "Bad-Name" })).toThrowError(/DATABASE_SCHEMA/);
  });

  it("treats blank values as unset", () => {
    expect(loadConfig({ PORT: " " }).PORT).toBe(3000);
  });
});
