import { loadConfig, type Config } from "../config.js";
import { AppError, errorMessage } from "../errors.js";

/**
 * Shared entry for command-line scripts: parses config once, runs, and turns any error into a one-line message
 * on stderr with a non-zero exit code (2 for usage and input errors, 1 otherwise).
 */
export async function runCli(main: (config: Config, argv: string[]) => Promise<number | void>): Promise<void> {
  try {
    const config = loadConfig();
    const code = await main(config, process.argv.slice(2));
    process.exitCode = code ?? 0;
  } catch (err) {
    const prefix = err instanceof AppError ? `error (${err.code})` : "error";
    process.stderr.write(`${prefix}: ${errorMessage(err)}\n`);
    process.exitCode = err instanceof UsageError || (err instanceof AppError && err.status < 500) ? 2 : 1;
  }
}

/** Bad command-line arguments. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
