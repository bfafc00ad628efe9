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

import type { Text } from "./i18n";
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
  /** Short title, in both languages (the English is the test's name). */
  title: Text;
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
  instead: Text;
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
      instead: { zh: "用 conv2d 和 avgPoolWeight 给出的权重来实现", en: "build it with conv2d and the weight from avgPoolWeight" },
    },
    parts: [
      { key: "weight-seed", title: { zh: "avgPoolWeight：单通道、2×2 窗口：用它做 conv2d 就是平均汇聚", en: "avgPoolWeight: one channel, 2×2 window: conv2d with it is average pooling" }, points: 1 },
      { key: "weight-channels", title: { zh: "avgPoolWeight：多通道、矩形窗口：用它做 conv2d 就是平均汇聚", en: "avgPoolWeight: several channels, rectangular window: conv2d with it is average pooling" }, points: 2 },
      { key: "seed", title: { zh: "avgPoolAsConv：本节的 3×3 输入、2×2 窗口、步幅 1", en: "avgPoolAsConv: the chapter's 3×3 input, 2×2 window, stride 1" }, points: 2 },
      { key: "default-stride", title: { zh: "avgPoolAsConv：不给步幅时，步幅等于窗口大小", en: "avgPoolAsConv: stride left out means the window size" }, points: 1 },
      { key: "padding-stride", title: { zh: "avgPoolAsConv：本节的填充和步幅设置", en: "avgPoolAsConv: the chapter's padding and stride settings" }, points: 2 },
      { key: "channels-batch", title: { zh: "avgPoolAsConv：批量和多通道", en: "avgPoolAsConv: batch and several channels" }, points: 2 },
      { key: "random", title: { zh: "avgPoolAsConv：随机输入（fast-check）", en: "avgPoolAsConv: random inputs (fast-check)" }, points: 1 },
      { key: "dtype", title: { zh: "avgPoolAsConv：输出保持 X 的 dtype（float64 输入）", en: "avgPoolAsConv: the output keeps X's dtype (float64 input)" }, points: 1 },
      { key: "hidden-float64-gaps", title: { zh: "avgPoolAsConv：float64、三维输入、步幅大于窗口", en: "avgPoolAsConv: float64, 3-D input, stride larger than the window" }, points: 2, hidden: true },
    ],
  },
  {
    id: "max-pool-as-conv",
    zh: 2,
    en: null,
    title: { zh: "把最大汇聚层实现为卷积层的特例（滑动窗口取最大值）", en: "Max pooling over a convolution's sliding window" },
    exports: ["maxPoolAsConv"],
    library: { forbid: ALL_POOLING, instead: { zh: "自己写出窗口", en: "build the window yourself" } },
    parts: [
      { key: "seed", title: { zh: "本节的 3×3 输入、2×2 窗口、步幅 1", en: "the chapter's 3×3 input, 2×2 window, stride 1" }, points: 2 },
      { key: "default-stride", title: { zh: "不给步幅时，步幅等于窗口大小", en: "stride left out means the window size" }, points: 1 },
      { key: "padding-stride", title: { zh: "本节的填充和步幅设置", en: "the chapter's padding and stride settings" }, points: 2 },
      { key: "negative-padding", title: { zh: "填充永远不参与取最大值（全为负数的输入）", en: "padding is never a candidate for the maximum (all-negative input)" }, points: 2 },
      { key: "channels-batch", title: { zh: "本节的双通道输入，以及一个批量", en: "the chapter's two-channel input, and a batch" }, points: 2 },
      { key: "nan", title: { zh: "NaN 会传播，与 torch.max 一样", en: "NaN propagates, as torch.max" }, points: 1 },
      { key: "random", title: { zh: "有并列值的随机输入（fast-check）", en: "random inputs with ties (fast-check)" }, points: 1 },
      { key: "dtype", title: { zh: "输出保持 X 的 dtype（float64 输入）", en: "the output keeps X's dtype (float64 input)" }, points: 1 },
      { key: "hidden-inf-float64", title: { zh: "±inf 与 float64、三维输入", en: "±inf and float64, 3-D input" }, points: 2, hidden: true },
    ],
  },
  {
    id: "max-pool-not-linear",
    zh: null,
    en: 2,
    title: { zh: "证明最大汇聚不能只用卷积实现（线性的反例）", en: "Max pooling is not a convolution: a counterexample to linearity" },
    exports: ["additivityCounterexample", "scalingCounterexample", "WHY_NOT_CONV"],
    parts: [
      { key: "additivity", title: { zh: "additivityCounterexample：maxPool(x + y) ≠ maxPool(x) + maxPool(y)", en: "additivityCounterexample: maxPool(x + y) ≠ maxPool(x) + maxPool(y)" }, points: 5 },
      { key: "scaling", title: { zh: "scalingCounterexample：maxPool(a·x) ≠ a·maxPool(x)", en: "scalingCounterexample: maxPool(a·x) ≠ a·maxPool(x)" }, points: 3 },
      { key: "answer", title: { zh: "书面回答：为什么一个反例就排除了所有卷积", en: "written answer: why a counterexample rules out every convolution" }, points: 0 },
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
      instead: { zh: "只用 relu、add、sub、neg 和 mul（汇聚用 conv2d）", en: "use only relu, add, sub, neg and mul (and conv2d for the pooling)" },
    },
    parts: [
      { key: "max-values", title: { zh: "maxViaRelu：在随机输入上等于 torch.maximum", en: "maxViaRelu: equals torch.maximum on random inputs" }, points: 3 },
      { key: "max-edge", title: { zh: "maxViaRelu：并列值、零、负数、大数、NaN", en: "maxViaRelu: ties, zeros, negatives, large values, NaN" }, points: 1 },
      { key: "max-only-relu", title: { zh: "maxViaRelu：只用 relu、add、sub、neg 和乘常数的 mul（在记录下的运算上检查）", en: "maxViaRelu: uses only relu, add, sub, neg and mul by constants (checked on the recorded operations)" }, points: 2 },
      { key: "pool-seed", title: { zh: "maxPool2x2ViaRelu：本节的输入", en: "maxPool2x2ViaRelu: the chapter's inputs" }, points: 2 },
      { key: "pool-channels-batch", title: { zh: "maxPool2x2ViaRelu：批量和多通道", en: "maxPool2x2ViaRelu: batch and several channels" }, points: 2 },
      { key: "pool-random", title: { zh: "maxPool2x2ViaRelu：随机输入、奇数尺寸（fast-check）", en: "maxPool2x2ViaRelu: random inputs, odd sizes (fast-check)" }, points: 1 },
      { key: "pool-dtype", title: { zh: "maxPool2x2ViaRelu：输出保持 X 的 dtype（float64 输入）", en: "maxPool2x2ViaRelu: the output keeps X's dtype (float64 input)" }, points: 1 },
      { key: "pool-only-conv-relu", title: { zh: "maxPool2x2ViaRelu：只用固定卷积核的 conv2d、relu、加和减（在记录下的运算上检查）", en: "maxPool2x2ViaRelu: uses only conv2d with fixed kernels, relu, + and − (checked on the recorded operations)" }, points: 1 },
      { key: "sizes-2x2", title: { zh: "reluTournament(4)：2×2 窗口需要的层数和通道数", en: "reluTournament(4): layers and channels for a 2×2 window" }, points: 1 },
      { key: "sizes-3x3", title: { zh: "reluTournament(9)：3×3 窗口需要的层数和通道数", en: "reluTournament(9): layers and channels for a 3×3 window" }, points: 2 },
      { key: "hidden-pool-float64", title: { zh: "maxPool2x2ViaRelu：float64、奇数尺寸；其他大小的 reluTournament", en: "maxPool2x2ViaRelu: float64, odd sizes; reluTournament for other sizes" }, points: 2, hidden: true },
    ],
  },
  {
    id: "pooling-cost",
    zh: 3,
    en: 4,
    title: { zh: "汇聚层的计算成本", en: "The computational cost of a pooling layer" },
    exports: ["d2lPoolingCost", "poolingReads"],
    parts: [
      { key: "formula-seed", title: { zh: "d2lPoolingCost：手算用例上的输出大小（6.3 节）× k_h·k_w", en: "d2lPoolingCost: output size (6.3) × k_h·k_w on hand-worked cases" }, points: 2 },
      { key: "formula-geometry", title: { zh: "d2lPoolingCost：与模块的输出大小一致（总填充 = 2 × 每边填充）", en: "d2lPoolingCost: agrees with the module's output size (total padding = 2 × per side)" }, points: 3 },
      { key: "reads-hand", title: { zh: "poolingReads：手算用例", en: "poolingReads: hand-worked cases" }, points: 2 },
      { key: "reads-instrumented", title: { zh: "poolingReads：等于在 F.maxPool2d 内核里数到的读取次数（随机）", en: "poolingReads: equals the reads counted in F.maxPool2d's kernel (random)" }, points: 4 },
      { key: "reads-edge", title: { zh: "poolingReads：边界情况（填充 = 半个窗口、步幅 > 窗口、1×1 输入）、平均汇聚内核", en: "poolingReads: edge cases (padding = half the window, stride > window, 1×1 input), avg kernel" }, points: 3 },
      { key: "hidden-large", title: { zh: "两个函数在大的层上（精确整数）", en: "both functions on large layers (exact integers)" }, points: 2, hidden: true },
    ],
  },
  {
    id: "max-vs-avg",
    zh: 4,
    en: 5,
    title: { zh: "为什么最大汇聚层和平均汇聚层的工作方式不同（量化）", en: "Why max and average pooling behave differently, measured" },
    exports: ["shiftChange", "noiseChange", "WHY_DIFFERENT"],
    parts: [
      { key: "shift-known", title: { zh: "shiftChange：窗口内和跨窗口的线、尖峰、边缘图像、棋盘格（手算）", en: "shiftChange: a line inside and across a window, a peak, the edge image, a checkerboard (worked by hand)" }, points: 3 },
      { key: "shift-identity", title: { zh: "shiftChange：恒等汇聚在平移 d = 0、1、2 时；常数图像；d = 0", en: "shiftChange: identity pool for shifts d = 0, 1, 2; constant images; d = 0" }, points: 2 },
      { key: "shift-random", title: { zh: "shiftChange：随机图像、窗口和平移（fast-check）", en: "shiftChange: random images, windows and shifts (fast-check)" }, points: 2 },
      { key: "noise-known", title: { zh: "noiseChange：手算用例、稀疏尖峰、零噪声、恒等汇聚、常数噪声", en: "noiseChange: worked by hand, a sparse peak, zero noise, identity pool, constant noise" }, points: 2 },
      { key: "noise-random", title: { zh: "noiseChange：随机图像和噪声（fast-check）", en: "noiseChange: random images and noise (fast-check)" }, points: 2 },
      { key: "properties", title: { zh: "两者：float64 仍是 float64，结果图随 |a| 缩放", en: "both: float64 stays float64, the maps scale with |a|" }, points: 1 },
      { key: "answer", title: { zh: "书面回答：最大汇聚什么时候对平移和噪声不敏感，什么时候敏感", en: "written answer: when max pooling is insensitive to shifts and noise, and when not" }, points: 0 },
      { key: "hidden-more-pools", title: { zh: "两者：批量输入、带填充的汇聚和 LP 汇聚、更长的平移", en: "both: batched input, padded and LP pools, longer shifts" }, points: 2, hidden: true },
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
      instead: { zh: "用 F.maxPool2d 和取负来实现", en: "build it from F.maxPool2d and negation" },
    },
    parts: [
      { key: "seed", title: { zh: "minPool2d：本节的 3×3 输入、2×2 窗口、步幅 1", en: "minPool2d: the chapter's 3×3 input, 2×2 window, stride 1" }, points: 2 },
      { key: "padding-stride-channels", title: { zh: "minPool2d：填充、步幅、矩形窗口、多通道", en: "minPool2d: padding, stride, rectangular window, channels" }, points: 2 },
      { key: "nan-ties", title: { zh: "minPool2d：NaN、并列值、±inf", en: "minPool2d: NaN, ties, ±inf" }, points: 1 },
      { key: "random", title: { zh: "minPool2d：随机输入（fast-check）", en: "minPool2d: random inputs (fast-check)" }, points: 1 },
      { key: "indices", title: { zh: "minPool2dWithIndices：索引的规则与 F.maxPool2d 相同（取第一个最小值，NaN 取最后一个）", en: "minPool2dWithIndices: indices as F.maxPool2d's (first minimum wins, the last NaN)" }, points: 2 },
      { key: "dtype", title: { zh: "两者：输出保持 X 的 dtype（float64 输入）", en: "both: the output keeps X's dtype (float64 input)" }, points: 1 },
      { key: "from-max-pool", title: { zh: "minPool2d：由 F.maxPool2d 和取负构成（在记录下的运算上检查）", en: "minPool2d: built from F.maxPool2d and negation (checked on the recorded operations)" }, points: 1 },
      { key: "need", title: { zh: "书面回答：需要单独的最小汇聚层吗？", en: "written answer: is a separate min-pooling layer needed?" }, points: 0 },
      { key: "answer", title: { zh: "书面回答：最小汇聚什么时候有用，怎样代替它", en: "written answer: when min pooling is useful and how to replace it" }, points: 0 },
      { key: "hidden-float64-3d", title: { zh: "minPool2d：float64、三维输入、-inf", en: "minPool2d: float64, 3-D input, -inf" }, points: 2, hidden: true },
    ],
  },
  {
    id: "softmax-pool",
    zh: 6,
    en: 7,
    title: { zh: "softmax 汇聚", en: "Softmax pooling" },
    exports: ["softmaxPool2d", "WHY_UNPOPULAR"],
    parts: [
      { key: "seed", title: { zh: "本节的 3×3 输入，β = 1", en: "the chapter's 3×3 input, β = 1" }, points: 2 },
      { key: "beta-large", title: { zh: "β → ∞ 得到最大汇聚，β → −∞ 得到最小汇聚", en: "β → ∞ gives max pooling, β → −∞ min pooling" }, points: 3 },
      { key: "beta-small", title: { zh: "β → 0 得到平均汇聚（不计填充）", en: "β → 0 gives average pooling (padding not counted)" }, points: 3 },
      { key: "stable", title: { zh: "数值稳定：|x| = 1e4 也不溢出", en: "numerically stable: |x| = 1e4 does not overflow" }, points: 3 },
      { key: "padding-stride-channels", title: { zh: "填充、步幅、矩形窗口、多通道", en: "padding, stride, rectangular window, channels" }, points: 2 },
      { key: "nan", title: { zh: "窗口里有 NaN 时结果为 NaN", en: "NaN in a window gives NaN" }, points: 1 },
      { key: "random", title: { zh: "随机输入和 β（fast-check）", en: "random inputs and β (fast-check)" }, points: 1 },
      { key: "dtype", title: { zh: "输出保持 X 的 dtype（float64 输入）", en: "the output keeps X's dtype (float64 input)" }, points: 1 },
      { key: "answer", title: { zh: "书面回答：为什么 softmax 汇聚不常用", en: "written answer: why softmax pooling is unpopular" }, points: 0 },
      { key: "hidden-negative-beta", title: { zh: "β → −∞ 得到最小汇聚；float64", en: "β → −∞ gives min pooling; float64" }, points: 2, hidden: true },
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

/**
 * How the student's notebook numbers an exercise: the book's own number, and after the book's
 * exercises the other edition's extras in its order — the zh chapter's 练习 7 and 8 are d2l-en's
 * exercises 2 and 3, the en chapter's Exercise 8 is d2l-zh's exercise 2.
 */
export function notebookNumber(exercise: Pick<Exercise, "id">, lang: "zh" | "en"): number {
  const e = exerciseById(exercise.id);
  const own = e[lang];
  if (own !== null) return own;
  const other = lang === "zh" ? "en" : "zh";
  const inBook = EXERCISES.filter((x) => x[lang] !== null).length;
  const extras = EXERCISES.filter((x) => x[lang] === null).sort((a, b) => (a[other] ?? 0) - (b[other] ?? 0));
  return inBook + 1 + extras.indexOf(e);
}

/** Exercises (or anything with an exercise's id) in the order the notebook of `lang` numbers them. */
export function inNotebookOrder<T extends Pick<Exercise, "id">>(items: readonly T[], lang: "zh" | "en"): T[] {
  return [...items].sort((a, b) => notebookNumber(a, lang) - notebookNumber(b, lang));
}

/** "练习 7" / "Exercise 8": as the student's notebook calls it. */
export function exerciseLabel(exercise: Pick<Exercise, "id">, lang: "zh" | "en"): string {
  const n = notebookNumber(exercise, lang);
  return lang === "zh" ? `练习 ${n}` : `Exercise ${n}`;
}

/** An exercise by its file name (`min-pool`) or its number in the student's notebook (`5`). */
export function exerciseByName(name: string, lang: "zh" | "en"): Exercise {
  if (/^\d+$/.test(name)) {
    const found = EXERCISES.find((e) => notebookNumber(e, lang) === Number(name));
    if (found) return found;
    const list = EXERCISES.map((e) => `${notebookNumber(e, lang)} = ${e.id}`).join(", ");
    throw new Error(lang === "zh" ? `没有练习 ${name}；练习是：${list}` : `there is no exercise ${name}; the exercises are: ${list}`);
  }
  return exerciseById(name.replace(/\.ts$/, ""));
}
