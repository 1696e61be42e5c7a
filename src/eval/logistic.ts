/**
 * Weighted logistic regression for the fitted constants (`npm run fit`): each sample carries a weight so that every
 * dataset and class counts the same, whatever its size. Newton's method on the weighted mean log loss plus an L2
 * penalty on the weights (not the bias): a handful of features and a few thousand samples, so each step is one small
 * linear solve, it converges in a few dozen steps and is deterministic — cheap enough to fit many times over for
 * cross-validation (`chooseL2`), where gradient descent's thousands of epochs took minutes.
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
  /** Newton steps at most (each halved until the objective falls). */
  iterations: number;
  /** Penalty: l2 / 2 × the sum of squared weights, beside the weighted mean log loss. */
  l2: number;
}

const DEFAULTS: LogisticOptions = { iterations: 100, l2: 1e-3 };

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function predictLogistic(model: LogisticFit, x: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) z += model.weights[i]! * (x[i] ?? 0);
  return sigmoid(z);
}

/** Fits `samples` (all with the same feature count); only their relative weights matter. */
export function fitLogistic(samples: readonly LogisticSample[], options: Partial<LogisticOptions> = {}): LogisticFit {
  const o = { ...DEFAULTS, ...options };
  const dims = samples[0]?.x.length ?? 0;
  const totalWeight = samples.reduce((a, s) => a + s.weight, 0);
  if (samples.length === 0 || !(totalWeight > 0)) throw new Error("fitLogistic: no samples with weight");
  // Parameters as one vector: [bias, ...weights]; a sample's row is [1, ...x].
  let theta = new Array<number>(dims + 1).fill(0);
  const objective = (t: readonly number[]): number => {
    const m = { bias: t[0]!, weights: t.slice(1) };
    return logLoss(m, samples) + (o.l2 / 2) * m.weights.reduce((a, w) => a + w * w, 0);
  };
  let current = objective(theta);
  for (let it = 0; it < o.iterations; it++) {
    const step = newtonStep(samples, theta, totalWeight, o.l2);
    let scale = 1;
    let next = theta;
    let value = current;
    while (scale > 1e-6) {
      next = theta.map((v, i) => v - scale * step[i]!);
      value = objective(next);
      if (value <= current) break;
      scale /= 2;
    }
    if (!(value <= current)) break;
    const moved = Math.max(...step.map((v) => Math.abs(v * scale)));
    theta = next;
    current = value;
    if (moved < 1e-10) break;
  }
  return { bias: theta[0]!, weights: theta.slice(1) };
}

/** The Newton step H⁻¹g of the penalised objective at `theta`. */
function newtonStep(samples: readonly LogisticSample[], theta: readonly number[], totalWeight: number, l2: number): number[] {
  const n = theta.length;
  const g = new Array<number>(n).fill(0);
  const h = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const model = { bias: theta[0]!, weights: theta.slice(1) };
  for (const s of samples) {
    const p = predictLogistic(model, s.x);
    const row = [1, ...s.x];
    const err = ((p - s.y) * s.weight) / totalWeight;
    const curve = (Math.max(p * (1 - p), 1e-12) * s.weight) / totalWeight;
    for (let i = 0; i < n; i++) {
      g[i]! += err * row[i]!;
      for (let j = 0; j < n; j++) h[i]![j]! += curve * row[i]! * row[j]!;
    }
  }
  // The bias is not penalised; a tiny ridge keeps the system solvable when a feature is constant.
  for (let i = 0; i < n; i++) {
    if (i > 0) g[i]! += l2 * theta[i]!;
    h[i]![i]! += (i > 0 ? l2 : 0) + 1e-9;
  }
  return solve(h, g);
}

/** Solves a x = b by Gaussian elimination with partial pivoting (small, dense, symmetric positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = m[r]![n]!;
    for (let k = r + 1; k < n; k++) v -= m[r]![k]! * x[k]!;
    x[r] = v / m[r]![r]!;
  }
  return x;
}

/**
 * Fits on standardised features — each dimension centred and divided by its weighted standard deviation — and returns
 * the model in the original units. The L2 penalty then weighs every feature on the same scale: on raw features it
 * shrank a feature with a narrow spread (scaled similarity, sd ≈ 0.12) several times more than one with a wide spread
 * (unseen, sd ≈ 0.25), so the penalty, not the data, set their balance, and it moved with the datasets fitted on.
 */
export function fitStandardized(samples: readonly LogisticSample[], options: Partial<LogisticOptions> = {}): LogisticFit {
  const { mean, sd } = featureScale(samples);
  const scaled = samples.map((s) => ({ ...s, x: s.x.map((v, i) => (v - mean[i]!) / sd[i]!) }));
  const fit = fitLogistic(scaled, options);
  const weights = fit.weights.map((w, i) => w / sd[i]!);
  return { bias: fit.bias - weights.reduce((a, w, i) => a + w * mean[i]!, 0), weights };
}

/** Weighted mean and standard deviation of each dimension (sd 1 for a constant one). */
export function featureScale(samples: readonly LogisticSample[]): { mean: number[]; sd: number[] } {
  const dims = samples[0]?.x.length ?? 0;
  const total = samples.reduce((a, s) => a + s.weight, 0) || 1;
  const mean = Array.from({ length: dims }, (_, i) => samples.reduce((a, s) => a + s.weight * s.x[i]!, 0) / total);
  const sd = mean.map((m, i) => Math.sqrt(samples.reduce((a, s) => a + s.weight * (s.x[i]! - m) ** 2, 0) / total) || 1);
  return { mean, sd };
}

/** Weighted mean negative log-likelihood of `samples` under `model` (probabilities clipped away from 0 and 1). */
export function logLoss(model: LogisticFit, samples: readonly LogisticSample[]): number {
  let loss = 0;
  let total = 0;
  for (const s of samples) {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, predictLogistic(model, s.x)));
    loss -= s.weight * Math.log(s.y === 1 ? p : 1 - p);
    total += s.weight;
  }
  return total > 0 ? loss / total : 0;
}

/**
 * The L2 strength among `grid` with the lowest cross-validated log loss: `fold(i)` puts sample i in one of `folds`
 * folds, each fitted (standardised) on the others and scored on itself. Among equal losses the first (smallest) wins.
 */
export function chooseL2(samples: readonly LogisticSample[], grid: readonly number[], folds: number, fold: (i: number) => number): number {
  let best = grid[0]!;
  let bestLoss = Infinity;
  for (const l2 of grid) {
    let loss = 0;
    for (let f = 0; f < folds; f++) {
      const train = samples.filter((_, i) => fold(i) !== f);
      const test = samples.filter((_, i) => fold(i) === f);
      if (train.length > 0 && test.length > 0) loss += logLoss(fitStandardized(train, { l2 }), test);
    }
    if (loss < bestLoss - 1e-12) {
      best = l2;
      bestLoss = loss;
    }
  }
  return best;
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
