// Child process for the in-process queue's crash tests: runs a SqliteJobQueue runner whose processor prints
// "active <documentId>" and then never finishes, so the parent can SIGKILL it mid-job.
import { SqliteJobQueue } from "../../../src/adapters/sqlite-job-queue.js";

const [dataDir, leaseMs] = process.argv.slice(2);
if (!dataDir || !leaseMs) throw new Error("usage: sqlite-runner-child DATA_DIR LEASE_MS");
const queue = new SqliteJobQueue({ dataDir, pollMs: 50, leaseMs: Number(leaseMs) });
queue.start(async (data) => {
  process.stdout.write(`active ${data.documentId}\n`);
  return new Promise(() => undefined);
}, { concurrency: 1 });
// The runner's timers are unref'd (an API process's server keeps it alive): this child stays up until it is killed,
// even when its first claim finds the previous runner's lease not yet expired and it has to poll again.
setInterval(() => undefined, 60_000);
process.stdout.write("ready\n");
