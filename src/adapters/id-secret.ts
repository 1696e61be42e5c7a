import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";

/**
 * The key for document-id HMACs: ID_HMAC_SECRET when configured, else a random one generated once into
 * `DATA_DIR/secret` (mode 0600). Written to a private temp file and hard-linked into place, so two processes starting
 * together agree on one key and neither ever reads a half-written file.
 */
export function loadIdSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, "secret");
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 16) throw new ConfigError(`${file} holds no usable secret (16+ characters); remove it to generate a new one`);
  return secret;
}
