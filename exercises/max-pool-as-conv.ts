/**
 * 练习 2（d2l-zh 6.5；d2l-en 没有这一题，它的练习 2 见 max-pool-not-linear.ts）
 * Exercise 8 of the English notebook: d2l-zh's Exercise 2 (d2l-en has no such exercise; its
 * Exercise 2 is max-pool-not-linear.ts)
 * 把最大汇聚层实现为卷积层的“特例”：沿用卷积的滑动窗口，乘以全 1 的卷积核，但把求和换成求最大值。
 * Max pooling as a "special case" of a convolution: slide the convolution's window, multiply by the
 * all-ones kernel, and take the max instead of the sum.
 *
 * 评分时，本练习的代码不能调用任何汇聚函数或汇聚层（F.maxPool2d、F.avgPool2d、nn.MaxPool2d 等名字里带 Pool 的，
 * 以及本节的 pool2d）：一调用就抛出 "… is not allowed in this exercise"。窗口要你自己写出来。
 * When graded, this exercise's code cannot call any pooling function or layer (F.maxPool2d,
 * F.avgPool2d, nn.MaxPool2d — anything with Pool in its name — nor the chapter's pool2d): a call
 * throws "… is not allowed in this exercise". Build the windows yourself.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { torch, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface PoolConvOptions {
  /** 步幅，省略时等于窗口大小。Stride; left out means the window size. */
  stride?: Pair;
  /** 每一侧的填充（与 PyTorch 相同），默认 0。Padding PER SIDE (as PyTorch), default 0. */
  padding?: Pair;
}

/**
 * 窗口的位置与 `conv2d(X, K, { stride, padding })` 完全相同（K 是 k_h×k_w 的全 1 核），
 * 但每个位置输出 `(窗口 * K).max()` 而不是 `.sum()`。结果应等于 `F.maxPool2d(X, kernelSize, { stride, padding })`。
 *
 * - 输入：X 形状为 (N, C, H, W) 或 (C, H, W)，float32 或 float64；`kernelSize` = k 或 [k_h, k_w]；
 *   `options.stride` 省略时等于窗口大小；`options.padding` 是每一侧的填充。
 * - 输出：与 X 维数和 dtype 相同，形状 (…, H_out, W_out)，H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1。
 * - 约定：与卷积不同，填充出来的格子不参与比较（相当于 −∞，这与 PyTorch 的最大汇聚一致）——
 *   否则全为负数的输入在边缘会得到 0。窗口里有 NaN 时结果为 NaN（与 torch.max 相同）。各通道分别汇聚。
 *
 * The windows sit exactly where `conv2d(X, K, { stride, padding })` puts them (K: the k_h×k_w
 * all-ones kernel), but each position outputs `(window * K).max()` instead of `.sum()`. The result
 * equals `F.maxPool2d(X, kernelSize, { stride, padding })`.
 *
 * - Inputs: X of shape (N, C, H, W) or (C, H, W), float32 or float64; `kernelSize` = k or [k_h, k_w];
 *   `options.stride` left out means the window size; `options.padding` is PER SIDE.
 * - Output: X's rank and dtype, shape (…, H_out, W_out) with H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1.
 * - Conventions: unlike a convolution's zeros, padded cells are never candidates (they act as −∞, as
 *   in PyTorch's max pooling) — otherwise an all-negative input would give 0 at the border. A NaN in a
 *   window gives NaN (as torch.max does). Each channel is pooled on its own.
 *
 * @example
 *   const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
 *   maxPoolAsConv(X, [2, 2], { stride: 1 })
 *   // tensor([[[[4., 5.],
 *   //           [7., 8.]]]])
 *   maxPoolAsConv(torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4), 3, { padding: 1, stride: 2 })
 *   // tensor([[[[ 5.,  7.],
 *   //           [13., 15.]]]])
 */
export function maxPoolAsConv(X: Tensor, kernelSize: Pair, options: PoolConvOptions = {}): Tensor {
  throw new Error("maxPoolAsConv: not implemented yet — 尚未实现 (edit exercises/max-pool-as-conv.ts)");
}
