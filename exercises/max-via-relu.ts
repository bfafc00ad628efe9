/**
 * 练习 8（中文笔记本的补充练习：d2l-en 的 Exercise 3，d2l-zh 没有）/ Exercise 3 (d2l-en Pooling; not in d2l-zh)
 * 最大汇聚可以用 ReLU 实现，ReLU(x) = max(0, x)。
 * Max pooling can be accomplished using ReLU operations, ReLU(x) = max(0, x).
 *   1. 只用 ReLU 和加减表示 max(a, b)。Express max(a, b) using only ReLU and + / −.
 *   2. 只用卷积和 ReLU 实现 2×2 最大汇聚。Implement 2×2 max pooling with convolutions and ReLU only.
 *   3. 2×2 和 3×3 窗口各需要多少通道、多少层？How many channels and layers for a 2×2 and a 3×3 window?
 *
 * 评分时，maxViaRelu 和 maxPool2x2ViaRelu 拿到的是输入的形状和 dtype，而不是它们的数值：对输入（以及由输入算出的张量）
 * 只能用下面每个函数说明里列出的运算。其他运算一用就抛出 "… is not allowed in this exercise"；读数值
 * （`.data`、`.item()`、`.tolist()`、`.get()`、打印）也不行；也不能用 `Tensor.set` 修改输入（函数不能修改它的输入）。
 * 评分器检查的是你的函数实际对输入做过的运算，所以辅助函数、别名、其他文件也一样。
 * 你自己创建的张量（例如 torch.zeros、torch.tensor 构造的卷积核）不受限制：可以用 `.set` 填写。
 *
 * When graded, maxViaRelu and maxPool2x2ViaRelu get the inputs' shapes and dtypes, not their values:
 * to the inputs (and to tensors computed from them) apply only the operations each function's
 * comment lists. Any other operation throws "… is not allowed in this exercise"; reading values
 * (`.data`, `.item()`, `.tolist()`, `.get()`, printing) does not work either, and `Tensor.set` may
 * not change an input (a function must not modify its inputs). The grader checks the operations your
 * function really applied to its inputs, so helpers, aliases and other files change nothing. Tensors
 * you make yourself (a kernel from torch.zeros or torch.tensor, say) are yours: `.set` may fill them.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { torch, conv2d, Tensor } from "d2l-pooling";

/**
 * 逐元素的 max(a, b)，对 a、b 只能用 `.relu()`、`.add()`、`.sub()`、`.neg()` 和 `.mul(常数)`（常数：一个数，或不由 a、b
 * 算出的张量；不能把两个由输入算出的张量相乘），外加 reshape、view 这类只改变形状或 dtype 的操作（见文件开头）。
 *
 * - 输入：a、b 形状相同、dtype 相同（float32 或 float64）。评分用的值是有限的数（包括 0、并列值和 ±1e4）以及 NaN；
 *   不含 ±inf，所以你的函数不必处理 ±inf。
 * - 输出：与 a 形状、dtype 相同，等于 `torch.maximum(a, b)`（允许浮点舍入误差）；a 或 b 为 NaN 的位置结果为 NaN。
 *
 * Elementwise max(a, b). To a and b apply only `.relu()`, `.add()`, `.sub()`, `.neg()` and
 * `.mul(constant)` (a constant: a number, or a tensor not computed from a or b; a product of two
 * tensors computed from the inputs does not count), plus operations that only change the shape or
 * dtype, such as reshape and view (see the top of this file).
 *
 * - Inputs: a, b of the same shape and dtype (float32 or float64). The graded values are finite
 *   numbers (zeros, ties and ±1e4 among them) and NaN; ±inf is not among them, so your function need
 *   not handle ±inf.
 * - Output: a's shape and dtype, equal to `torch.maximum(a, b)` up to floating-point rounding; NaN
 *   where a or b is NaN.
 *
 * @example
 *   maxViaRelu(torch.tensor([1, -2, 3]), torch.tensor([0, -1, 5]))
 *   // tensor([ 1., -1.,  5.])
 */
export function maxViaRelu(a: Tensor, b: Tensor): Tensor {
  throw new Error("maxViaRelu: not implemented yet — 尚未实现 (edit exercises/max-via-relu.ts)");
}

/**
 * 2×2、步幅 2 的最大汇聚（等于 `F.maxPool2d(X, 2)`）。对 X（以及由它算出的张量）只能用：`conv2d`（卷积核由你构造，是固定的，
 * 不能由 X 算出）、`.relu()`、`.add()`、`.sub()`、`.neg()`，以及 reshape、view 这类只改变形状的操作。`.index` 也不能用
 * （用 one-hot 卷积核选出窗口中的元素）。
 *
 * - 输入：X 形状为 (N, C, H, W) 或 (C, H, W)，float32 或 float64，H、W ≥ 2（奇数时最后一行/列被舍弃，与 F.maxPool2d 相同）。
 *   评分用的值都是有限的数（不含 NaN 和 ±inf）。
 * - 输出：与 X 维数、dtype 相同，形状 (…, ⌊H/2⌋, ⌊W/2⌋)。各通道分别汇聚。
 * - 提示：先把 (N, C, H, W) reshape 成 (N·C, 1, H, W)，对每个平面做同样的卷积，最后 reshape 回去。
 *
 * 2×2 max pooling with stride 2 (equal to `F.maxPool2d(X, 2)`). To X (and to tensors computed from
 * it) apply only: `conv2d` (with kernels you build — fixed, not computed from X), `.relu()`,
 * `.add()`, `.sub()`, `.neg()`, and operations that only change the shape, such as reshape and view.
 * No `.index` either (pick the window's cells with one-hot convolution kernels).
 *
 * - Input: X of shape (N, C, H, W) or (C, H, W), float32 or float64, H, W ≥ 2 (an odd last row or
 *   column is dropped, as F.maxPool2d does). The graded values are all finite (no NaN, no ±inf).
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
 *   （用你在 maxViaRelu 中找到的办法），每一对固定占该层 3 个通道（这是本构造规定的数目；即使你的 maxViaRelu
 *   写法要用更多通道，这里也按 3 个算）。
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
 *   takes exactly 3 of its channels (the count this construction fixes: count 3 even if your
 *   maxViaRelu's formula would need more).
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
