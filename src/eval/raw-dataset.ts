import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/**
 * Datasets of files (see ../shared/eval/README.md, "pdf-manuals"): the corpus is `documents/` (filled by the
 * dataset's `fetch.sh`), the questions carry their gold as `{file, pages, section}` locations and `keys`.
 */
const goldSchema = z.object({
  file: z.string().min(1),
  /** 1-based PDF page indexes. */
  pages: z.array(z.number().int().positive()).default([]),
  section: z.string().default(""),
});
export type GoldLocation = z.infer<typeof goldSchema>;

const rawQuestionSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  answer: z.string().optional(),
  answerable: z.boolean().default(true),
  gold: z.array(goldSchema).default([]),
  /** Groups of alternatives: every group must have one alternative in the answer. */
  keys: z.array(z.array(z.string().min(1)).min(1)).default([]),
});
export type RawQuestion = z.infer<typeof rawQuestionSchema>;

export interface RawDataset {
  dir: string;
  documentsDir: string;
  /** File names in `documentsDir`, sorted. */
  files: string[];
  questions: RawQuestion[];
}

/**
 * True when `dir` is a dataset of files rather than corpus.jsonl: no corpus.jsonl, and the first question's gold
 * is a list of `{file, ...}` objects (or a fetch.sh / documents folder is there).
 */
export function isRawDataset(dir: string): boolean {
  if (existsSync(join(dir, "corpus.jsonl"))) return false;
  if (existsSync(join(dir, "fetch.sh")) || existsSync(join(dir, "documents"))) return true;
  const first = readJsonLines(join(dir, "questions.jsonl"))[0];
  const gold = first?.value && typeof first.value === "object" ? (first.value as { gold?: unknown }).gold : undefined;
  return Array.isArray(gold) && gold.some((g) => typeof g === "object" && g !== null);
}

/**
 * Reads a dataset of files. `documentsDir` overrides `DIR/documents` (the dataset folder may be read-only, so its
 * fetch.sh can fill another folder). Every gold file must exist among the documents.
 */
export function readRawDataset(dir: string, documentsDir?: string): RawDataset {
  const questionsFile = join(dir, "questions.jsonl");
  if (!existsSync(questionsFile)) throw new Error(`${questionsFile}: missing`);
  const docs = resolve(documentsDir ?? join(dir, "documents"));
  if (!existsSync(docs) || !statSync(docs).isDirectory()) {
    throw new Error(`${docs}: no documents folder (run: bash ${join(dir, "fetch.sh")} DIR, then pass --documents DIR/documents)`);
  }
  const files = readdirSync(docs).filter((f) => !f.startsWith(".") && !f.endsWith(".part") && statSync(join(docs, f)).isFile()).sort();
  const questions = readJsonLines(questionsFile).map(({ value, line }) => {
    const parsed = rawQuestionSchema.safeParse(value);
    if (!parsed.success) throw new Error(`${questionsFile}:${line}: ${parsed.error.issues[0]?.message ?? "invalid question"}`);
    return parsed.data;
  });
  const known = new Set(files);
  for (const q of questions) for (const g of q.gold) if (!known.has(g.file)) throw new Error(`${q.id}: gold file ${g.file} is not in ${docs}`);
  return { dir, documentsDir: docs, files, questions };
}

function readJsonLines(file: string): Array<{ value: unknown; line: number }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter((l) => l.text.length > 0)
    .map(({ text, line }) => ({ value: JSON.parse(text) as unknown, line }));
}
