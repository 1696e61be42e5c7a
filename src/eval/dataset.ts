import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { seededRandom } from "./metrics.js";

/** The evaluation directory format (see README, "Evaluation"): corpus.jsonl, questions.jsonl, optional tickets.jsonl. */
const questionSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  answer: z.string().optional(),
  gold: z.array(z.string()).default([]),
  answerable: z.boolean().default(true),
  /** What the dataset says the question is (tv-manual: normal, compound, paraphrased, yesno); optional. */
  kind: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof questionSchema>;

export interface EvalDataset {
  dir: string;
  corpusFile: string;
  ticketsFile?: string;
  questions: EvalQuestion[];
}

export function readDataset(dir: string): EvalDataset {
  const corpusFile = join(dir, "corpus.jsonl");
  const questionsFile = join(dir, "questions.jsonl");
  for (const f of [corpusFile, questionsFile]) if (!existsSync(f)) throw new Error(`${f}: missing (dataset directories need corpus.jsonl and questions.jsonl)`);
  const questions = readFileSync(questionsFile, "utf8")
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter((l) => l.line.length > 0)
    .map(({ line, n }) => {
      const parsed = questionSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${questionsFile}:${n}: ${parsed.error.issues[0]?.message ?? "invalid question"}`);
      return parsed.data;
    });
  const ticketsFile = join(dir, "tickets.jsonl");
  return { dir, corpusFile, questions, ...(existsSync(ticketsFile) ? { ticketsFile } : {}) };
}

/**
 * The answerable questions asked again after their gold documents were removed (`--holdout-fraction`): a seeded
 * sample, so `npm run eval` and `npm run fit` hold out the same questions for the same seed.
 */
export function sampleHeldOut(questions: readonly EvalQuestion[], fraction: number, seed: number): EvalQuestion[] {
  if (fraction <= 0) return [];
  const rand = seededRandom(seed);
  return questions.filter((q) => q.answerable && q.gold.length > 0 && rand() < fraction);
}
