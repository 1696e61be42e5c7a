import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchFootprint } from "./footprint.js";
import { benchHttp } from "./http-bench.js";

/**
 * The serving figures alone (cold start, memory per chunk, disk, then `/answer` over HTTP with one and with N serving
 * processes) on a bench work directory kept from an earlier run (`npm run bench -- --keep`): at 1M chunks the ingest
 * takes most of an hour, and these figures can then be taken again on a quiet machine without repeating it.
 *
 * usage: tsx scripts/bench/serve-only.ts WORK_DIR SIZE [--http-seconds S] [--http-questions N] [--http-processes N] [--json FILE]
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    "http-seconds": { type: "string", default: "20" },
    "http-questions": { type: "string", default: "1000" },
    "http-processes": { type: "string", default: "2" },
    json: { type: "string" },
  },
});
const [workDir, size] = positionals;
if (!workDir || !size || !/^\d+$/.test(size)) {
  process.stderr.write("usage: tsx scripts/bench/serve-only.ts WORK_DIR SIZE [--http-seconds S] [--http-questions N] [--http-processes N] [--json FILE]\n");
  process.exit(2);
}
const dataDir = join(workDir, `data-${size}`);
const questionsFile = join(workDir, `questions-${size}.json`);
const warmFile = join(workDir, `questions-${size}-warm.json`);
for (const path of [dataDir, questionsFile, warmFile, join(workDir, "empty")]) {
  if (!existsSync(path)) {
    process.stderr.write(`serve-only: ${path} is missing (keep a bench work directory with --keep)\n`);
    process.exit(2);
  }
}
const log = (m: string): void => void process.stderr.write(`[serve-only] ${m}\n`);
const footprint = await benchFootprint(dataDir, warmFile, join(workDir, "empty"));
log(`cold start ${footprint.coldStartMs} ms (open ${footprint.openMs} ms, CPU until ready ${footprint.coldStartCpuMs} ms), ${footprint.rssPerChunkBytes} B/chunk anon RSS beyond an empty engine, ${footprint.diskBytesPerChunk} B/chunk disk, ${footprint.chunks} chunks`);
const seconds = Number(values["http-seconds"]);
const distinct = Number(values["http-questions"]);
const processes = Number(values["http-processes"]);
const one = await benchHttp(dataDir, questionsFile, distinct, seconds);
log(`/answer, 1 process: ${one.requestsPerSecond} req/s, p50 ${one.latency?.p50} / p95 ${one.latency?.p95} ms`);
const many = processes > 1 ? await benchHttp(dataDir, questionsFile, distinct, seconds, 8, processes) : undefined;
if (many) log(`/answer, ${processes} processes: ${many.requestsPerSecond} req/s, p50 ${many.latency?.p50} / p95 ${many.latency?.p95} ms`);
const result = { size: Number(size), date: new Date().toISOString(), footprint, http: one, ...(many ? { httpProcesses: many } : {}) };
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
