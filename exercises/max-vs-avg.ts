/**
 * 练习 4（d2l-zh 6.5）/ Exercise 5 (d2l-en Pooling)
 * 为什么最大汇聚层和平均汇聚层的工作方式不同？把“不同”量出来：输入平移几个像素、或者加上噪声之后，
 * 汇聚的输出在哪些位置变了，变了多少。
 * Why do max pooling and average pooling work differently? Measure it: when the input moves by a few
 * pixels, or gets noise added, where does the pooled output change, and by how much?
 *
 * 两个函数都接受一个汇聚函数 `pool`（例如 X => F.maxPool2d(X, 2)），返回一张“变化图”：与 pool 的
 * 输出形状、dtype 相同的张量，每个元素是该输出位置变化的绝对值。探索笔记本（pooling-explore.ipynb）
 * 用它们比较最大汇聚、平均汇聚和先模糊再降采样的最大汇聚。
 * Both functions take a pooling function `pool` (e.g. X => F.maxPool2d(X, 2)) and return a "change
 * map": a tensor with the shape and dtype of pool's output whose elements are how much each output
 * changed (absolute values). The explore notebook (pooling-explore.ipynb) uses them to compare max
 * pooling, average pooling and max pooling that blurs before it subsamples.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { F, Tensor } from "d2l-pooling";

/** 汇聚函数：输入 (N, C, H, W) 或 (C, H, W)，输出同维数的张量。A pooling function: (N, C, H, W) or (C, H, W) in, same rank out. */
export type Pool = (X: Tensor) => Tensor;

/**
 * 平移带来的变化。按本节开头的记号，Z[…, i, j] = X[…, i, j + d]（图像左移 d 个像素）；只在两者都有
 * 定义的 W − d 列上比较：
 *   shiftChange(pool, X, d) = |pool(X[…, :, d:W]) − pool(X[…, :, 0:W−d])|   （逐元素）
 *
 * - 输入：`pool` 汇聚函数；X 形状 (N, C, H, W) 或 (C, H, W)，float32 或 float64；d 为整数，
 *   0 ≤ d < W，默认 1；裁剪后的 W − d 列仍要够 pool 汇聚。
 * - 输出：与 pool(X[…, :, 0:W−d]) 形状、dtype 相同的张量，元素非负。不要修改 X。
 *
 * The change a shift makes. In the chapter's notation Z[…, i, j] = X[…, i, j + d] (the image moved d
 * pixels left); compare on the W − d columns where both are defined:
 *   shiftChange(pool, X, d) = |pool(X[…, :, d:W]) − pool(X[…, :, 0:W−d])|   (elementwise)
 *
 * - Inputs: `pool`, a pooling function; X of shape (N, C, H, W) or (C, H, W), float32 or float64;
 *   d an integer, 0 ≤ d < W, default 1; the W − d columns left must still be enough for `pool`.
 * - Output: a tensor with the shape and dtype of pool(X[…, :, 0:W−d]), elements ≥ 0. Do not modify X.
 *
 * @example
 *   // A vertical line in column 3 of a 2×6 image. 一条竖线，在 2×6 图像的第 3 列。
 *   const X = torch.zeros(1, 1, 2, 6);
 *   X.set([0, 0, null, 3], 1);
 *   const maxPool = (X: Tensor) => F.maxPool2d(X, 2);
 *   shiftChange(maxPool, X)      // tensor([[[[0., 0.]]]])  moved to column 2: same window (columns 2–3) 仍在同一个窗口
 *   shiftChange(maxPool, X, 2)   // tensor([[[[1., 1.]]]])  moved to column 1: into the next window 进入了相邻窗口
 */
export function shiftChange(pool: Pool, X: Tensor, d: number = 1): Tensor {
  throw new Error("shiftChange: not implemented yet — 尚未实现 (edit exercises/max-vs-avg.ts)");
}

/**
 * 噪声带来的变化：noiseChange(pool, X, noise) = |pool(X + noise) − pool(X)|（逐元素）。噪声由调用者
 * 给出（这样结果可重现）。
 *
 * - 输入：`pool`；X 与 `noise` 形状相同，float32 或 float64。
 * - 输出：与 pool(X) 形状、dtype 相同的张量，元素非负。不要修改 X 和 noise。
 *
 * The change noise makes: noiseChange(pool, X, noise) = |pool(X + noise) − pool(X)| (elementwise).
 * The caller supplies the noise (so results are reproducible).
 *
 * - Inputs: `pool`; X and `noise` of the same shape, float32 or float64.
 * - Output: a tensor with the shape and dtype of pool(X), elements ≥ 0. Do not modify X or noise.
 *
 * @example
 *   const X = torch.zeros(1, 1, 2, 4);
 *   const noise = torch.tensor([[[[1, 0, 0, 0], [0, 0, -1, 0]]]]);
 *   noiseChange((X) => F.maxPool2d(X, 2), X, noise)   // tensor([[[[1., 0.]]]])     (−1 loses to the 0s 比不过 0)
 *   noiseChange((X) => F.avgPool2d(X, 2), X, noise)   // tensor([[[[0.2500, 0.2500]]]])
 */
export function noiseChange(pool: Pool, X: Tensor, noise: Tensor): Tensor {
  throw new Error("noiseChange: not implemented yet — 尚未实现 (edit exercises/max-vs-avg.ts)");
}

/**
 * 简答（中文或英文）：用你在探索笔记本中量出的数字回答——最大汇聚在什么情况下对平移不敏感，什么情况下
 * 不是？对噪声呢？它和平均汇聚的差别在哪里？由老师阅读，不按文字自动评分。
 * Short answer (Chinese or English), using the numbers you measured in the explore notebook: when is
 * max pooling insensitive to a shift, and when is it not? And to noise? Where does it differ from
 * average pooling? Read by your instructor, not graded by text match.
 */
export const WHY_DIFFERENT: string = "";
