import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DocumentRecord } from "../../src/ports/document-repository.js";
import type { TokenizedChunk } from "../prepare-protocol.js";
import type { IngestOutcome } from "../pipeline.js";
import { loaderLimits, sandboxError, type ParseLimits } from "./parse-limits.js";
import type { FromChild, SandboxRequest, SandboxSpec, ToChild } from "./sandbox-protocol.js";

/** How often the child's resident size is checked. */
const WATCH_INTERVAL_MS = 50;
/**
 * A child that parsed a file successfully is reused for the next one (forking a child costs 0.1–1 s, which would
 * dominate the ingestion of many small files), but only for this many files, only while its resident size stays
 * under a quarter of PARSE_MAX_RSS_MB, and only for IDLE_CHILD_MS of idleness. A child whose file failed, crashed or
 * timed out is always killed, so a file that leaves a parser in a bad state never reaches the next one.
 */
const FILES_PER_CHILD = 200;
const IDLE_CHILD_MS = 30_000;

/** A document's prepared chunks, with the vectors of its new chunks when the child could compute them. */
export interface SandboxedDocument {
  chunks: TokenizedChunk[];
  /** Vectors of the chunks whose hash was not known, in chunk order, one array per part; null: embed them here. */
  fresh: Float32Array[] | null;
}

/** A file's documents as loaded, the prepared chunks of those the plan asked for, and those the child wrote itself (by index). */
export interface SandboxedFile {
  records: DocumentRecord[];
  docs: Map<number, SandboxedDocument>;
  written: Map<number, IngestOutcome>;
}

/** Answers, in the serving process, which loaded documents are unchanged (null) and which chunk hashes have vectors. */
export type SandboxPlan = (records: DocumentRecord[]) => Promise<Array<string[] | null>>;

export interface ParseSandboxOptions {
  limits: ParseLimits;
  /** Id of the embedder whose vectors are stored (part of every document's content hash). */
  embedderId: string;
  /** The local embedder's options when the child should embed; absent for remote embedders. */
  embedder?: SandboxSpec["embedder"];
  redaction?: SandboxSpec["redaction"];
  /** How ids with personal data are mapped to their stored HMAC form (the engine's documentIds spec). */
  documentIds?: SandboxSpec["documentIds"];
  /** The store file: lets the child write documents too large to write here without blocking (see parse-child.ts). */
  storePath?: string;
}

/**
 * Runs the loading and parsing of untrusted files in a child process per file (parse-child.ts), with a V8 heap cap
 * (PARSE_MAX_HEAP_MB), a resident-size watchdog (PARSE_MAX_RSS_MB: inflated PDF streams live in ArrayBuffers the
 * heap cap does not bound) and a timeout (PARSE_TIMEOUT_MS). A child past a limit is killed; that file fails with a
 * permanent error naming it and the limit, and the serving process carries on untouched.
 */
export class ParseSandbox {
  private readonly children = new Set<ChildProcess>();
  private readonly idle: Array<{ child: ChildProcess; files: number; timer: NodeJS.Timeout }> = [];

  constructor(private readonly options: ParseSandboxOptions) {}

  /** Prepares one upload in a child; rejects with an UnsupportedDocumentError when the file cannot be parsed. */
  prepare(request: SandboxRequest, plan: SandboxPlan): Promise<SandboxedFile> {
    const { limits } = this.options;
    const { child, files } = this.acquire();
    const spec: SandboxSpec = {
      limits: loaderLimits(limits),
      embedderId: this.options.embedderId,
      ...(this.options.embedder ? { embedder: this.options.embedder } : {}),
      ...(this.options.redaction ? { redaction: this.options.redaction } : {}),
      ...(this.options.documentIds ? { documentIds: this.options.documentIds } : {}),
      ...(this.options.storePath ? { storePath: this.options.storePath } : {}),
    };
    return new Promise<SandboxedFile>((resolve, reject) => {
      const run = new ChildRun(child, request.fileName, limits, plan, (err, file) => {
        if (err) this.children.delete(child);
        else this.release(child, files + 1);
        if (err) reject(err);
        else resolve(file!);
      });
      run.start({ kind: "load", spec, request });
    });
  }

  /** Kills every child, running or idle (running jobs fail and are retried by their queue: nothing was written). */
  close(): void {
    for (const { timer } of this.idle.splice(0)) clearTimeout(timer);
    for (const child of this.children) child.kill("SIGKILL");
    this.children.clear();
  }

  /** An idle child still alive, or a new one. */
  private acquire(): { child: ChildProcess; files: number } {
    for (let next = this.idle.pop(); next; next = this.idle.pop()) {
      clearTimeout(next.timer);
      if (isAlive(next.child)) {
        setReferenced(next.child, true);
        return { child: next.child, files: next.files };
      }
      this.children.delete(next.child);
    }
    const entry = childEntry();
    const child = fork(entry.file, [], {
      execArgv: [...entry.execArgv, `--max-old-space-size=${this.options.limits.maxHeapMb}`],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.children.add(child);
    return { child, files: 0 };
  }

  /** Keeps a child that parsed its file for the next one, unless it is worn (files, memory) or not needed soon. */
  private release(child: ChildProcess, files: number): void {
    const rss = residentBytes(child.pid) ?? 0;
    if (!isAlive(child) || files >= FILES_PER_CHILD || rss > (this.options.limits.maxRssMb * 1024 * 1024) / 4) {
      this.retire(child);
      return;
    }
    setReferenced(child, false);
    const timer = setTimeout(() => {
      const i = this.idle.findIndex((e) => e.child === child);
      if (i >= 0) this.idle.splice(i, 1);
      this.retire(child);
    }, IDLE_CHILD_MS);
    timer.unref();
    this.idle.push({ child, files, timer });
  }

  private retire(child: ChildProcess): void {
    this.children.delete(child);
    if (isAlive(child)) child.kill("SIGKILL");
  }
}

/**
 * Whether the child keeps this process alive. An idle one must not, or a worker or API that closed everything else
 * would only exit when the idle timer retires it (IDLE_CHILD_MS). Its process handle, its IPC channel and its stderr
 * pipe are each an event-loop handle of their own: all three must be released.
 */
function setReferenced(child: ChildProcess, referenced: boolean): void {
  // stdio pipes are net.Sockets at runtime; ChildProcess types them as plain streams.
  const stderr = child.stderr as (typeof child.stderr & { ref?(): void; unref?(): void }) | null;
  if (referenced) {
    child.ref();
    child.channel?.ref();
    stderr?.ref?.();
  } else {
    child.unref();
    child.channel?.unref();
    stderr?.unref?.();
  }
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

/** One child's conversation, watchdog and timeout, settled exactly once. */
class ChildRun {
  private readonly file: SandboxedFile = { records: [], docs: new Map(), written: new Map() };
  private settled = false;
  private stderrTail = "";
  private readonly timer: NodeJS.Timeout;
  private readonly watch: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    private readonly fileName: string,
    private readonly limits: ParseLimits,
    private readonly plan: SandboxPlan,
    private readonly done: (err: Error | undefined, file?: SandboxedFile) => void,
  ) {
    this.timer = setTimeout(() => this.finish(sandboxError(fileName, `parsing took longer than ${limits.timeoutMs} ms (PARSE_TIMEOUT_MS)`)), limits.timeoutMs);
    this.watch = setInterval(() => this.checkMemory(), WATCH_INTERVAL_MS);
    child.stderr?.setEncoding("utf8").on("data", this.onStderr);
    child.on("message", this.onChildMessage);
    child.on("error", this.onError);
    // "close" comes after the IPC channel drained: a last message sent before exiting is handled first.
    child.on("close", this.onClose);
  }

  private readonly onStderr = (d: string): void => {
    this.stderrTail = (this.stderrTail + d).slice(-4000);
  };
  private readonly onChildMessage = (msg: FromChild): void => this.onMessage(msg);
  private readonly onError = (): void => this.finish(sandboxError(this.fileName, "the parser process could not run"));
  private readonly onClose = (code: number | null, signal: NodeJS.Signals | null): void => this.finish(this.crashError(code, signal));

  start(msg: ToChild): void {
    this.send(msg);
  }

  private onMessage(msg: FromChild): void {
    if (this.settled) return;
    switch (msg.kind) {
      case "loaded": {
        this.file.records = msg.records;
        // A plan that throws before returning its promise fails the run like one that rejects.
        new Promise<Array<string[] | null>>((resolve) => resolve(this.plan(msg.records))).then(
          (known) => { if (!this.settled) this.send({ kind: "plan", known }); },
          (err: unknown) => this.finish(err instanceof Error ? err : new Error(String(err))),
        );
        return;
      }
      case "chunks": {
        const doc = this.file.docs.get(msg.index) ?? { chunks: [], fresh: msg.fresh ? [] : null };
        for (const c of msg.chunks) doc.chunks.push(c);
        if (msg.fresh) doc.fresh?.push(msg.fresh);
        this.file.docs.set(msg.index, doc);
        return;
      }
      case "written":
        this.file.written.set(msg.index, msg.outcome);
        return;
      case "done":
        return this.finish(undefined);
      case "failed":
        return this.finish(sandboxError(this.fileName, msg.reason));
    }
  }

  private send(msg: ToChild): void {
    this.child.send(msg, (err) => {
      if (err) this.finish(sandboxError(this.fileName, "the parser process stopped before it received the file"));
    });
  }

  private checkMemory(): void {
    const rss = residentBytes(this.child.pid);
    if (rss !== undefined && rss > this.limits.maxRssMb * 1024 * 1024) {
      this.finish(sandboxError(this.fileName, `parsing used more than ${this.limits.maxRssMb} MB of memory (PARSE_MAX_RSS_MB)`));
    }
  }

  private crashError(code: number | null, signal: NodeJS.Signals | null): Error {
    if (/heap limit|heap out of memory/i.test(this.stderrTail)) {
      return sandboxError(this.fileName, `parsing ran out of memory (heap over ${this.limits.maxHeapMb} MB, PARSE_MAX_HEAP_MB)`);
    }
    return sandboxError(this.fileName, `the parser crashed (${signal ? `signal ${signal}` : `exit code ${code}`})`);
  }

  private finish(err: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    clearInterval(this.watch);
    // A successful child may serve the next file (see FILES_PER_CHILD): it no longer reports to this run.
    this.child.stderr?.off("data", this.onStderr);
    this.child.off("message", this.onChildMessage);
    this.child.off("error", this.onError);
    this.child.off("close", this.onClose);
    if (err && this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    this.done(err, err ? undefined : this.file);
  }
}

/**
 * The child's entry: parse-child.js next to this module when running compiled (dist/, `npm start`), else
 * parse-child.ts run through tsx (tests, `npm run dev`, the CLI), registered with --import as `node --import tsx`.
 */
function childEntry(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = fileURLToPath(new URL(`./parse-child${fromSource ? ".ts" : ".js"}`, import.meta.url));
  return { file, execArgv: fromSource ? ["--import", import.meta.resolve("tsx")] : [] };
}

/**
 * A process's resident anonymous memory from /proc (Linux): heap, ArrayBuffers, native allocations, but not the pages
 * of files it maps (the store it may write). Undefined elsewhere or once it is gone (the heap cap still holds).
 */
function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (/^RssAnon:\s+(\d+)\s+kB/m.exec(status) ?? /^VmRSS:\s+(\d+)\s+kB/m.exec(status))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
