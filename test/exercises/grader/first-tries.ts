/**
 * Typical first tries at the exercises: each is a whole exercise file as a student might hand it in —
 * the reference solution with one mistake edited in, or written out in full — with the visible parts
 * it must lose and what their feedback must (and must not) say. first-tries.test.ts grades them all
 * in one batch with the real grader.
 *
 * They prove that every newly graded rule costs exactly its part, and that each hint fits the mistake
 * that really happened (the "0 at the border" hint is not given to a maximum that starts at 0).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ExerciseId } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";

export interface Feedback {
  /** Every pattern must occur in the part's feedback (its English; first-tries.test.ts checks the Chinese is Chinese). */
  says: RegExp[];
  /** No pattern may occur (a misleading hint, or an answer given away). */
  never?: RegExp[];
}

export interface FirstTry {
  /** Folder name of the submission. */
  name: string;
  exercise: ExerciseId;
  /** The exercise file handed in. */
  source: string;
  /** The VISIBLE parts it must fail (part key → feedback); every other visible part must pass. */
  fails: Record<string, Feedback>;
}

const reference = (id: ExerciseId) => fs.readFileSync(path.join(projectRoot(), "solutions", `${id}.ts`), "utf8");

/** The reference solution with `from` replaced by `to` (the n-th occurrence, default the first); throws when `from` is not there. */
function edit(id: ExerciseId, ...edits: [from: string, to: string][]): string {
  let text = reference(id);
  for (const [from, to] of edits) {
    const at = text.indexOf(from);
    if (at < 0) throw new Error(`first try of ${id}: the reference solution no longer contains ${JSON.stringify(from)} — update the edit`);
    text = text.slice(0, at) + to + text.slice(at + from.length);
  }
  return text;
}

/** A min pooling (or max pooling) written as loops, the way a first try often is. */
function loopPool(fn: string, kind: "min" | "max", start: string, padding: "clip" | "zeros"): string {
  const better = kind === "min" ? "v < best" : "v > best";
  const read = padding === "clip" ? "if (h < 0 || w < 0 || h >= H || w >= W) continue;\n            const v = X.data[(p * H + h) * W + w];" : "const v = h < 0 || w < 0 || h >= H || w >= W ? 0 : X.data[(p * H + h) * W + w];";
  return `  const [kh, kw] = pair(kernelSize);
  const [sh, sw] = pair(options.stride ?? kernelSize);
  const [ph, pw] = pair(options.padding ?? 0);
  const [H, W] = X.shape.slice(-2);
  const lead = X.shape.slice(0, -2);
  const planes = lead.reduce((p, d) => p * d, 1);
  const outH = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const out: number[] = [];
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++) {
        let best = ${start};
        for (let h = i * sh - ph; h < i * sh - ph + kh; h++)
          for (let w = j * sw - pw; w < j * sw - pw + kw; w++) {
            ${read}
            if (Number.isNaN(best)) continue;
            if (Number.isNaN(v) || ${better}) best = v;
          }
        out.push(best);
      }
  return torch.tensor(out, { dtype: X.dtype }).reshape(...lead, outH, outW);
  // (${fn})`;
}

const PAIR = `const pair = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);`;

function maxPoolAsConvLoop(start: string, padding: "clip" | "zeros"): string {
  return `import { torch, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";
export interface PoolConvOptions { stride?: Pair; padding?: Pair }
${PAIR}
export function maxPoolAsConv(X: Tensor, kernelSize: Pair, options: PoolConvOptions = {}): Tensor {
${loopPool("maxPoolAsConv", "max", start, padding)}
}
`;
}

function minPoolLoop(start: string): string {
  return `import { torch, F, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";
export interface MinPoolOptions { stride?: Pair; padding?: Pair }
${PAIR}
export function minPool2d(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): Tensor {
${loopPool("minPool2d", "min", start, "clip")}
}
export function minPool2dWithIndices(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): [Tensor, Tensor] {
  const [values, indices] = F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding, returnIndices: true });
  return [values.neg(), indices];
}
export const NEED_MIN_POOL = "Not as a primitive: the negation trick gives it, but a layer reads more clearly.";
export const WHY_MIN_POOL = "Dark spots on a bright background; negate, max-pool, negate back.";
`;
}

const dtypeSays: Feedback = { says: [/wrong dtype: expected float64, got float32/, /keeps X's dtype/] };

export const FIRST_TRIES: FirstTry[] = [
  // ── 练习 1 / Exercise 1: average pooling as a convolution
  {
    name: "avg-always-float32",
    exercise: "avg-pool-as-conv",
    source: edit("avg-pool-as-conv", ["return conv2d(X, avgPoolWeight", "return conv2d(X.float(), avgPoolWeight"]),
    fails: { dtype: dtypeSays },
  },
  {
    name: "avg-conv-default-stride",
    exercise: "avg-pool-as-conv",
    source: edit("avg-pool-as-conv", ["stride: options.stride ?? kernelSize", "stride: options.stride ?? 1"]),
    fails: {
      "default-stride": {
        says: [/wrong shape: expected \[1, 1, 2, 2\], got \[1, 1, 3, 3\]/, /H_out = ⌊\(H \+ 2·p_h − k_h\)\/s_h⌋ \+ 1 = ⌊\(4 \+ 2·0 − 2\)\/2⌋ \+ 1 = 2/, /Your 3×3 is what stride 1 gives/],
      },
      "channels-batch": { says: [/wrong shape/, /H_out = ⌊\(H \+ 2·p_h − k_h\)\/s_h⌋ \+ 1/, /what stride 1 gives/] },
    },
  },
  {
    name: "avg-weight-sums",
    exercise: "avg-pool-as-conv",
    source: edit("avg-pool-as-conv", ["weight.set([c, c], 1 / (kh * kw))", "weight.set([c, c], 1)"]),
    fails: Object.fromEntries(
      ["weight-seed", "weight-channels", "seed", "default-stride", "padding-stride", "channels-batch", "random", "dtype"].map((k) => [
        k,
        k.startsWith("weight")
          ? { says: [/is not F\.avgPool2d/, /all-ones weights, conv2d gives each window's SUM/], never: [k === "weight-seed" ? /0\.2500/ : /0\.1667/, /1\/\(k_h·k_w\)/] }
          : { says: [/wrong values/] },
      ]),
    ),
  },
  {
    name: "avg-weight-mixes-channels",
    exercise: "avg-pool-as-conv",
    source: edit("avg-pool-as-conv", ["const weight = torch.zeros([channels, channels, kh, kw]);\n  for (let c = 0; c < channels; c++) weight.set([c, c], 1 / (kh * kw));", "const weight = torch.full([channels, channels, kh, kw], 1 / (kh * kw * channels));"]),
    fails: {
      "weight-channels": { says: [/reads input channels i ≠ o/], never: [/0\.1667/] },
      "channels-batch": { says: [/wrong values/] },
      random: { says: [/wrong values/] },
      dtype: { says: [/wrong values/] },
    },
  },

  // ── 练习 2: max pooling over a convolution's window
  {
    name: "max-conv-starts-at-zero",
    exercise: "max-pool-as-conv",
    source: maxPoolAsConvLoop("0", "clip"),
    fails: {
      "negative-padding": { says: [/does your running maximum start at 0\?/], never: [/only windows that reach into the padding/] },
      // Only border windows are all-negative in this input: the result cannot tell the two mistakes apart.
      "channels-batch": { says: [/0 must never win/], never: [/only windows that reach into the padding/] },
      random: { says: [/wrong values/] },
    },
  },
  {
    name: "max-conv-zero-padding",
    exercise: "max-pool-as-conv",
    source: maxPoolAsConvLoop("-Infinity", "zeros"),
    fails: {
      "negative-padding": { says: [/only windows that reach into the padding are wrong, and they show 0/], never: [/start at 0/] },
      "channels-batch": { says: [/0 must never win/], never: [/does your running maximum start at 0/] },
      random: { says: [/wrong values/] },
    },
  },
  {
    name: "max-conv-always-float32",
    exercise: "max-pool-as-conv",
    source: edit("max-pool-as-conv", ["torch.zeros([N, C, outH, outW], { dtype: X.dtype })", "torch.zeros([N, C, outH, outW])"]),
    fails: { dtype: dtypeSays },
  },

  // ── d2l-en 3: max via ReLU
  {
    name: "relu-max-forgets-b",
    exercise: "max-via-relu",
    source: edit("max-via-relu", ["return b.add(a.sub(b).relu());", "return a.sub(b).relu();"]),
    fails: Object.fromEntries(
      ["max-values", "max-edge", "max-only-relu"].map((k) => [k, { says: [/your result is ReLU\(a − b\)/], never: [/b \+ ReLU\(a − b\)/, /max\(a, b\) =/] }]),
    ),
  },
  {
    name: "relu-pool-always-float32",
    exercise: "max-via-relu",
    source: edit("max-via-relu", ["const x = X.reshape(planes, 1, H, W);", "const x = X.reshape(planes, 1, H, W).float();"]),
    fails: { "pool-dtype": dtypeSays },
  },
  {
    name: "relu-tournament-no-carry",
    exercise: "max-via-relu",
    source: edit("max-via-relu", ["channels.push(3 * pairs + 2 * odd);", "channels.push(3 * pairs);"]),
    fails: {
      "sizes-3x3": {
        says: [/reluTournament\(9\): the channel count of layer 1 is wrong: you gave channels\[0\] = 12/, /your function returned \{ layers: 4, channels: \[12, 6, 3, 3\] \}/, /is one left over to carry/],
        never: [/14/, /\[14, 8, 5, 3\]/, /expected/],
      },
    },
  },
  {
    // Issue 19: "layer 4 does not have 2 channels" said neither what was given nor which entry.
    // The last pair "needs only ReLU(a − b) and b": it says which entry is off and what was given,
    // never the count expected (the numbers ARE the question).
    name: "relu-tournament-last-pair-two-channels",
    exercise: "max-via-relu",
    source: edit("max-via-relu", ["channels.push(3 * pairs + 2 * odd);", "channels.push(n === 2 ? 2 : 3 * pairs + 2 * odd);"]),
    fails: {
      "sizes-2x2": { says: [/reluTournament\(4\): the channel count of layer 2 is wrong: you gave channels\[1\] = 2/, /your function returned \{ layers: 2, channels: \[6, 2\] \}/], never: [/expected/, /= 3\b/] },
      "sizes-3x3": {
        says: [/reluTournament\(9\): the channel count of layer 4 is wrong: you gave channels\[3\] = 2/, /your function returned \{ layers: 4, channels: \[14, 8, 5, 2\] \}/, /how many pairs do they form/],
        never: [/expected/, /= 3\b/],
      },
    },
  },

  // ── 练习 5 / Exercise 6: min pooling
  {
    name: "min-returns-max",
    exercise: "min-pool",
    source: edit("min-pool", ["return F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding }).neg();", "return F.maxPool2d(X, kernelSize, { stride: options.stride, padding: options.padding });"]),
    fails: Object.fromEntries(
      ["seed", "padding-stride-channels", "nan-ties", "random", "dtype", "from-max-pool"].map((k) => [
        k,
        { says: [/these are the windows' largest values/], never: [/X\.neg\(\)/, /\.neg\(\)/, /−max\(−x\)/] },
      ]),
    ),
  },
  {
    name: "min-negates-the-max",
    exercise: "min-pool",
    source: edit("min-pool", ["return F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding }).neg();", "return F.maxPool2d(X, kernelSize, { stride: options.stride, padding: options.padding }).neg();"]),
    fails: Object.fromEntries(
      // A shrunk random case (one cell) cannot tell −max from −min: its hint says only the sign.
      ["seed", "padding-stride-channels", "nan-ties", "random", "dtype", "from-max-pool"].map((k) => [
        k,
        { says: [k === "random" ? /every output has the wrong sign: these windows hold equal values/ : /−\(the largest value\) of each window, not the smallest/], never: [/X\.neg\(\)/] },
      ]),
    ),
  },
  {
    // Issue 19: the final negation left out gives max(−X) = −min; a shrunk random case (windows of
    // equal values) cannot tell that from −max, and then the hint says only the sign — never
    // "−(the largest value)", which is another mistake.
    name: "min-forgets-last-negation",
    exercise: "min-pool",
    source: edit("min-pool", ["return F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding }).neg();", "return F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding });"]),
    fails: Object.fromEntries(
      ["seed", "padding-stride-channels", "nan-ties", "random", "dtype", "from-max-pool"].map((k) => [
        k,
        {
          says: [k === "random" ? /every output has the wrong sign: these windows hold equal values/ : /the right cells, with the wrong sign: these are the largest values of −X/],
          never: [/−\(the largest value\) of each window/, /X\.neg\(\)/],
        },
      ]),
    ),
  },
  {
    // Its own loops read the values, which min-pool's code cannot do when graded (the task is "from
    // F.maxPool2d"): every minPool2d part fails, saying what to do instead. (A running minimum that
    // starts at 0 gets the same answer: it cannot run either; max-conv-starts-at-zero has that hint.)
    name: "min-loops",
    exercise: "min-pool",
    source: minPoolLoop("Infinity"),
    fails: Object.fromEntries(
      ["seed", "padding-stride-channels", "nan-ties", "random", "dtype", "from-max-pool"].map((key) => [key, { says: [/needs the values of the grader's inputs, which this exercise does not give your code .*build it from F\.maxPool2d/] }]),
    ),
  },
  {
    name: "min-negates-indices",
    exercise: "min-pool",
    source: edit("min-pool", ["return [values.neg(), indices];", "return [values.neg(), indices.neg()];"]),
    fails: { indices: { says: [/indices are positions/] } },
  },
  {
    name: "min-always-float32",
    exercise: "min-pool",
    source: edit("min-pool", ["padding: options.padding }).neg();", "padding: options.padding }).neg().float();"]),
    fails: { dtype: dtypeSays },
  },
  {
    name: "min-other-opinion",
    exercise: "min-pool",
    source: edit("min-pool", ["export const NEED_MIN_POOL =\n", "export const NEED_MIN_POOL =\n  \"Yes: as its own layer the intent is explicit, and a fused kernel saves two passes over the data. \" +\n"]),
    fails: {},
  },

  // ── 练习 6 / Exercise 7: softmax pooling
  {
    name: "softmax-always-float32",
    exercise: "softmax-pool",
    source: edit(
      "softmax-pool",
      ['const out = X.dtype === "float64" ? new Float64Array(planes * outH * outW) : new Float32Array(planes * outH * outW);', "const out = new Float32Array(planes * outH * outW);"],
      ["return new Tensor(out, [...lead, outH, outW], X.dtype);", 'return new Tensor(out, [...lead, outH, outW], "float32");'],
    ),
    fails: { dtype: dtypeSays },
  },

  {
    name: "softmax-pads-with-zeros",
    exercise: "softmax-pool",
    source: edit(
      "softmax-pool",
      ["const x = X.data;", "const x = X.data;\n  const at = (p: number, h: number, w: number) => (h < 0 || w < 0 || h >= H || w >= W ? 0 : x[(p * H + h) * W + w]);"],
      ["const top = Math.max(i * sh - ph, 0);", "const top = i * sh - ph;"],
      ["const bottom = Math.min(i * sh - ph + kh, H);", "const bottom = i * sh - ph + kh;"],
      ["const left = Math.max(j * sw - pw, 0);", "const left = j * sw - pw;"],
      ["const right = Math.min(j * sw - pw + kw, W);", "const right = j * sw - pw + kw;"],
      ["beta * x[(p * H + h) * W + w]", "beta * at(p, h, w)"],
      ["const v = x[(p * H + h) * W + w];", "const v = at(p, h, w);"],
    ),
    fails: Object.fromEntries(["beta-large", "beta-small", "padding-stride-channels", "random"].map((k) => [k, { says: [/only windows that reach into the padding are wrong: padding cells are not part of the window/] }])),
  },
  {
    // Issue 19: without subtracting the window's largest β·x, exp(β·x) overflows at β = 1e4 and the
    // result is NaN — the hint says so, not "the weights concentrate on the maximum".
    name: "softmax-overflows",
    exercise: "softmax-pool",
    source: edit("softmax-pool", ["const e = Math.exp(beta * v - m);", "const e = Math.exp(beta * v);"]),
    fails: {
      "beta-large": { says: [/the exponentials overflowed/, /exp\(1e4\) overflows to Infinity/], never: [/concentrate on the window's maximum/] },
      stable: { says: [/exp\(1e4\) overflows to Infinity/] },
    },
  },

  // ── d2l-en 2: max versus average pooling
  {
    // A student's report: the absolute value left out got the whole recipe, not what was missing.
    name: "shift-forgets-abs",
    exercise: "max-vs-avg",
    source: edit("max-vs-avg", ["return pool(moved).sub(pool(original)).abs();", "return pool(moved).sub(pool(original));"]),
    fails: {
      "shift-known": { says: [/your map holds negative values/, /absolute value/] },
      "shift-identity": { says: [/your map holds negative values/] },
      "shift-random": { says: [/your map holds negative values/] },
      properties: { says: [/your map holds negative values/] },
    },
  },

  // ── 练习 3 / Exercise 4: the cost
  {
    name: "cost-doubles-the-total",
    exercise: "pooling-cost",
    source: edit("pooling-cost", ["Math.floor((h - kh + ph + sh) / sh) * Math.floor((w - kw + pw + sw) / sw)", "Math.floor((h - kh + 2 * ph + sh) / sh) * Math.floor((w - kw + 2 * pw + sw) / sw)"]),
    fails: {
      "formula-seed": { says: [/paddingTotal is already the total of both sides/], never: [/c·k_h·k_w·⌊/] },
      "formula-geometry": { says: [/paddingTotal is already the total of both sides/] },
    },
  },
  {
    // A student's report: an output size one short got only the general formula as a hint.
    name: "cost-drops-the-plus-s",
    exercise: "pooling-cost",
    source: edit("pooling-cost", ["Math.floor((h - kh + ph + sh) / sh)", "Math.floor((h - kh + ph) / sh)"]),
    fails: {
      "formula-seed": { says: [/one row or column of windows short/], never: [/c·k_h·k_w·⌊/] },
      "formula-geometry": { says: [/one row or column of windows short/] },
    },
  },
  {
    name: "reads-counts-full-windows",
    exercise: "pooling-cost",
    source: edit("pooling-cost", ["return c * cellsAlong(h, kernel[0], padding[0], stride[0]) * cellsAlong(w, kernel[1], padding[1], stride[1]);", "return d2lPoolingCost(c, h, w, kernel, [2 * padding[0], 2 * padding[1]], stride);"]),
    fails: {
      "reads-hand": { says: [/expected 25, got 36/, /counts every window as a full 3×3 window/], never: [/Σ rows inside/] },
      "reads-instrumented": { says: [/counts every window as a full/] },
      "reads-edge": { says: [/counts every window as a full/] },
    },
  },
  {
    // Issue 19: the channels left out got "Padding is never read…" although the layer had no padding.
    name: "reads-forgets-channels",
    exercise: "pooling-cost",
    source: edit("pooling-cost", ["return c * cellsAlong(h, kernel[0], padding[0], stride[0])", "return cellsAlong(h, kernel[0], padding[0], stride[0])"]),
    fails: {
      // (An instructor's grading checks a fresh case after the first fixed one; a student's run
      // fails on the fixed case without padding, and its hint says "There is no padding here".)
      "reads-hand": { says: [/every channel is read on its own: this layer has \d channels, and your number is the reads of one channel/] },
      "reads-instrumented": { says: [/every channel is read on its own/] },
      "reads-edge": { says: [/every channel is read on its own/] },
    },
  },
];
