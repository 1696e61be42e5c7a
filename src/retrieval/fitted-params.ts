import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { DEFAULT_CONFIDENCE_MODEL, type ConfidenceModel } from "./confidence.js";
import { DEFAULT_EXTRACTIVE_OPTIONS, type ExtractiveOptions } from "../answer/extractive.js";
import { DEFAULT_RETRIEVAL_SETTINGS, type FusionWeights } from "./retrieve.js";

/**
 * The constants `npm run fit` produces from the dev datasets, one artifact per embedder (`fitted/<embedder id>.json`):
 * features and their meaning depend on the embedder (the dense similarity) and on how documents are chunked (the
 * pipeline version), so an artifact fitted for one is not used for another. The engine loads the artifact of its
 * embedder; without one it uses the built-in defaults and says so once at start.
 */
const confidenceSchema = z.object({
  bias: z.number().finite(),
  coverage: z.number().finite(),
  passage: z.number().finite(),
  proximity: z.number().finite(),
  similarity: z.number().finite(),
  /** Absent in artifacts fitted before the feature existed: weight 0. */
  scaledSimilarity: z.number().finite().default(0),
  margin: z.number().finite(),
  agreement: z.number().finite(),
  unseen: z.number().finite(),
  languageBias: z.record(z.string(), z.number().finite()).optional(),
});

/** Extractive composer options (any subset; the rest keep their defaults). */
const composerSchema = z
  .object(Object.fromEntries(Object.keys(DEFAULT_EXTRACTIVE_OPTIONS).map((k) => [k, z.number().finite().nonnegative()])) as Record<keyof ExtractiveOptions, z.ZodNumber>)
  .partial()
  .strict();

/** Fusion weights of hybrid retrieval (any subset; the rest keep the built-in weights). */
const retrievalSchema = z
  .object({
    weights: z
      .object(Object.fromEntries(Object.keys(DEFAULT_RETRIEVAL_SETTINGS.weights).map((k) => [k, z.number().finite().nonnegative()])) as Record<keyof FusionWeights, z.ZodNumber>)
      .partial()
      .strict(),
  })
  .strict();

export const fittedParamsSchema = z.object({
  format: z.literal(1),
  embedder: z.string().min(1),
  pipeline: z.number().int().positive(),
  /** Dataset names the constants were fitted on (a reader checks nothing is fitted on one alone). */
  fittedOn: z.array(z.string()).min(1),
  /** The command that reproduces the file. */
  command: z.string(),
  confidence: confidenceSchema,
  composer: composerSchema.default({}),
  /** Absent in artifacts written before the fusion weights were fitted: the built-in weights apply. */
  retrieval: retrievalSchema.optional(),
});
export type FittedParams = z.infer<typeof fittedParamsSchema>;

/** What the engine uses when no artifact matches its embedder. */
export const BUILT_IN_PARAMS: Pick<FittedParams, "confidence" | "composer" | "retrieval"> = { confidence: DEFAULT_CONFIDENCE_MODEL as FittedParams["confidence"], composer: {} };

/** `fitted/<embedder id>.json`, the id made file-name safe ("openai:text-embedding-3-small" → "openai_text-…"). */
export function fittedParamsFile(dir: string, embedderId: string): string {
  return join(dir, `${embedderId.replace(/[^\w.-]/g, "_")}.json`);
}

/**
 * The artifact for `embedderId` in `dir`, or undefined when there is none.
 * @throws ConfigError when the file exists but is not a valid artifact for this embedder (never silently ignored).
 */
export function readFittedParams(dir: string, embedderId: string): FittedParams | undefined {
  const file = fittedParamsFile(dir, embedderId);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new ConfigError(`${file}: not valid JSON`, { cause });
  }
  const parsed = fittedParamsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}: not a fitted-parameters file (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`);
  if (parsed.data.embedder !== embedderId) throw new ConfigError(`${file}: fitted for embedder ${parsed.data.embedder}, not ${embedderId}`);
  return parsed.data;
}

/** The fusion weights of an artifact over the built-in ones. */
export function fusionWeightsOf(params: Pick<FittedParams, "retrieval">): FusionWeights {
  return { ...DEFAULT_RETRIEVAL_SETTINGS.weights, ...params.retrieval?.weights };
}

/** The confidence model of an artifact, in the engine's type. */
export function confidenceModelOf(params: Pick<FittedParams, "confidence">): ConfidenceModel {
  const { languageBias, ...rest } = params.confidence;
  return { ...rest, ...(languageBias ? { languageBias } : {}) };
}
