/**
 * The graded exercises of the Pooling chapter: ONE place that declares every exercise, every graded
 * part and its points. Specs register their tests through this list (./spec/harness.ts),
 * and the grader computes max scores from it, so a spec that is missing or skipped scores 0 instead of
 * shrinking the total.
 *
 * Numbering: d2l-zh (the seed) and d2l-en number the exercises differently, and each has some the other
 * lacks. Files are named by topic; `zh` / `en` give each book's number (null: not in that book).
 *
 * Hidden parts (`hidden: true`) are instructor-only: a student's `npm run grade` neither runs nor
 * counts them; an instructor's run (`--hidden`) does, and they appear in results.json with the
 * visibility `after_published`.
 *
 * Parts worth 0 points record a written answer (shown to the instructor, never graded by text match).
 *
 * `library` is what an exercise's code may use of the d2l-pooling module (./capabilities.ts,
 * ./trace/): `forbid` names functions that throw "`F.maxPool2d` is not allowed in this exercise: …"
 * (`F.maxPool2d`, `nn.MaxPool2d`, `pool2d`, `Tensor#max` for a method; `*` matches any run of
 * characters); `trace` makes the exercise's code get traced tensors — the inputs' shapes and dtypes,
 * never their values — and lists the only operations it may apply to them; the grader evaluates
 * what it recorded (./trace/graph.ts) and checks the task on it (./trace/rules.ts).
 */

import { ARITHMETIC_OPS, CONV_OPS, JOIN_OPS, MAX_POOL_OPS, RELU_OPS, SHAPE_OPS } from "./trace/rules";

export type ExerciseId =
  | "avg-pool-as-conv"
  | "max-pool-as-conv"
  | "max-pool-not-linear"
  | "max-via-relu"
  | "pooling-cost"
  | "max-vs-avg"
  | "min-pool"
  | "softmax-pool";

export interface Part {
  /** Stable key, unique within the exercise (used in test meta and results.json numbering). */
  key: string;
  /** Short English title shown as the test name. */
  title: string;
  points: number;
  /** Instructor-only: excluded from a student's run, counted when an instructor grades. */
  hidden?: boolean;
}

export interface Exercise {
  id: ExerciseId;
  /** Number in d2l-zh 6.5 (the seed), or null when that book does not have it. */
  zh: number | null;
  /** Number in d2l-en "Pooling", or null. */
  en: number | null;
  title: { zh: string; en: string };
  /** The exported names a student implements (functions and answer constants). */
  exports: readonly string[];
  /** What of the library this exercise's code may not use, and what to do instead. */
  library?: Capability;
  parts: readonly Part[];
}

export interface Capability {
  /** Names of the module the exercise's code may not use at all (see ./capabilities.ts). */
  forbid?: readonly string[];
  /** The code never holds the inputs' values: it gets traced tensors, and may apply only `allow` to them. */
  trace?: { allow: readonly string[] };
  /** What to do instead, shown in the error: "build the window yourself". */
  instead: string;
}

/** Every pooling function and layer of the library, and the chapter's own pool2d. */
const ALL_POOLING = ["F.*Pool*", "nn.*Pool*", "pool2d"] as const;

export const EXERCISES: readonly Exercise[] = [
  {
    id: "avg-pool-as-conv",
    zh: 1,
    en: 1,
    title: { zh: "把平均汇聚层实现为卷积层的特例", en: "Average pooling as a special case of convolution" },
    exports: ["avgPoolWeight", "avgPoolAsConv"],
    library: {
      trace: { allow: [...CONV_OPS, ...SHAPE_OPS, ...ARITHMETIC_OPS, "Tensor#div", ...JOIN_OPS] },
      instead: "build it with conv2d and the weight from avgPoolWeight",
    },
    parts: [
      { key: "weight-seed", title: "avgPoolWeight: one channel, 2×2 window: conv2d with it is average pooling", points: 1 },
      { key: "weight-channels", title: "avgPoolWeight: several channels, rectangular window: conv2d with it is average pooling", points: 2 },
      { key: "seed", title: "avgPoolAsConv: the chapter's 3×3 input, 2×2 window, stride 1", points: 2 },
      { key: "default-stride", title: "avgPoolAsConv: stride left out means the window size", points: 1 },
      { key: "padding-stride", title: "avgPoolAsConv: the chapter's padding and stride settings", points: 2 },
      { key: "channels-batch", title: "avgPoolAsConv: batch and several channels", points: 2 },
      { key: "random", title: "avgPoolAsConv: random inputs (fast-check)", points: 1 },
      { key: "dtype", title: "avgPoolAsConv: the output keeps X's dtype (float64 input)", points: 1 },
      { key: "hidden-float64-gaps", title: "avgPoolAsConv: float64, 3-D input, stride larger than the window", points: 2, hidden: true },
    ],
  },
  {
    id: "max-pool-as-conv",
    zh: 2,
    en: null,
    title: { zh: "把最大汇聚层实现为卷积层的特例（滑动窗口取最大值）", en: "Max pooling over a convolution's sliding window" },
    exports: ["maxPoolAsConv"],
    library: { forbid: ALL_POOLING, instead: "build the window yourself" },
    parts: [
      { key: "seed", title: "the chapter's 3×3 input, 2×2 window, stride 1", points: 2 },
      { key: "default-stride", title: "stride left out means the window size", points: 1 },
      { key: "padding-stride", title: "the chapter's padding and stride settings", points: 2 },
      { key: "negative-padding", title: "padding is never a candidate for the maximum (all-negative input)", points: 2 },
      { key: "channels-batch", title: "the chapter's two-channel input, and a batch", points: 2 },
      { key: "nan", title: "NaN propagates, as torch.max", points: 1 },
      { key: "random", title: "random inputs with ties (fast-check)", points: 1 },
      { key: "dtype", title: "the output keeps X's dtype (float64 input)", points: 1 },
      { key: "hidden-inf-float64", title: "±inf and float64, 3-D input", points: 2, hidden: true },
    ],
  },
  {
    id: "max-pool-not-linear",
    zh: null,
    en: 2,
    title: { zh: "证明最大汇聚不能只用卷积实现（线性的反例）", en: "Max pooling is not a convolution: a counterexample to linearity" },
    exports: ["additivityCounterexample", "scalingCounterexample", "WHY_NOT_CONV"],
    parts: [
      { key: "additivity", title: "additivityCounterexample: maxPool(x + y) ≠ maxPool(x) + maxPool(y)", points: 5 },
      { key: "scaling", title: "scalingCounterexample: maxPool(a·x) ≠ a·maxPool(x)", points: 3 },
      { key: "answer", title: "written answer: why a counterexample rules out every convolution", points: 0 },
    ],
  },
  {
    id: "max-via-relu",
    zh: null,
    en: 3,
    title: { zh: "用 ReLU 表示最大值，再用卷积和 ReLU 实现最大汇聚", en: "Max via ReLU, and max pooling from convolutions and ReLU" },
    exports: ["maxViaRelu", "maxPool2x2ViaRelu", "reluTournament"],
    library: {
      // The exercise is "only these operations": relu, add, sub, neg, mul, and conv2d for the layers.
      trace: { allow: [...RELU_OPS, ...ARITHMETIC_OPS, ...CONV_OPS, ...SHAPE_OPS, "Tensor#long", ...JOIN_OPS] },
      instead: "use only relu, add, sub, neg and mul (and conv2d for the pooling)",
    },
    parts: [
      { key: "max-values", title: "maxViaRelu: equals torch.maximum on random inputs", points: 3 },
      { key: "max-edge", title: "maxViaRelu: ties, zeros, negatives, large values, NaN", points: 1 },
      { key: "max-only-relu", title: "maxViaRelu: uses only relu, add, sub, neg and mul by constants (checked on the recorded operations)", points: 2 },
      { key: "pool-seed", title: "maxPool2x2ViaRelu: the chapter's inputs", points: 2 },
      { key: "pool-channels-batch", title: "maxPool2x2ViaRelu: batch and several channels", points: 2 },
      { key: "pool-random", title: "maxPool2x2ViaRelu: random inputs, odd sizes (fast-check)", points: 1 },
      { key: "pool-dtype", title: "maxPool2x2ViaRelu: the output keeps X's dtype (float64 input)", points: 1 },
      { key: "pool-only-conv-relu", title: "maxPool2x2ViaRelu: uses only conv2d with fixed kernels, relu, + and − (checked on the recorded operations)", points: 1 },
      { key: "sizes-2x2", title: "reluTournament(4): layers and channels for a 2×2 window", points: 1 },
      { key: "sizes-3x3", title: "reluTournament(9): layers and channels for a 3×3 window", points: 2 },
      { key: "hidden-pool-float64", title: "maxPool2x2ViaRelu: float64, odd sizes; reluTournament for other sizes", points: 2, hidden: true },
    ],
  },
  {
    id: "pooling-cost",
    zh: 3,
    en: 4,
    title: { zh: "汇聚层的计算成本", en: "The computational cost of a pooling layer" },
    exports: ["d2lPoolingCost", "poolingReads"],
    parts: [
      { key: "formula-seed", title: "d2lPoolingCost: output size (6.3) × k_h·k_w on hand-worked cases", points: 2 },
      { key: "formula-geometry", title: "d2lPoolingCost: agrees with the module's output size (total padding = 2 × per side)", points: 3 },
      { key: "reads-hand", title: "poolingReads: hand-worked cases", points: 2 },
      { key: "reads-instrumented", title: "poolingReads: equals the reads counted in F.maxPool2d's kernel (random)", points: 4 },
      { key: "reads-edge", title: "poolingReads: edge cases (padding = half the window, stride > window, 1×1 input), avg kernel", points: 3 },
      { key: "hidden-large", title: "both functions on large layers (exact integers)", points: 2, hidden: true },
    ],
  },
  {
    id: "max-vs-avg",
    zh: 4,
    en: 5,
    title: { zh: "为什么最大汇聚层和平均汇聚层的工作方式不同（量化）", en: "Why max and average pooling behave differently, measured" },
    exports: ["shiftChange", "noiseChange", "WHY_DIFFERENT"],
    parts: [
      { key: "shift-known", title: "shiftChange: a line inside and across a window, a peak, the edge image, a checkerboard (worked by hand)", points: 3 },
      { key: "shift-identity", title: "shiftChange: identity pool for shifts d = 0, 1, 2; constant images; d = 0", points: 2 },
      { key: "shift-random", title: "shiftChange: random images, windows and shifts (fast-check)", points: 2 },
      { key: "noise-known", title: "noiseChange: worked by hand, a sparse peak, zero noise, identity pool, constant noise", points: 2 },
      { key: "noise-random", title: "noiseChange: random images and noise (fast-check)", points: 2 },
      { key: "properties", title: "both: float64 stays float64, the maps scale with |a|", points: 1 },
      { key: "answer", title: "written answer: when max pooling is insensitive to shifts and noise, and when not", points: 0 },
      { key: "hidden-more-pools", title: "both: batched input, padded and LP pools, longer shifts", points: 2, hidden: true },
    ],
  },
  {
    id: "min-pool",
    zh: 5,
    en: 6,
    title: { zh: "最小汇聚层：用最大汇聚层实现", en: "Min pooling from max pooling" },
    exports: ["minPool2d", "minPool2dWithIndices", "NEED_MIN_POOL", "WHY_MIN_POOL"],
    library: {
      trace: { allow: [...MAX_POOL_OPS, "Tensor#neg", "Tensor#mul", "Tensor#sub", "Tensor#add", "torch.mul", "torch.add", ...SHAPE_OPS] },
      instead: "build it from F.maxPool2d and negation",
    },
    parts: [
      { key: "seed", title: "minPool2d: the chapter's 3×3 input, 2×2 window, stride 1", points: 2 },
      { key: "padding-stride-channels", title: "minPool2d: padding, stride, rectangular window, channels", points: 2 },
      { key: "nan-ties", title: "minPool2d: NaN, ties, ±inf", points: 1 },
      { key: "random", title: "minPool2d: random inputs (fast-check)", points: 1 },
      { key: "indices", title: "minPool2dWithIndices: indices as F.maxPool2d's (first minimum wins, the last NaN)", points: 2 },
      { key: "dtype", title: "both: the output keeps X's dtype (float64 input)", points: 1 },
      { key: "from-max-pool", title: "minPool2d: built from F.maxPool2d and negation (checked on the recorded operations)", points: 1 },
      { key: "need", title: "written answer: is a separate min-pooling layer needed?", points: 0 },
      { key: "answer", title: "written answer: when min pooling is useful and how to replace it", points: 0 },
      { key: "hidden-float64-3d", title: "minPool2d: float64, 3-D input, -inf", points: 2, hidden: true },
    ],
  },
  {
    id: "softmax-pool",
    zh: 6,
    en: 7,
    title: { zh: "softmax 汇聚", en: "Softmax pooling" },
    exports: ["softmaxPool2d", "WHY_UNPOPULAR"],
    parts: [
      { key: "seed", title: "the chapter's 3×3 input, β = 1", points: 2 },
      { key: "beta-large", title: "β → ∞ gives max pooling, β → −∞ min pooling", points: 3 },
      { key: "beta-small", title: "β → 0 gives average pooling (padding not counted)", points: 3 },
      { key: "stable", title: "numerically stable: |x| = 1e4 does not overflow", points: 3 },
      { key: "padding-stride-channels", title: "padding, stride, rectangular window, channels", points: 2 },
      { key: "nan", title: "NaN in a window gives NaN", points: 1 },
      { key: "random", title: "random inputs and β (fast-check)", points: 1 },
      { key: "dtype", title: "the output keeps X's dtype (float64 input)", points: 1 },
      { key: "answer", title: "written answer: why softmax pooling is unpopular", points: 0 },
      { key: "hidden-negative-beta", title: "β → −∞ gives min pooling; float64", points: 2, hidden: true },
    ],
  },
];

export function exerciseById(id: string): Exercise {
  const exercise = EXERCISES.find((e) => e.id === id);
  if (!exercise) throw new Error(`unknown exercise '${id}'; the exercises are: ${EXERCISES.map((e) => e.id).join(", ")}`);
  return exercise;
}

export function partOf(exercise: Exercise, key: string): Part {
  const part = exercise.parts.find((p) => p.key === key);
  if (!part) {
    throw new Error(`exercise '${exercise.id}' has no part '${key}' in src/grader/manifest.ts; its parts are: ${exercise.parts.map((p) => p.key).join(", ")}`);
  }
  return part;
}

/** The parts a run grades: visible ones for a student, all of them for an instructor. */
export function gradedParts(exercise: Exercise, includeHidden: boolean): Part[] {
  return exercise.parts.filter((p) => includeHidden || !p.hidden);
}

export function maxScore(exercise: Exercise, includeHidden: boolean): number {
  return gradedParts(exercise, includeHidden).reduce((s, p) => s + p.points, 0);
}

/** "1.3": the exercise's place in EXERCISES (1-based) and the part's place within it. */
export function partNumber(exercise: Exercise, part: Part): string {
  return `${EXERCISES.indexOf(exercise) + 1}.${exercise.parts.indexOf(part) + 1}`;
}

/** How the notebooks number an exercise: "练习 3" / "Exercise 4", or the extra ones of the other book. */
export function exerciseLabel(exercise: Pick<Exercise, "zh" | "en">, lang: "zh" | "en"): string {
  const n = exercise[lang];
  if (lang === "zh") return n !== null ? `练习 ${n}` : `补充（英文版 ${exercise.en}）`;
  return n !== null ? `Exercise ${n}` : `Extra (d2l-zh ${exercise.zh})`;
}
