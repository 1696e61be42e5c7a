import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import { HnswIndex } from "./hnsw-index.js";
import type { FromHost, HostSpec, ToHost } from "./hnsw-thread-protocol.js";

/**
 * The thread that owns one HNSW index (see hnsw-thread.ts): inserts run here, off the thread that serves requests.
 * Inserts, removes and saves run strictly in the order sent (a save never overlaps an insert: hnswlib writes its
 * file from another thread). Searches go first: inserts run in slices of INSERT_SLICE vectors and a search waiting
 * is answered between two slices, so a query never waits behind a long insert backlog.
 */
const INSERT_SLICE = 32;

const port = parentPort;
if (!port) throw new Error("hnsw-thread-host.ts runs as a worker thread only");
const spec = workerData as HostSpec;

const searches: Array<Extract<ToHost, { op: "search" }>> = [];
const ordered: Array<Exclude<ToHost, { op: "search" }>> = [];
let index: HnswIndex | undefined;
let busy = false;

function reply(msg: FromHost): void {
  port!.postMessage(msg);
}

function state(): { size: number; capacity: number } {
  return { size: index?.size ?? 0, capacity: index?.capacity ?? 0 };
}

async function start(): Promise<void> {
  try {
    index = spec.file ? await HnswIndex.load(spec.file, spec.dimensions, spec.options) : HnswIndex.create(spec.dimensions, spec.options);
    reply({ id: 0, ok: true, ...state(), ...(spec.file ? { keys: index.packedKeys() } : {}) });
  } catch (err) {
    reply({ id: 0, ok: false, ...state(), error: errorMessage(err), loadError: true });
    return;
  }
  port!.on("message", (msg: ToHost) => {
    if (msg.op === "search") searches.push(msg);
    else ordered.push(msg);
    schedule();
  });
}

function schedule(): void {
  if (busy) return;
  busy = true;
  setImmediate(() => void step().finally(() => {
    busy = false;
    if (searches.length > 0 || ordered.length > 0) schedule();
  }));
}

/** One unit of work: a waiting search, else the next slice of the oldest ordered request. */
async function step(): Promise<void> {
  const idx = index!;
  const search = searches.shift();
  if (search) {
    await answer(search.id, async () => ({ hits: await idx.search(search.query, search.k, search.filter) }));
    return;
  }
  const next = ordered[0];
  if (!next) return;
  if (next.op === "add" && next.entries.length > INSERT_SLICE) {
    // The rest stays queued; its reply (one per request) comes with its last slice.
    const slice = next.entries.splice(0, INSERT_SLICE);
    try {
      idx.add(slice);
    } catch (err) {
      ordered.shift();
      reply({ id: next.id, ok: false, ...state(), error: errorMessage(err) });
    }
    return;
  }
  ordered.shift();
  await answer(next.id, async () => {
    if (next.op === "add") idx.add(next.entries);
    else if (next.op === "remove") idx.remove(next.chunkIds);
    else await idx.save(next.file);
    return {};
  });
}

async function answer(id: number, run: () => Promise<Pick<Extract<FromHost, { ok: true }>, "hits">>): Promise<void> {
  try {
    const out = await run();
    reply({ id, ok: true, ...state(), ...out });
  } catch (err) {
    reply({ id, ok: false, ...state(), error: errorMessage(err) });
  }
}

void start();
