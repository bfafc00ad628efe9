/**
 * 练习 1（d2l-zh 6.5）/ Exercise 1 (d2l-en Pooling)
 * 把平均汇聚层实现为卷积层的特例。Implement average pooling as a special case of a convolution.
 *
 * 完成后运行 `npm run grade`（或笔记本最后一个单元格）查看得分。
 * When done, run `npm run grade` (or the notebook's last cell) to see your score.
 */
import { torch, conv2d, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface PoolConvOptions {
  /** 步幅，省略时等于窗口大小（汇聚层的默认值，而不是卷积的 1）。Stride; left out means the window size (pooling's default, not conv's 1). */
  stride?: Pair;
  /** 每一侧的填充（与 PyTorch 相同），默认 0。Padding PER SIDE (as PyTorch), default 0. */
  padding?: Pair;
}

/**
 * 返回一个固定的卷积核，使 `conv2d(X, avgPoolWeight(C, k))` 等于 k 窗口的平均汇聚。
 *
 * - 输入：`channels` = C（输入通道数 = 输出通道数），`kernelSize` = k 或 [k_h, k_w]。
 * - 输出：float32 张量，形状 (C, C, k_h, k_w)：当 o = i 时 `weight[o, i]` 的每个元素都是 1/(k_h·k_w)，
 *   否则为 0。汇聚在每个通道上单独进行，所以输出通道 o 只看输入通道 o。
 *
 * Returns the fixed convolution weight that makes `conv2d(X, avgPoolWeight(C, k))` average pooling.
 *
 * - Inputs: `channels` = C (input channels = output channels), `kernelSize` = k or [k_h, k_w].
 * - Output: a float32 Tensor of shape (C, C, k_h, k_w): every entry of `weight[o, i]` is 1/(k_h·k_w)
 *   when o = i, and 0 otherwise. Pooling works on each channel separately, so output channel o
 *   looks only at input channel o.
 *
 * @example
 *   avgPoolWeight(1, 2)
 *   // tensor([[[[0.2500, 0.2500],
 *   //           [0.2500, 0.2500]]]])
 */
export function avgPoolWeight(channels: number, kernelSize: Pair): Tensor {
  throw new Error("avgPoolWeight: not implemented yet — 尚未实现 (edit exercises/avg-pool-as-conv.ts)");
}

/**
 * 用 `conv2d` 和 `avgPoolWeight` 实现平均汇聚：结果应等于
 * `F.avgPool2d(X, kernelSize, { stride, padding })`（countIncludePad 为 true：填充的 0 计入平均值）。
 *
 * - 输入：X 形状为 (N, C, H, W) 或 (C, H, W)，float32 或 float64；`kernelSize` = k 或 [k_h, k_w]；
 *   `options.stride` 省略时等于窗口大小；`options.padding` 是每一侧的填充（padding 1 = 上下左右各补一行/列 0）。
 * - 输出：与 X 维数和 dtype 相同的张量，形状 (N, C, H_out, W_out)，
 *   H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1，W_out 同理。
 * - 注意：`conv2d` 的步幅默认是 1，而汇聚层的默认步幅是窗口大小。
 *
 * Average pooling built from `conv2d` and `avgPoolWeight`: the result equals
 * `F.avgPool2d(X, kernelSize, { stride, padding })` (countIncludePad true: padded zeros count in the mean).
 *
 * - Inputs: X of shape (N, C, H, W) or (C, H, W), float32 or float64; `kernelSize` = k or [k_h, k_w];
 *   `options.stride` left out means the window size; `options.padding` is PER SIDE (padding 1 adds a
 *   row/column of zeros on every side).
 * - Output: a Tensor with X's rank and dtype, shape (N, C, H_out, W_out) with
 *   H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1, and W_out likewise.
 * - Mind: `conv2d`'s stride defaults to 1, pooling's to the window size.
 *
 * @example
 *   const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
 *   avgPoolAsConv(X, [2, 2], { stride: 1 })
 *   // tensor([[[[2., 3.],
 *   //           [5., 6.]]]])
 */
export function avgPoolAsConv(X: Tensor, kernelSize: Pair, options: PoolConvOptions = {}): Tensor {
  throw new Error("avgPoolAsConv: not implemented yet — 尚未实现 (edit exercises/avg-pool-as-conv.ts)");
}
