import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { openEngine, type Engine } from "../../src/container.js";

/** A config for tests: a fresh temporary DATA_DIR and the embedded defaults, plus overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), "groundline-test-"));
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: "silent", ...overrides });
}

export async function openTestEngine(overrides: Record<string, string> = {}): Promise<{ engine: Engine; config: Config; cleanup: () => Promise<void> }> {
  const config = testConfig(overrides);
  const engine = await openEngine(config);
  return {
    engine,
    config,
    cleanup: async () => {
      await engine.close().catch(() => undefined);
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}
