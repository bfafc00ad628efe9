/**
 * 补充练习（d2l-en Exercise 3；d2l-zh 没有）/ d2l-en Exercise 3 (not in d2l-zh)
 * 最大汇聚可以用 ReLU 实现，ReLU(x) = max(0, x)。
 * Max pooling can be accomplished using ReLU operations, ReLU(x) = max(0, x).
 *   1. 只用 ReLU 和加减表示 max(a, b)。Express max(a, b) using only ReLU and + / −.
 *   2. 只用卷积和 ReLU 实现 2×2 最大汇聚。Implement 2×2 max pooling with convolutions and ReLU only.
 *   3. 2×2 和 3×3 窗口各需要多少通道、多少层？How many channels and layers for a 2×2 and a 3×3 window?
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { torch, conv2d, Tensor } from "d2l-pooling";

/**
 * 逐元素的 max(a, b)，只能用 `.relu()`、`.add()`、`.sub()`、`.neg()`、`.mul(常数)`。
 * 评分器会检查源码：不能用 maximum/minimum/max/min/clamp/where/abs/sign、比较（gt/ge/lt/le）、
 * `.data`/`.get`/`.item`/`.tolist`、Math.max/Math.min 或任何汇聚函数（包括你调用的本文件中的辅助函数）。
 * 评分时本练习拿到的 d2l-pooling 只有这些运算（外加 conv2d、创建张量和 reshape/view/to 等形状操作）：
 * 其余函数一调用就抛出 "… is not allowed in this exercise"，张量的数值（`.data`、打印）也读不到。
 *
 * - 输入：a、b 形状相同、dtype 相同（float32 或 float64）。
 * - 输出：与 a 形状、dtype 相同，等于 `torch.maximum(a, b)`（允许一次浮点舍入的误差）；NaN 会传播。
 *
 * Elementwise max(a, b) using only `.relu()`, `.add()`, `.sub()`, `.neg()` and `.mul(constant)`.
 * The grader checks the source: no maximum/minimum/max/min/clamp/where/abs/sign, no comparisons
 * (gt/ge/lt/le), no `.data`/`.get`/`.item`/`.tolist`, no Math.max/Math.min and no pooling function —
 * also in the helpers of this file that you call. When graded, this exercise's d2l-pooling has only
 * these operations (plus conv2d, tensor-making functions and shape methods such as reshape/view/to):
 * anything else throws "… is not allowed in this exercise", and a tensor's numbers (`.data`,
 * printing) cannot be read.
 *
 * - Inputs: a, b of the same shape and dtype (float32 or float64).
 * - Output: a's shape and dtype, equal to `torch.maximum(a, b)` up to floating-point rounding;
 *   NaN propagates.
 *
 * @example
 *   maxViaRelu(torch.tensor([1, -2, 3]), torch.tensor([0, -1, 5]))
 *   // tensor([ 1., -1.,  5.])
 */
export function maxViaRelu(a: Tensor, b: Tensor): Tensor {
  throw new Error("maxViaRelu: not implemented yet — 尚未实现 (edit exercises/max-via-relu.ts)");
}

/**
 * 2×2、步幅 2 的最大汇聚（等于 `F.maxPool2d(X, 2)`），只能用 `conv2d`（卷积核由你构造）和 `.relu()`，
 * 以及 reshape 和加减。源码检查同上，另外不能用 `.index`（用 one-hot 卷积核选出窗口中的元素）。
 *
 * - 输入：X 形状为 (N, C, H, W) 或 (C, H, W)，float32 或 float64，H、W ≥ 2（奇数时最后一行/列被舍弃，与 F.maxPool2d 相同）。
 * - 输出：与 X 维数、dtype 相同，形状 (…, ⌊H/2⌋, ⌊W/2⌋)。各通道分别汇聚。
 * - 提示：先把 (N, C, H, W) reshape 成 (N·C, 1, H, W)，对每个平面做同样的卷积，最后 reshape 回去。
 *
 * 2×2 max pooling with stride 2 (equal to `F.maxPool2d(X, 2)`) using only `conv2d` (with kernels
 * you build) and `.relu()`, plus reshape and + / −. Source check as above, and no `.index` either (pick
 * the window's cells with one-hot convolution kernels).
 *
 * - Input: X of shape (N, C, H, W) or (C, H, W), float32 or float64, H, W ≥ 2 (an odd last row or
 *   column is dropped, as F.maxPool2d does).
 * - Output: X's rank and dtype, shape (…, ⌊H/2⌋, ⌊W/2⌋). Each channel is pooled on its own.
 * - Hint: reshape (N, C, H, W) to (N·C, 1, H, W), run the same convolutions on every plane, reshape back.
 *
 * @example
 *   maxPool2x2ViaRelu(torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4))
 *   // tensor([[[[ 5.,  7.],
 *   //           [13., 15.]]]])
 */
export function maxPool2x2ViaRelu(X: Tensor): Tensor {
  throw new Error("maxPool2x2ViaRelu: not implemented yet — 尚未实现 (edit exercises/max-via-relu.ts)");
}

/**
 * 需要多少层、多少通道？答案取决于构造方式，所以这里固定为下面的“平衡锦标赛”构造：
 *
 * - 每一层 ReLU（一个卷积后接 ReLU）把当前的 n 个值相邻两两配对，每一对在该层求出它们的最大值
 *   （用你在 maxViaRelu 中找到的办法），占该层 3 个通道。
 * - n 为奇数时多出的一个值直接带到下一层。它可能为负，而 ReLU 只留下正的部分，所以要占 2 个通道：
 *   v = ReLU(v) − ReLU(−v)。下一层的输入是 ⌈n/2⌉ 个值。
 * - 直到只剩一个值；最后再用一个不带 ReLU 的 1×1 卷积读出结果（不计入 layers）。
 *
 * 返回窗口有 `cells` 个元素（2×2 窗口为 4，3×3 为 9）时的 ReLU 层数 `layers`，以及每层 ReLU 的通道数
 * `channels`（按层的顺序，对每个输入通道而言）。cells = 1 时为 { layers: 0, channels: [] }。
 *
 * How many layers and channels? That depends on the construction, so it is fixed here — the
 * balanced tournament:
 *
 * - Each ReLU layer (a convolution followed by ReLU) pairs up the current n values, neighbours with
 *   neighbours; each pair's maximum is formed in that layer (the way your maxViaRelu does it) and
 *   takes 3 of its channels.
 * - When n is odd, the value left over is carried to the next layer. It may be negative, and a ReLU
 *   keeps only the positive part, so it takes 2 channels: v = ReLU(v) − ReLU(−v). The next layer
 *   then has ⌈n/2⌉ values.
 * - Until one value is left; a last 1×1 convolution without ReLU reads it out (not counted in `layers`).
 *
 * Returns, for a window of `cells` elements (4 for 2×2, 9 for 3×3), the number of ReLU layers
 * `layers` and the channels of each ReLU layer `channels` (in layer order, per input channel).
 * For cells = 1: { layers: 0, channels: [] }.
 *
 * @example
 *   reluTournament(2)   // { layers: 1, channels: [3] }
 *   reluTournament(3)   // { layers: 2, channels: [5, 3] }
 */
export function reluTournament(cells: number): { layers: number; channels: number[] } {
  throw new Error("reluTournament: not implemented yet — 尚未实现 (edit exercises/max-via-relu.ts)");
}
