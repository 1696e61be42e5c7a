import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { openEngine } from "../src/container.js";
import { runCli, UsageError } from "../src/cli/run-cli.js";
import { NotFoundError } from "../src/errors.js";
import type { StoredDocument } from "../src/domain/document.js";

const USAGE =
  "usage: npm run docs -- list [--collection NAME] [--status S] [--json] | show ID [--collection NAME] [--json] | delete ID [--collection NAME]";
const COLLECTION_RE = /^[\w.-]{1,64}$/;

/** `npm run docs`: list, inspect and delete documents in DATA_DIR. */
await runCli(async (config, argv) => {
  const { values, positionals } = parse(argv);
  const [command, id] = positionals;
  if (command !== "list" && command !== "show" && command !== "delete") throw new UsageError(USAGE);
  if (command !== "list" && !id) throw new UsageError(`${command} needs a document id\n${USAGE}`);
  if (values.collection !== undefined && !COLLECTION_RE.test(values.collection)) {
    throw new UsageError(`invalid --collection '${values.collection}': 1-64 letters, digits, '_', '.', '-'\n${USAGE}`);
  }
  // A document is (collection, id): show and delete act on DEFAULT_COLLECTION unless told otherwise.
  const collection = values.collection ?? config.DEFAULT_COLLECTION;
  const engine = await openEngine(config);
  // Ids with personal data are stored as their keyed HMAC: the original id given here still finds the document.
  const storedId = id === undefined ? "" : engine.documentIds.toStored(id);
  try {
    if (command === "list") {
      const docs = await engine.store.listDocuments({
        limit: 1_000_000,
        ...(values.collection ? { collection: values.collection } : {}),
        ...(values.status ? { status: values.status } : {}),
      });
      write(values.json ? JSON.stringify(docs.map(summary)) : table(docs));
    } else if (command === "show") {
      const doc = await engine.store.getDocument(collection, storedId);
      if (!doc) throw new NotFoundError("document", `${collection}/${id!}`);
      write(values.json ? JSON.stringify(doc) : Object.entries(doc).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join("\n"));
    } else {
      if (!(await engine.store.deleteDocument(collection, storedId))) throw new NotFoundError("document", `${collection}/${id!}`);
      await engine.store.recordAudit({ at: new Date().toISOString(), keyName: `cli:${cliUser()}`, action: "delete", collection, documentId: storedId });
      await engine.indexes.catchUp();
      write(`deleted ${collection}/${id}`);
    }
  } finally {
    await engine.close();
  }
});

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "boolean" }, collection: { type: "string" }, status: { type: "string" } } });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
}

/** Who ran the command, for the audit log (the OS user; "unknown" where it cannot be read). */
function cliUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function summary(d: StoredDocument) {
  return { id: d.id, title: d.title, status: d.status, chunks: d.chunkCount, collection: d.collection, sourceType: d.sourceType, updatedAt: d.updatedAt };
}

function table(docs: StoredDocument[]): string {
  const rows = docs.map((d) => [d.id, d.status, String(d.chunkCount), d.collection, d.title.slice(0, 50)]);
  const header = ["id", "status", "chunks", "collection", "title"];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((c, i) => (i < r.length - 1 ? c.slice(0, widths[i]).padEnd(widths[i]!) : c)).join("  ");
  return [fmt(header), ...rows.map(fmt), `${docs.length} document(s)`].join("\n");
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}
