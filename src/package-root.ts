import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "groundline";

/**
 * The directory holding groundline's package.json, found by walking up from this module. The same answer whether
 * the code runs from its TypeScript sources (`src/`, under tsx or vitest) or compiled (`dist/src/`, `npm start`),
 * so files shipped beside the code (`corpora/`) are found from either. Found afresh on every call (a few small reads;
 * callers ask at start-up), so the module keeps no state.
 */
export function packageRoot(): string {
  return findPackageRoot(dirname(fileURLToPath(import.meta.url)));
}

/** The nearest directory at or above `start` whose package.json is groundline's. */
export function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isOurPackage(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${start}`);
  }
}

function isOurPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
