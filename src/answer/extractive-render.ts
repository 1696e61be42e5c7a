import { ADMONITION_LINE_RE } from "../text/admonitions.js";
import { CJK_CHARS, CJK_PUNCT_CHARS } from "../text/cjk.js";
import { splitSentences } from "../text/sentences.js";
import { MARKER_RE } from "./overlap.js";
import { type Doc, LEAD_OUT_END_RE, isInnerLeadOut } from "./extractive-blocks.js";

const CJK_END_RE = new RegExp(`[${CJK_CHARS}${CJK_PUNCT_CHARS}]$`, "u");
const CJK_START_RE = new RegExp(`^[${CJK_CHARS}${CJK_PUNCT_CHARS}]`, "u");
const TABLE_EDGE_RE = /^\s*\|\s*|\s*\|\s*$/g;
/**
 * A space left before closing punctuation by joining lines. ASCII marks only when they close (followed by a space, a
 * closing bracket or the end): before "./configure", ".deb" or ":8080" the space separates a command's words.
 */
const SPACE_BEFORE_PUNCT_RE = /\s+(?:([.,;:!?])(?=\s|$|[)\]}"'”’])|([。，；：！？]))/gu;

/** A Markdown fence line ("```", "```bash", "~~~"): the block's frame, not a line of it; alone it is no citable text. */
const FENCE_RE = /^\s*(?:`{3,}|~{3,})[\w+-]*\s*$/;

/** Source text made safe to cite: bracketed numbers in the manual would read as citations. */
function cleanCode(text: string): string {
  return text.replace(MARKER_RE, (m) => `(${m.slice(1, -1)})`).trim();
}

/** Prose and table text made safe to cite, a table row's cell bars written as dashes ("Model: M5 – Ports: 4"). */
function clean(text: string): string {
  return cleanCode(text).replace(TABLE_EDGE_RE, "").replace(/\s+\|\s+/g, " – ").trim();
}

/** "… end." + marker: a space before the marker in Latin text, none after CJK text or punctuation. */
function cite(text: string, n: number, tidy: (text: string) => string = clean): string {
  const body = tidy(text);
  return CJK_END_RE.test(body) ? `${body}[${n}]` : `${body} [${n}]`;
}

function joinText(parts: readonly string[]): string {
  return parts.reduce((acc, p) => (acc === "" ? p : CJK_END_RE.test(acc) || CJK_START_RE.test(p) ? `${acc}${p}` : `${acc} ${p}`), "");
}

/**
 * One line per list item or table row, one line for a run of labels ("Settings > Picture > Expert Settings"), and
 * prose runs re-joined across hard line wraps and re-split into whole sentences, each sentence cited. A command block
 * is cited once, after its last line, and so is the lead-out that introduces it ("…export the list with:"): the
 * citation after the block covers both (the verifier keeps the uncited lines above a cited one they lead to).
 */
export function renderDoc(doc: Doc, indices: ReadonlySet<number>, language: string, cut: ReadonlySet<number> = new Set()): string[] {
  const lines: string[] = [];
  let run: { kind: "prose" | "label" | "code"; parts: string[]; last: number } | undefined;
  const flush = (intoBlock = false): void => {
    if (!run) return;
    // An admonition's label on a line of its own ("NOTE", "Tip:") is a box's title, never a sentence of the reply
    // (quoted, it reads as a one-word answer, "WARNING [2]"); the box's text is quoted as any other. A command
    // line's "|" is a pipe, not a cell bar: shown as a dash it is another command, and no line of the source.
    const texts = run.parts.map(run.kind === "code" ? cleanCode : clean).filter((t) => t.replace(MARKER_RE, "").trim() !== "" && (run!.kind === "code" ? !FENCE_RE.test(t) : run!.kind !== "prose" || !ADMONITION_LINE_RE.test(t)));
    // A block cut short (see capBlocks) says so on its last quoted line.
    if (run.kind === "code" && cut.has(run.last) && texts.length > 0) texts[texts.length - 1] += " …";
    // A command block: one line per command, one citation after the last (the verifier keeps the lines above it).
    if (run.kind === "code" && texts.length > 0) lines.push(`${texts.slice(0, -1).map((t) => `${t}\n`).join("")}${cite(texts[texts.length - 1]!, doc.source.n, cleanCode)}`);
    else if (run.kind === "label" && texts.length > 1) lines.push(cite(texts.join(" > "), doc.source.n));
    else if (texts.length > 0) {
      const joined = joinText(texts).replace(SPACE_BEFORE_PUNCT_RE, "$1$2");
      const sentences = splitSentences(joined, language);
      const last = sentences.length - 1;
      lines.push(joinText(sentences.map((s, k) => (k === last && intoBlock && LEAD_OUT_END_RE.test(s) ? clean(s) : cite(s, doc.source.n)))));
    }
    run = undefined;
  };
  let prev: number | undefined;
  for (const i of [...indices].sort((a, b) => a - b)) {
    const s = doc.sentences[i];
    if (!s) continue;
    const contiguous = prev !== undefined && i === prev + 1;
    prev = i;
    if (s.group >= 0) {
      flush();
      if (s.group === i || lines.length === 0) lines.push(cite(s.text, doc.source.n));
      else lines[lines.length - 1] = joinText([lines[lines.length - 1]!, cite(s.text, doc.source.n)]);
      continue;
    }
    const kind = s.verbatim ? "code" : s.label ? "label" : "prose";
    // What a lead-out introduces ("…by the following:") starts its own line: a command is not re-joined into prose.
    const introduced = i > 0 && LEAD_OUT_END_RE.test(doc.sentences[i - 1]?.text ?? "");
    // Lines of one command block stay one run, with the short lead-outs inside it ("libc6 install", "to this:", …).
    const prevSentence = doc.sentences[i - 1];
    const sameBlock = run?.kind === "code" && kind === "code" && contiguous && (!s.paragraph || isInnerLeadOut(s)) && (!introduced || (prevSentence !== undefined && isInnerLeadOut(prevSentence)));
    if (!run || !sameBlock && (!contiguous || run.kind !== kind || s.leadIn || s.paragraph || introduced)) flush(kind === "code" && contiguous && introduced);
    run ??= { kind, parts: [], last: i };
    run.parts.push(s.text);
    run.last = i;
    if (s.leadIn) flush();
  }
  flush();
  return lines;
}
