/**
 * 练习 1（d2l-zh 6.5）/ Exercise 1 (d2l-en Pooling)
 * 把平均汇聚层实现为卷积层的特例。Implement average pooling as a special case of a convolution.
 *
 * 评分时，avgPoolAsConv 拿到的是 X 的形状和 dtype，而不是它的数值。对 X 只能用 `conv2d` 和 reshape、view、`.to()`
 * 这类只改变形状或 dtype 的操作：平均值必须由 conv2d 算出——结果是 `conv2d(X, W, …)`（之后只能再改变形状或 dtype），
 * W 是固定的卷积核（不由 X 算出，例如 avgPoolWeight 给出的）。汇聚函数和读数值（`.data`、`.item()`、`.tolist()`、
 * `.get()`、打印）一用就出错（"… is not allowed in this exercise"），也不能用 `Tensor.set` 修改 X。
 * avgPoolWeight 拿到的是普通的数，不受这些限制。
 * When graded, avgPoolAsConv gets X's shape and dtype, not its values. To X apply only `conv2d` and
 * operations that change its shape or dtype (reshape, view, `.to()` …): the average must come out of
 * conv2d — the result is `conv2d(X, W, …)` (then only reshaped or retyped), with W a fixed kernel (not
 * computed from X; avgPoolWeight's, say). Pooling functions and reading values (`.data`, `.item()`,
 * `.tolist()`, `.get()`, printing) fail ("… is not allowed in this exercise"), and `Tensor.set` may
 * not change X. avgPoolWeight gets plain numbers and has none of these limits.
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
 * 返回一个固定的卷积核 W，使卷积计算的正是平均汇聚：对每个有 C 个通道的输入 X，
 * `conv2d(X, W)`（步幅 1、无填充）等于 `F.avgPool2d(X, kernelSize, { stride: 1 })`。W 的取值由你来找。
 *
 * - 输入：`channels` = C（输入通道数 = 输出通道数），`kernelSize` = k 或 [k_h, k_w]。
 * - 输出：float32 张量，形状 (C, C, k_h, k_w)（conv2d 的约定：输出通道、输入通道、高、宽）。
 *   汇聚在每个通道上单独进行：输出通道 o 只取决于输入通道 o。
 *
 * Returns the fixed convolution weight W that makes a convolution compute average pooling: for
 * every input X with C channels, `conv2d(X, W)` (stride 1, no padding) equals
 * `F.avgPool2d(X, kernelSize, { stride: 1 })`. Finding W's values is the exercise.
 *
 * - Inputs: `channels` = C (input channels = output channels), `kernelSize` = k or [k_h, k_w].
 * - Output: a float32 Tensor of shape (C, C, k_h, k_w) (conv2d's layout: output channel, input
 *   channel, height, width). Pooling works on each channel separately: output channel o depends on
 *   input channel o only.
 *
 * @example
 *   const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
 *   conv2d(X, avgPoolWeight(1, 2))   // the same as F.avgPool2d(X, 2, { stride: 1 }):
 *   // tensor([[[[2., 3.],
 *   //           [5., 6.]]]])
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
 * - 输出：与 X 维数和 dtype 相同的张量，形状 (N, C, H_out, W_out) 或 (C, H_out, W_out)，
 *   H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1，W_out 同理。
 *
 * Average pooling built from `conv2d` and `avgPoolWeight`: the result equals
 * `F.avgPool2d(X, kernelSize, { stride, padding })` (countIncludePad true: padded zeros count in the mean).
 *
 * - Inputs: X of shape (N, C, H, W) or (C, H, W), float32 or float64; `kernelSize` = k or [k_h, k_w];
 *   `options.stride` left out means the window size; `options.padding` is PER SIDE (padding 1 adds a
 *   row/column of zeros on every side).
 * - Output: a Tensor with X's rank and dtype, shape (N, C, H_out, W_out) or (C, H_out, W_out), with
 *   H_out = ⌊(H + 2·p_h − k_h) / s_h⌋ + 1, and W_out likewise.
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
