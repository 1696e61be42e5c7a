import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** The pdf-parse module (pdf.js underneath), as {@link loadPdfParse} returns it. */
export type PdfParseModule = typeof import("pdf-parse");

// Captured when this module is evaluated, i.e. before pdf.js can have replaced them.
const NATIVE_PUSH = Array.prototype.push;
const NATIVE_JSON_PARSE = JSON.parse;

// Module state on purpose: it mirrors state that is the process's, not a caller's (Node's module registry, the natives
// pdf.js patches, `globalThis.pdfjsWorker`), so two owners could only disagree about it.
let loading: Promise<PdfParseModule> | undefined;

/**
 * pdf-parse, loaded on the first PDF rather than at start-up (importing pdf.js costs ~0.1–0.2 s that a process
 * which never sees a PDF should not pay), with pdf.js's side effects on the rest of the process undone:
 *
 * - pdf.js's Node ("legacy") build bundles core-js, which replaces `Array.prototype.push` and `JSON.parse`
 *   process-wide with JavaScript polyfills (for spec corners Node 20 gets wrong and pdf.js never relies on). Every
 *   `push` in the process, retrieval included, becomes ~3× slower. The natives are put back once pdf.js is loaded.
 * - core-js probes `new Error().stack` while it initialises; with source maps enabled (tsx enables them) that makes
 *   Node parse the multi-megabyte source maps of pdf.js, ~0.3 s per bundle. They are switched off meanwhile.
 * - pdf.js's worker half is loaded now, not during the first parse, so that both points above cover it too.
 */
export function loadPdfParse(): Promise<PdfParseModule> {
  loading ??= loadQuietly();
  return loading;
}

async function loadQuietly(): Promise<PdfParseModule> {
  const sourceMaps = process.sourceMapsEnabled;
  if (sourceMaps) process.setSourceMapsEnabled(false);
  try {
    const lib = await import("pdf-parse");
    await preloadWorker();
    return lib;
  } finally {
    if (sourceMaps) process.setSourceMapsEnabled(true);
    restoreNatives();
  }
}

/**
 * In Node, pdf.js runs its "worker" on the main thread and takes it from `globalThis.pdfjsWorker` when set
 * (its documented hook), else imports it on the first document. Resolved from pdf-parse's own pdfjs-dist.
 */
async function preloadWorker(): Promise<void> {
  try {
    const fromPdfParse = createRequire(import.meta.resolve("pdf-parse"));
    const worker: unknown = await import(pathToFileURL(fromPdfParse.resolve("pdfjs-dist/legacy/build/pdf.worker.mjs")).href);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  } catch {
    // Layout changed: pdf.js then loads its worker itself on the first parse (slower, still correct).
  }
}

/** Puts back the natives pdf.js's polyfills replaced; called after loading and after every parse (two comparisons). */
export function restoreNatives(): void {
  if (Array.prototype.push !== NATIVE_PUSH) Array.prototype.push = NATIVE_PUSH;
  if (JSON.parse !== NATIVE_JSON_PARSE) JSON.parse = NATIVE_JSON_PARSE;
}
