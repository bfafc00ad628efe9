/**
 * 练习 4（d2l-zh 6.5）/ Exercise 5 (d2l-en Pooling)
 * 为什么最大汇聚层和平均汇聚层的工作方式不同？把“不同”变成可以测量的数字。
 * Why do max pooling and average pooling work differently? Make the difference measurable.
 *
 * 两个函数都接受一个汇聚函数 `pool`（例如 X => F.maxPool2d(X, 2, { stride: 1 })），返回一个数。
 * Both functions take a pooling function `pool` (e.g. X => F.maxPool2d(X, 2, { stride: 1 })) and
 * return a number. 笔记本会用它们比较最大汇聚和平均汇聚。The notebook uses them to compare both.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { F, Tensor } from "d2l-pooling";

/** 汇聚函数：输入 (N, C, H, W) 或 (C, H, W)，输出同维数的张量。A pooling function: (N, C, H, W) or (C, H, W) in, same rank out. */
export type Pool = (X: Tensor) => Tensor;

/**
 * 对一个像素平移的敏感度。按本节开头的记号，Z[…, i, j] = X[…, i, j + 1]（图像左移一个像素）；
 * 只在两者都有定义的 W − 1 列上比较：
 *   shiftSensitivity = mean |pool(X[…, :, 1:W]) − pool(X[…, :, 0:W−1])|
 * 即对所有输出元素（所有批次、通道、位置）取绝对差的平均值。
 *
 * - 输入：`pool` 汇聚函数；X 形状 (N, C, H, W) 或 (C, H, W)，浮点数，W ≥ 2 且裁剪后仍能汇聚。
 * - 输出：一个非负数（JS number）。不要修改 X。
 *
 * Sensitivity to a one-pixel shift. In the chapter's notation Z[…, i, j] = X[…, i, j + 1] (the
 * image moved one pixel left); compare on the W − 1 columns where both are defined:
 *   shiftSensitivity = mean |pool(X[…, :, 1:W]) − pool(X[…, :, 0:W−1])|
 * the mean of the absolute differences over all output elements (batches, channels, positions).
 *
 * - Inputs: `pool`, a pooling function; X of shape (N, C, H, W) or (C, H, W), floating point, W ≥ 2
 *   and still poolable after cropping.
 * - Output: a non-negative JS number. Do not modify X.
 *
 * @example
 *   // A checkerboard: every 3×3 window holds both colours, wherever it sits.
 *   const X = torch.tensor(Array.from({ length: 8 }, (_, i) => Array.from({ length: 9 }, (_, j) => (i + j) % 2))).reshape(1, 1, 8, 9);
 *   shiftSensitivity((X) => F.maxPool2d(X, 3, { stride: 1 }), X)   // 0      (the max is 1 in every window)
 *   shiftSensitivity((X) => F.avgPool2d(X, 3, { stride: 1 }), X)   // 0.1111 (window means alternate 4/9, 5/9)
 */
export function shiftSensitivity(pool: Pool, X: Tensor): number {
  throw new Error("shiftSensitivity: not implemented yet — 尚未实现 (edit exercises/max-vs-avg.ts)");
}

/**
 * 对噪声的敏感度：noiseSensitivity = mean |pool(X + noise) − pool(X)|，对所有输出元素取平均。
 * 噪声由调用者给出（这样结果可重现）。
 *
 * - 输入：`pool`；X 与 `noise` 形状相同，浮点数。
 * - 输出：一个非负数（JS number）。不要修改 X 和 noise。
 *
 * Sensitivity to noise: noiseSensitivity = mean |pool(X + noise) − pool(X)| over all output elements.
 * The caller supplies the noise (so results are reproducible).
 *
 * - Inputs: `pool`; X and `noise` of the same shape, floating point.
 * - Output: a non-negative JS number. Do not modify X or noise.
 *
 * @example
 *   const X = torch.zeros(1, 1, 4, 4);
 *   const noise = torch.tensor([[[[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, -1, 0], [0, 0, 0, 0]]]]);
 *   noiseSensitivity((X) => F.maxPool2d(X, 2), X, noise)   // 0.25 (one window of 4 changes, by 1; −1 loses to 0)
 *   noiseSensitivity((X) => F.avgPool2d(X, 2), X, noise)   // 0.125 (two windows change, by 0.25 each)
 */
export function noiseSensitivity(pool: Pool, X: Tensor, noise: Tensor): number {
  throw new Error("noiseSensitivity: not implemented yet — 尚未实现 (edit exercises/max-vs-avg.ts)");
}

/**
 * 简答（中文或英文）：用你量出的数字解释为什么最大汇聚和平均汇聚的行为不同。由老师阅读，不按文字自动评分。
 * Short answer (Chinese or English): using the numbers you measured, why do max and average pooling
 * behave differently? Read by your instructor, not graded by text match.
 */
export const WHY_DIFFERENT: string = "";
