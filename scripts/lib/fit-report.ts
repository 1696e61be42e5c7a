import type { LeaveOneOutRow } from "../../src/eval/fit-confidence.js";
import type { DatasetQuality } from "../../src/eval/fit-composer.js";

const f = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? "    -" : v.toFixed(3));

/** Refusal rates per held-out dataset (or file): in-sample beside fitted without it. */
export function formatRefusalTable(title: string, rows: readonly LeaveOneOutRow[], threshold: number): string {
  const lines = [`${title} (threshold ${threshold}): wrong refusal of answerable / correct refusal of unanswerable`, "held out            n+   n-   in-sample wrong  correct   left-out wrong  correct   |Δ| max"];
  for (const r of rows) {
    const delta = Math.max(Math.abs(r.leftOut.wrongRefusal - r.inSample.wrongRefusal), Math.abs(r.leftOut.correctRefusal - r.inSample.correctRefusal) || 0);
    lines.push(`${r.held.padEnd(18)} ${String(r.inSample.answerable).padStart(4)} ${String(r.inSample.unanswerable).padStart(4)}   ${f(r.inSample.wrongRefusal)}    ${f(r.inSample.correctRefusal)}      ${f(r.leftOut.wrongRefusal)}    ${f(r.leftOut.correctRefusal)}      ${f(delta)}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface ComposerRow {
  held: string;
  defaults: DatasetQuality;
  inSample: DatasetQuality;
  leftOut?: DatasetQuality;
}

/** Answer quality per dataset (ROUGE-L, or correct for datasets of files; gate off): defaults, fitted, fitted without it. */
export function formatComposerTable(rows: readonly ComposerRow[]): string {
  const lines = ["composer: answer quality with every answerable question answered (ROUGE-L; correct for datasets of files) / median words",
    "dataset            built-in defaults    fitted on all        fitted without it    |Δ|"];
  const cell = (q: DatasetQuality | undefined): string => (q ? `${f(q.score)} / ${String(Math.round(q.medianWords)).padStart(3)}     ` : "    -             ");
  for (const r of rows) lines.push(`${r.held.padEnd(18)} ${cell(r.defaults)}  ${cell(r.inSample)}  ${cell(r.leftOut)}  ${r.leftOut ? f(Math.abs(r.leftOut.score - r.inSample.score)) : "-"}`);
  return `${lines.join("\n")}\n`;
}

export interface FusionRow {
  held: string;
  defaults: number;
  inSample: number;
  leftOut: number;
}

/** Top-1 gain of the fusion weights per dataset: built-in, fitted on all, fitted without it. */
export function formatFusionTable(rows: readonly FusionRow[]): string {
  const lines = ["fusion weights: top-ranked result's gain (recall@1; for datasets of files the mean of key@1 and gold page@1)",
    "dataset            built-in   fitted on all   fitted without it   |Δ|"];
  for (const r of rows) lines.push(`${r.held.padEnd(18)} ${f(r.defaults)}      ${f(r.inSample)}           ${f(r.leftOut)}           ${f(Math.abs(r.leftOut - r.inSample))}`);
  return `${lines.join("\n")}\n`;
}
