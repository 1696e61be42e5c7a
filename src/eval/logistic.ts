/**
 * Weighted logistic regression for the fitted constants (`npm run fit`): each sample carries a weight so that every
 * dataset and class counts the same, whatever its size. Full-batch gradient descent with a little L2 on the
 * weights (not the bias): a handful of features and a few hundred samples, so it is exact enough and deterministic.
 */
export interface LogisticSample {
  x: readonly number[];
  y: 0 | 1;
  weight: number;
}

export interface LogisticFit {
  bias: number;
  weights: number[];
}

export interface LogisticOptions {
  epochs: number;
  rate: number;
  l2: number;
}

const DEFAULTS: LogisticOptions = { epochs: 6000, rate: 0.5, l2: 1e-3 };

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predictLogistic(model: LogisticFit, x: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) z += model.weights[i]! * (x[i] ?? 0);
  return sigmoid(z);
}

/** Fits `samples` (all with the same feature count); weights are normalised to mean 1. */
export function fitLogistic(samples: readonly LogisticSample[], options: Partial<LogisticOptions> = {}): LogisticFit {
  const o = { ...DEFAULTS, ...options };
  const dims = samples[0]?.x.length ?? 0;
  const totalWeight = samples.reduce((a, s) => a + s.weight, 0);
  if (samples.length === 0 || !(totalWeight > 0)) throw new Error("fitLogistic: no samples with weight");
  const model: LogisticFit = { bias: 0, weights: new Array<number>(dims).fill(0) };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let gBias = 0;
    const g = new Array<number>(dims).fill(0);
    for (const s of samples) {
      const err = (predictLogistic(model, s.x) - s.y) * s.weight;
      gBias += err;
      for (let i = 0; i < dims; i++) g[i]! += err * s.x[i]!;
    }
    model.bias -= (o.rate * gBias) / totalWeight;
    for (let i = 0; i < dims; i++) model.weights[i]! -= o.rate * (g[i]! / totalWeight + o.l2 * model.weights[i]!);
  }
  return model;
}

/**
 * Weights giving every (group, class) pair the same total: a dataset of 900 questions counts as much as one of 90,
 * and its answerable questions as much as its unanswerable ones.
 */
export function balancedWeights<T>(items: readonly T[], key: (item: T) => string): number[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  const cells = counts.size;
  return items.map((item) => items.length / (cells * counts.get(key(item))!));
}
