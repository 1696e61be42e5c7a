import type { ExtractiveOptions } from "../answer/extractive.js";

/** The composer options `npm run fit` searches, with the values it tries (the built-in default is always one). */
export const COMPOSER_GRID: Readonly<Partial<Record<keyof ExtractiveOptions, readonly number[]>>> = {
  answerWindow: [0, 1, 2],
  minSourceScore: [0.5, 0.7, 0.9],
  extraSources: [0, 1, 2],
  minNewTermShare: [0.1, 0.3],
  literalBoost: [0, 0.5, 1],
  focusBoost: [0, 1],
  maxWords: [70, 90, 110],
  minSpanWords: [15, 25, 40],
};

/** Answer quality of one option set on one dataset: its primary figure, and the median reply length in words. */
export interface DatasetQuality {
  score: number;
  medianWords: number;
}

export type QualityByDataset = Record<string, DatasetQuality>;

/** Longest median reply (words) an option set may give on any dataset: support answers are short. */
export const MAX_MEDIAN_WORDS = 80;

/**
 * The objective: each dataset's figure relative to the built-in defaults' on that dataset, averaged, so a dataset
 * measured in ROUGE-L (~0.4) and one measured in correct answers (~0.3) count alike; an option set whose median
 * reply is longer than {@link MAX_MEDIAN_WORDS} on any dataset is out.
 */
export function objective(quality: QualityByDataset, baseline: QualityByDataset): number {
  const names = Object.keys(baseline);
  if (names.some((n) => (quality[n]?.medianWords ?? Infinity) > MAX_MEDIAN_WORDS)) return -Infinity;
  let sum = 0;
  for (const n of names) sum += (quality[n]?.score ?? 0) / Math.max(1e-9, baseline[n]!.score);
  return sum / names.length;
}

/**
 * Smallest gain of the objective (a mean of relative figures: 0.01 = 1%) for which the search leaves a value:
 * smaller in-sample gains are within the noise of a few hundred questions and do not transfer. Fitted on tv-manual
 * and zh-cs alone, the search moved options for gains of a fraction of a percent there (their figures are flat in the
 * options), which cost the PDF manuals 0.07 of correct answers (leave-one-out gap 0.129).
 */
export const MIN_GAIN = 0.01;

export interface SearchStep {
  options: Partial<ExtractiveOptions>;
  quality: QualityByDataset;
  objective: number;
}

/**
 * Coordinate search over {@link COMPOSER_GRID} from the defaults: each option in turn takes the value that
 * improves the objective most (by at least {@link MIN_GAIN}), for `passes` rounds. `evaluate` measures an option set on every dataset (memoised
 * here: a set is measured once).
 */
export async function searchComposer(
  evaluate: (options: Partial<ExtractiveOptions>) => Promise<QualityByDataset>,
  defaults: ExtractiveOptions,
  passes = 2,
  onStep?: (step: SearchStep) => void,
): Promise<{ best: SearchStep; baseline: QualityByDataset }> {
  const seen = new Map<string, QualityByDataset>();
  const measure = async (o: Partial<ExtractiveOptions>): Promise<QualityByDataset> => {
    const key = JSON.stringify(Object.entries(o).sort());
    let q = seen.get(key);
    if (!q) seen.set(key, (q = await evaluate(o)));
    return q;
  };
  const baseline = await measure({});
  let best: SearchStep = { options: {}, quality: baseline, objective: objective(baseline, baseline) };
  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    for (const [key, values] of Object.entries(COMPOSER_GRID) as Array<[keyof ExtractiveOptions, readonly number[]]>) {
      for (const v of values) {
        const current = best.options[key] ?? defaults[key];
        if (v === current) continue;
        const options = { ...best.options, [key]: v };
        const quality = await measure(options);
        const step = { options, quality, objective: objective(quality, baseline) };
        onStep?.(step);
        if (step.objective >= best.objective + MIN_GAIN) ((best = step), (moved = true));
      }
    }
    if (!moved) break;
  }
  return { best, baseline };
}
