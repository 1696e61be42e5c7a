/**
 * Admonition labels: the title of a note or warning box ("Tip", "WARNING", "Hinweis:", "提示："), shared by the loaders
 * (a PDF label set alone on its line opens the paragraph it labels, see ingest/loaders/pdf-sections.ts) and the
 * extractive composer (a label line is never quoted as a sentence, see src/answer/extractive-render.ts), so both
 * recognise the same boxes. English, German, French, Spanish, Italian, Chinese and Japanese, in any case.
 */
export const ADMONITION_LABELS: readonly string[] = [
  "note", "notes", "warning", "caution", "tip", "hint", "important", "danger", "attention",
  "hinweis", "warnung", "achtung", "vorsicht", "wichtig", "tipp",
  "remarque", "avertissement", "conseil",
  "nota", "advertencia", "precaución", "importante", "consejo",
  "注意", "警告", "提示", "小贴士", "小心", "重要", "ヒント",
];

/** A line that is nothing but an admonition label, with or without a colon: "NOTE", "Warning:", "提示：". */
export const ADMONITION_LINE_RE = new RegExp(String.raw`^\s*(?:${ADMONITION_LABELS.join("|")})\s*[:：]?\s*$`, "iu");
