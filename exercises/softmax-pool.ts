/**
 * 练习 6（d2l-zh 6.5）/ Exercise 7 (d2l-en Pooling)
 * 除了平均汇聚层和最大汇聚层，是否有其它函数可以考虑（提示：回想一下 softmax）？为什么它不流行？
 * Besides average and max pooling, what else could we use (hint: recall softmax)? Why might it not
 * be so popular?
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface SoftmaxPoolOptions {
  /** 逆温度 β，默认 1，有限实数（可以为负）。Inverse temperature β, default 1, any finite number (negative too). */
  beta?: number;
  /** 步幅，省略时等于窗口大小。Stride; left out means the window size. */
  stride?: Pair;
  /** 每一侧的填充，默认 0。Padding PER SIDE, default 0. */
  padding?: Pair;
}

/**
 * softmax 汇聚：对每个窗口 w，y = Σ_{i∈w} softmax(β·x)_i · x_i = Σ e^{β·x_i}·x_i / Σ e^{β·x_i}，
 * 即按 softmax(β·x) 加权的平均值。
 *
 * - 输入：X 形状 (N, C, H, W) 或 (C, H, W)，float32 或 float64；`kernelSize` = k 或 [k_h, k_w]；
 *   `options.beta`（默认 1）、`stride`（默认窗口大小）、`padding`（每一侧，默认 0）。
 * - 输出：与 X 维数、dtype 相同，形状 (…, H_out, W_out)，H_out = ⌊(H + 2·p_h − k_h)/s_h⌋ + 1。
 * - 填充的格子不属于窗口（权重为 0，不是值为 0 的格子）。
 * - 数值稳定：|x| = 1e4 时也不能溢出成 inf/NaN（先减去窗口内 β·x 的最大值再取 exp）。
 * - β → ∞ 时趋于最大汇聚，β → 0 时趋于（不计填充的）平均汇聚，β → −∞ 时趋于最小汇聚。
 * - 窗口中有 NaN 时结果为 NaN。
 *
 * Softmax pooling: for each window w, y = Σ_{i∈w} softmax(β·x)_i · x_i = Σ e^{β·x_i}·x_i / Σ e^{β·x_i},
 * the mean weighted by softmax(β·x).
 *
 * - Inputs: X of shape (N, C, H, W) or (C, H, W), float32 or float64; `kernelSize` = k or [k_h, k_w];
 *   `options.beta` (default 1), `stride` (default the window size), `padding` (per side, default 0).
 * - Output: X's rank and dtype, shape (…, H_out, W_out) with H_out = ⌊(H + 2·p_h − k_h)/s_h⌋ + 1.
 * - Padded cells are not part of the window (weight 0, not a cell holding 0).
 * - Numerically stable: no overflow to inf/NaN even at |x| = 1e4 (subtract the window's largest β·x
 *   before exp).
 * - β → ∞ approaches max pooling, β → 0 average pooling (padding not counted), β → −∞ min pooling.
 * - A NaN in a window gives NaN.
 *
 * @example
 *   const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
 *   softmaxPool2d(X, 2, { stride: 1 })
 *   // tensor([[[[3.5888, 4.5888],
 *   //           [6.5888, 7.5888]]]])
 *   softmaxPool2d(X, 2, { stride: 1, beta: 1e6 })   // tensor([[[[4., 5.], [7., 8.]]]])  (max)
 *   softmaxPool2d(X, 2, { stride: 1, beta: 0 })     // tensor([[[[2., 3.], [5., 6.]]]])  (average)
 */
export function softmaxPool2d(X: Tensor, kernelSize: Pair, options: SoftmaxPoolOptions = {}): Tensor {
  throw new Error("softmaxPool2d: not implemented yet — 尚未实现 (edit exercises/softmax-pool.ts)");
}

/**
 * 简答（中文或英文）：为什么 softmax 汇聚不流行？由老师阅读，不按文字自动评分。
 * Short answer (Chinese or English): why is softmax pooling not popular? Read by your instructor,
 * not graded by text match.
 */
export const WHY_UNPOPULAR: string = "";
