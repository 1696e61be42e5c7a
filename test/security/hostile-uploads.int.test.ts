// Hostile uploads against the service running as its own process: decompression bombs (gzip, zip, a PDF whose
// FlateDecode stream inflates to ~600 MB), deep nesting (HTML 200,000 deep, a deeply nested JSON ticket export), and
// concurrent large multipart uploads (finding 7, smaller). Each must end in a clear 4xx at upload or a failed job with
// a clear reason that is never retried; the process stays up and /healthz keeps answering within 2 s.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deepHtml, deepTicketsJson, flateBombPdf, gzipBomb, zipBomb } from "../support/hostile-files.js";
import { healthProbe, spawnSecServer, type ChildServer } from "./child-server.js";
import { call, expectProblem, form, jobIds, KEY } from "./harness.js";

const MIB = 1024 * 1024;
const HOSTILE_ENV = { MAX_FILE_BYTES: String(50 * MIB), PARSE_TIMEOUT_MS: "20000" };
// A heap cap on the server process: a bomb that the parse does not bound kills it sooner (and the machine is spared).
const NODE_ARGS = ["--max-old-space-size=1536"];

interface Outcome {
  status: number;
  job?: Record<string, unknown>;
}

/**
 * Uploads `bytes` as `name` to manuals and follows it to the end: a 4xx problem with the store unchanged, or a job
 * that must fail (never `delayed` = retried) within `timeoutMs`, with the server alive and /healthz fast throughout.
 */
async function uploadHostile(srv: ChildServer, name: string, bytes: Buffer, timeoutMs: number, content: string[]): Promise<Outcome> {
  const probe = healthProbe(srv.url);
  let outcome: Outcome | undefined;
  let failure: unknown;
  try {
    outcome = await uploadAndFollow(srv, name, bytes, timeoutMs, content);
  } catch (err) {
    failure = err;
  }
  const stats = await probe.stop();
  const health = `server alive: ${srv.alive()} ${JSON.stringify(srv.exit() ?? {})}; /healthz probes ${stats.probes}, failed ${stats.failures}, slowest ${stats.maxMs} ms`;
  if (failure) throw new Error(`${failure instanceof Error ? failure.message : String(failure)}\n${health}\n${srv.alive() ? "" : srv.output().slice(-1500)}`);
  expect(srv.alive(), health).toBe(true);
  expect(stats.failures, health).toBe(0);
  expect(stats.maxMs, health).toBeLessThan(2000);
  return outcome as Outcome;
}

async function uploadAndFollow(srv: ChildServer, name: string, bytes: Buffer, timeoutMs: number, content: string[]): Promise<Outcome> {
  const before = srv.dump();
  const res = await call(srv.url, "POST", "/documents?collection=manuals", { key: KEY.ops, form: form([[name, bytes]], { collection: "manuals" }), timeoutMs: 30_000 });
  if (res.status !== 202) {
    expectProblem(res, res.status);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(srv.dump()).toEqual(before);
    return { status: res.status };
  }
  const [id] = jobIds(res);
  const job = await followJob(srv, id!, timeoutMs);
  expect(job["state"], JSON.stringify(job).slice(0, 500)).toBe("failed");
  const error = String(job["error"] ?? "");
  expect(error, "the job error names the file").toContain(name);
  for (const c of content) expect(error, "the job error never quotes the document").not.toContain(c);
  expect(Number(job["attempts"] ?? 1), "never retried").toBeLessThanOrEqual(1);
  return { status: 202, job };
}

/** Polls the job until completed/failed; a job seen `delayed`, or waiting again after an attempt, was retried. */
async function followJob(srv: ChildServer, id: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (!srv.alive()) throw new Error(`server died while the job ran: ${JSON.stringify(srv.exit())}\n${srv.output().slice(-2000)}`);
    const res = await call(srv.url, "GET", `/jobs/${id}`, { key: KEY.ops, timeoutMs: 5_000 }).catch((err: unknown) => {
      throw new Error(`job poll failed (${String(err)}); server alive: ${srv.alive()}\n${srv.output().slice(-2000)}`);
    });
    const job = res.body ?? {};
    const state = job["state"];
    if (state === "completed" || state === "failed") return job;
    if (state === "delayed" || (state === "waiting" && Number(job["attempts"] ?? 0) > 0)) {
      throw new Error(`the job is retried as if the failure were transient: ${JSON.stringify(job).slice(0, 500)}`);
    }
    if (Date.now() > end) throw new Error(`job did not end in ${timeoutMs} ms: ${JSON.stringify(job).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One service child process for the calling describe's tests (started before them, closed after them). */
function useChildServer(env: Record<string, string>): () => ChildServer {
  let srv: ChildServer | undefined;
  beforeAll(async () => {
    srv = await spawnSecServer(env, NODE_ARGS);
  }, 30_000);
  afterAll(async () => {
    await srv?.close();
  });
  return () => {
    if (!srv) throw new Error("the service child is not started");
    return srv;
  };
}

describe("zip and gzip bombs, deep nesting", () => {
  const server = useChildServer(HOSTILE_ENV);

  it("a gzip of 200 MB of zeros named .txt.gz → 4xx or a failed job; server up", async () => {
    await uploadHostile(server(), "manual.txt.gz", await gzipBomb(), 20_000, []);
  }, 40_000);

  it("a zip whose entry inflates to 200 MB → 4xx or a failed job; server up", async () => {
    await uploadHostile(server(), "manual.zip", await zipBomb(), 20_000, []);
  }, 40_000);

  it("HTML nested 200,000 deep → 4xx or a failed, non-retried job naming the file; server up", async () => {
    await uploadHostile(server(), "deep.html", deepHtml(200_000), 20_000, ["The fan is blocked"]);
  }, 40_000);

  it("a JSON ticket export nested 100,000 deep → 4xx or a failed, non-retried job naming the file; server up", async () => {
    await uploadHostile(server(), "deep-tickets.json", deepTicketsJson(100_000), 20_000, ["The fan is loud"]);
  }, 40_000);
});

describe("flate bomb PDF (finding 5, over HTTP)", () => {
  const server = useChildServer(HOSTILE_ENV);

  it("a 0.6 MB PDF inflating to ~600 MB → a failed job with a clear reason, never retried; server up, /healthz < 2 s", async () => {
    const pdf = await flateBombPdf(600 * MIB);
    expect(pdf.length).toBeLessThan(2 * MIB);
    await uploadHostile(server(), "bomb.pdf", pdf, 45_000, ["Flate bomb test page"]);
    // Still serving real work afterwards.
    expect((await call(server().url, "GET", "/documents?collection=manuals", { key: KEY.ops })).status).toBe(200);
  }, 90_000);
});

/** Streams a multipart body of `files` × `fileBytes` of text then one ELF file, without holding it in memory. */
function streamedUpload(url: string, files: number, fileBytes: number): Promise<{ status: number; text: string }> {
  const boundary = "secsuite-stream";
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method: "POST", path: "/documents?collection=manuals", headers: { authorization: `Bearer ${KEY.ops}`, "content-type": `multipart/form-data; boundary=${boundary}` }, timeout: 60_000 },
      (res) => {
        let text = "";
        res.on("data", (b: Buffer) => (text += b.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("upload timed out")));
    const block = Buffer.alloc(MIB, "a");
    const write = async (b: Buffer | string) => {
      if (!req.write(b)) await new Promise((r) => req.once("drain", r));
    };
    void (async () => {
      for (let f = 0; f < files; f++) {
        await write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big-${f}.txt"\r\nContent-Type: text/plain\r\n\r\n`);
        for (let left = fileBytes; left > 0; left -= MIB) await write(left >= MIB ? block : block.subarray(0, left));
        await write("\r\n");
      }
      const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
      await write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tool.pdf"\r\n\r\n`);
      await write(elf);
      await write(`\r\n--${boundary}--\r\n`);
      req.end();
    })().catch(reject);
  });
}

describe("uploads are streamed to disk (finding 7, smaller)", () => {
  const server = useChildServer({ MAX_FILE_BYTES: String(45 * MIB) });

  it("two concurrent uploads of 4 × 40 MB grow the server's peak RSS by less than 150 MB; rejected, nothing kept", async () => {
    const before = server().dump();
    const start = server().rssMb();
    const results = await Promise.all([streamedUpload(server().url, 4, 40 * MIB), streamedUpload(server().url, 4, 40 * MIB)]);
    for (const r of results) {
      expect(r.status, r.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(JSON.parse(r.text)).toMatchObject({ status: r.status });
    }
    const grown = server().rssMb().peak - start.now;
    expect(grown, `peak RSS grew by ${Math.round(grown)} MB (from ${Math.round(start.now)} MB)`).toBeLessThan(150);
    expect(server().alive()).toBe(true);
    expect(server().dump()).toEqual(before);
  }, 60_000);
});
