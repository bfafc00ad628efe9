/**
 * Hints chosen from what the student's result shows, for the pooling exercises.
 *
 * A fixed hint is right for one mistake and misleading for the others: "padding gave 0 at the border"
 * is wrong advice when the running maximum simply starts at 0. So these look at the result first:
 *
 * - a wrong shape or rank → the output-size formula worked out for this very call;
 * - a wrong dtype → the output keeps X's dtype;
 * - wrong values → what the wrong cells have in common (only windows reaching into the padding? a 0
 *   in a window that lies inside the input?), else the exercise's own hint.
 *
 * Hints point at the concept; they never print the answer. Each is a Text (src/grader/i18n.ts): the
 * Chinese and the English, written for a student who reads that language, with the same values and
 * code in both.
 */
import { Tensor } from "d2l-pooling";
import { join, text, type Text } from "../../../src/grader/i18n";
import type { Hint, Outcome } from "../../../src/grader/spec/harness";

type Pair = number | readonly number[];

/** One pooling call's geometry: X, window, stride (default: the window) and padding per side. */
export interface PoolCall {
  X: Tensor;
  k: [number, number];
  s: [number, number];
  p: [number, number];
  /** Whether the stride was left out (pooling's default: the window size). */
  defaultStride: boolean;
}

const pair = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

/** Reads `(X, kernelSize, { stride, padding })`; null when the arguments are not of that form. */
export function poolCallOf(args: readonly unknown[]): PoolCall | null {
  const [X, k, o] = args as [unknown, Pair | undefined, { stride?: Pair; padding?: Pair } | undefined];
  if (!(X instanceof Tensor) || k === undefined) return null;
  const kk = pair(k);
  return { X, k: kk, s: pair(o?.stride ?? kk), p: pair(o?.padding ?? 0), defaultStride: o?.stride === undefined };
}

/** `⌊(4 + 2·1 − 3)/2⌋ + 1 = 2` for one dimension. */
function sizeAlong(n: number, k: number, s: number, p: number): { shown: string; out: number } {
  const out = Math.floor((n + 2 * p - k) / s) + 1;
  return { shown: `⌊(${n} + 2·${p} − ${k})/${s}⌋ + 1 = ${out}`, out };
}

/** The output-size formula worked out for this call, and what a common slip would have given. */
export function outputSizeNote(c: PoolCall, actual?: Tensor): Text {
  const [H, W] = c.X.shape.slice(-2);
  const h = sizeAlong(H, c.k[0], c.s[0], c.p[0]);
  const w = sizeAlong(W, c.k[1], c.s[1], c.p[1]);
  const k = c.k[0] === c.k[1] ? `${c.k[0]}` : `[${c.k.join(", ")}]`;
  const formula = `H_out = ⌊(H + 2·p_h − k_h)/s_h⌋ + 1 = ${h.shown}`;
  const parts: Text[] = [
    text(
      `输出大小为 ${formula}，W_out = ${w.shown}（填充按每一侧计${c.defaultStride ? `；没有给出步幅，所以步幅等于窗口大小 ${k}` : ""}）。`,
      `the output size is ${formula} and W_out = ${w.shown} (padding per side${c.defaultStride ? `; the stride was left out, so it is the window size, ${k}` : ""}).`,
    ),
  ];
  if (actual) {
    const [aH, aW] = actual.shape.slice(-2);
    const stride1 = [sizeAlong(H, c.k[0], 1, c.p[0]).out, sizeAlong(W, c.k[1], 1, c.p[1]).out];
    const noPad = [sizeAlong(H, c.k[0], c.s[0], 0).out, sizeAlong(W, c.k[1], c.s[1], 0).out];
    if (c.defaultStride && (c.s[0] > 1 || c.s[1] > 1) && aH === stride1[0] && aW === stride1[1]) {
      parts.push(
        text(
          `你得到的 ${aH}×${aW} 是步幅为 1 时的大小：卷积的步幅默认是 1，而汇聚层的步幅默认等于窗口大小。`,
          ` Your ${aH}×${aW} is what stride 1 gives: a convolution's stride defaults to 1, a pooling layer's to the window size.`,
        ),
      );
    } else if ((c.p[0] > 0 || c.p[1] > 0) && aH === noPad[0] && aW === noPad[1]) {
      parts.push(
        text(
          `你得到的 ${aH}×${aW} 是不加填充时的大小：填充 p 会在每一侧（上下、左右）各加 p 行（列）。`,
          ` Your ${aH}×${aW} is what no padding gives: padding p adds p rows (columns) on EACH side.`,
        ),
      );
    }
  }
  return join(parts);
}

/** Where a wrong shape differs: the rank, the leading (batch, channel) dimensions, or H_out × W_out. */
export function shapeHint(c: PoolCall, actual: Tensor): Text {
  const X = c.X;
  if (actual.dim() !== X.dim()) {
    const d = X.dim();
    return join([
      text(
        `X 有 ${d} 个维度，所以输出也应有 ${d} 个：(N, C, H, W) 得到 (N, C, H_out, W_out)，(C, H, W) 得到 (C, H_out, W_out)。`,
        `X has ${d} dimensions, so the output has ${d} too: (N, C, H, W) gives (N, C, H_out, W_out), (C, H, W) gives (C, H_out, W_out). `,
      ),
      outputSizeNote(c),
    ]);
  }
  const lead = `[${X.shape.slice(0, -2).join(", ")}]`;
  if (X.shape.slice(0, -2).some((d, i) => d !== actual.shape[i])) {
    return text(
      `输出保留 X 前面的维度 ${lead}（批量和通道）：每个样本的每个通道单独汇聚。`,
      `the output keeps X's leading dimensions ${lead} (batch and channels): each channel of each example is pooled on its own.`,
    );
  }
  return outputSizeNote(c, actual);
}

/** The positions (flat index into the output) where actual and expected differ by more than `tol`, relatively. */
function mismatches(expected: Tensor, actual: Tensor, tol = 1e-6): number[] {
  const out: number[] = [];
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    const a = actual.data[i];
    const same = a === e || (Number.isNaN(e) ? Number.isNaN(a) : Math.abs(a - e) <= 1e-12 + tol * Math.abs(e));
    if (!same) out.push(i);
  }
  return out;
}

/** Whether the window of output (i, j) reaches into the padding. */
export function touchesPadding(c: PoolCall, i: number, j: number): boolean {
  const [H, W] = c.X.shape.slice(-2);
  const top = i * c.s[0] - c.p[0];
  const left = j * c.s[1] - c.p[1];
  return top < 0 || left < 0 || top + c.k[0] > H || left + c.k[1] > W;
}

function position(flat: number, outH: number, outW: number): [number, number] {
  return [Math.floor(flat / outW) % outH, flat % outW];
}

/** A hint given as it is, or chosen from what happened. */
export function hintOf(hint: Hint | undefined, o: Outcome): Text | undefined {
  return typeof hint === "function" ? hint(o) : hint;
}

/**
 * A hint for a pooling function's result: shape and dtype first (they say exactly what is wrong),
 * then `values` for wrong values.
 */
export function poolingHint(values?: Hint, callOf: (args: readonly unknown[]) => PoolCall | null = poolCallOf): Hint {
  return (o: Outcome) => {
    const c = callOf(o.args);
    const { expected, actual } = o;
    if (c && expected instanceof Tensor && actual instanceof Tensor) {
      const sameShape = actual.dim() === expected.dim() && expected.shape.every((d, i) => d === actual.shape[i]);
      if (!sameShape) return shapeHint(c, actual);
      if (actual.dtype !== expected.dtype) {
        return text(
          `输出保持 X 的 dtype（这里 X 是 ${c.X.dtype}，你的结果是 ${actual.dtype}）：用对 X 做的张量运算得到结果（它们保持 X 的 dtype），或在创建结果时给出 { dtype: X.dtype }。`,
          `the output keeps X's dtype (X is ${c.X.dtype} here, your result is ${actual.dtype}): make the result from tensor operations on X, which keep its dtype, or give { dtype: X.dtype } when you create it.`,
        );
      }
    }
    return hintOf(values, o);
  };
}

/**
 * For max (or min) pooling over a window clipped to the input: tells apart padding that was counted as
 * 0 (only windows that reach into the padding are wrong, and they show 0) from a running max (min) that
 * starts at 0 (a window inside the input shows 0 although none of its cells is 0). When the result
 * cannot tell them apart (no window inside the input has only negative cells), it says so.
 */
export function zeroStartOrPadding(kind: "max" | "min", otherwise: Hint | undefined, callOf: (args: readonly unknown[]) => PoolCall | null = poolCallOf): Hint {
  return (o: Outcome) => {
    const c = callOf(o.args);
    const { expected, actual } = o;
    if (c && expected instanceof Tensor && actual instanceof Tensor && expected.data.length === actual.data.length) {
      const [outH, outW] = expected.shape.slice(-2);
      const bad = mismatches(expected, actual);
      const zeroAt = bad.filter((f) => actual.data[f] === 0);
      const wrongSign = (f: number) => (kind === "max" ? expected.data[f] < 0 : expected.data[f] > 0);
      const inside = zeroAt.filter((f) => wrongSign(f) && !touchesPadding(c, ...position(f, outH, outW)));
      const word = kind === "max" ? text("最大值", "maximum") : text("最小值", "minimum");
      const sign = kind === "max" ? text("负数", "negative") : text("正数", "positive");
      const inf = kind === "max" ? "−∞" : "+∞";
      if (inside.length > 0) {
        const [i, j] = position(inside[0], outH, outW);
        const e = expected.data[inside[0]];
        return text(
          `输出 (${i}, ${j}) 是 0，可它的窗口完全在输入之内，窗口的${word.zh}是 ${e}：你的${word.zh}是不是从 0 开始找的？${word.zh}必须从窗口自己的元素（或 ${inf}）开始，而不是从 0 开始，否则每个全是${sign.zh}的窗口都会得到 0。`,
          `output (${i}, ${j}) is 0, yet its window lies inside the input and its ${word.en} is ${e}: does your running ${word.en} start at 0? A ${word.en} must start from the window's own cells (or from ${inf}), not from 0, or every window of ${sign.en} numbers gives 0.`,
        );
      }
      if (bad.length > 0 && zeroAt.length === bad.length && bad.every((f) => touchesPadding(c, ...position(f, outH, outW)))) {
        // A window inside the input whose cells are all negative (positive) came out right: the start is not 0.
        const insideAllSigned = expected.data.some((_, f) => wrongSign(f) && !touchesPadding(c, ...position(f, outH, outW)));
        if (insideAllSigned) {
          return text(
            `只有伸进填充区域的窗口出错，而且它们都是 0：填充的格子从不参与求${word.zh}（PyTorch 的最大汇聚把它们当作 −∞，这和卷积填充的 0 不同）。把每个窗口裁剪到输入之内。`,
            `only windows that reach into the padding are wrong, and they show 0: padding cells are never candidates for the ${word.en} ` +
              `(PyTorch's max pooling treats them as −∞, unlike a convolution's zeros). Clip each window to the input.`,
          );
        }
        return text(
          `这些输出是 0，但它们窗口里真实的格子没有一个是 0：0 永远不应胜出。填充的格子不参与比较（相当于 ${inf}），求${word.zh}也要从窗口自己的元素开始，而不是从 0 开始。`,
          `these outputs are 0, but none of their windows' real cells is 0: 0 must never win. Padding cells are not candidates ` +
            `(they act as ${inf}), and a running ${word.en} starts from the window's own cells, not from 0.`,
        );
      }
    }
    return hintOf(otherwise, o);
  };
}

/** For a pooling whose windows exclude the padding: only the windows that reach into it are wrong. */
export function paddingOnly(why: Text, otherwise: Hint | undefined, callOf: (args: readonly unknown[]) => PoolCall | null = poolCallOf): Hint {
  return (o: Outcome) => {
    const c = callOf(o.args);
    const { expected, actual } = o;
    if (c && (c.p[0] > 0 || c.p[1] > 0) && expected instanceof Tensor && actual instanceof Tensor && expected.data.length === actual.data.length) {
      const [outH, outW] = expected.shape.slice(-2);
      const bad = mismatches(expected, actual, 1e-5);
      if (bad.length > 0 && bad.every((f) => touchesPadding(c, ...position(f, outH, outW)))) {
        return join([text("只有伸进填充区域的窗口出错：", "only windows that reach into the padding are wrong: "), why]);
      }
    }
    return hintOf(otherwise, o);
  };
}

/** Whether two tensors hold the same values (NaN where NaN), whatever their dtypes. */
export function sameValues(a: unknown, b: Tensor, tol = 1e-6): boolean {
  if (!(a instanceof Tensor) || a.data.length !== b.data.length || a.dim() !== b.dim()) return false;
  return mismatches(b, a, tol).length === 0;
}
