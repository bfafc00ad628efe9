/**
 * 练习 5（d2l-zh 6.5）/ Exercise 6 (d2l-en Pooling)
 * 我们是否需要最小汇聚层？可以用已知函数替换它吗？
 * Do we need a separate minimum pooling layer? Can you replace it with another operation?
 *
 * 评分时，你的函数拿到的是 X 的形状和 dtype，而不是它的数值。对 X（以及由它算出的张量）只能用 `F.maxPool2d`
 * （或 nn.MaxPool2d）、取负（`.neg()`，或乘以常数的 `.mul(-1)`）和 reshape、view 这类只改变形状的操作；
 * 结果必须由最大汇聚算出。其他运算（min、avgPool2d 等）和读数值（`.data`、`.item()`、`.tolist()`、`.get()`、打印）
 * 一用就出错（"… is not allowed in this exercise"），所以自己写循环遍历数值是行不通的；也不能用 `Tensor.set` 修改 X。
 * When graded, your functions get X's shape and dtype, not its values. To X (and to tensors computed
 * from it) apply only `F.maxPool2d` (or nn.MaxPool2d), negation (`.neg()`, or `.mul(-1)` by a
 * constant) and operations that only change the shape, such as reshape and view; the result must come
 * out of max pooling. Anything else (min, avgPool2d …) and reading values (`.data`, `.item()`,
 * `.tolist()`, `.get()`, printing) fail ("… is not allowed in this exercise"), so loops of your own
 * over the values cannot work; and `Tensor.set` may not change X.
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { F, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface MinPoolOptions {
  /** 步幅，省略时等于窗口大小。Stride; left out means the window size. */
  stride?: Pair;
  /** 每一侧的填充，默认 0。Padding PER SIDE, default 0. */
  padding?: Pair;
}

/**
 * 最小汇聚，只用 `F.maxPool2d` 和取负实现（不要自己写循环）。
 *
 * - 输入：X 形状 (N, C, H, W) 或 (C, H, W)，float32 或 float64；`kernelSize` = k 或 [k_h, k_w]；
 *   `options` 只有 `stride`（省略时等于窗口大小）和 `padding`（每一侧，默认 0），含义与 F.maxPool2d 的同名选项相同，
 *   且合法（padding 不超过窗口的一半）。
 * - 输出：形状与 `F.maxPool2d(X, kernelSize, options)` 相同，每个元素是窗口内的最小值。
 *   填充的格子从不参与（不会得到 0）；窗口内有 NaN 时结果为 NaN。
 *
 * Min pooling built only from `F.maxPool2d` and negation (no loops of your own).
 *
 * - Inputs: X of shape (N, C, H, W) or (C, H, W), float32 or float64; `kernelSize` = k or [k_h, k_w];
 *   `options` has only `stride` (left out: the window size) and `padding` (per side, default 0),
 *   meaning what F.maxPool2d's options of those names mean, and legal (padding at most half the window).
 * - Output: the shape of `F.maxPool2d(X, kernelSize, options)`, each element the minimum of its
 *   window. Padded cells never take part (they never give 0); a NaN in a window gives NaN.
 *
 * @example
 *   const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
 *   minPool2d(X, [2, 2], { stride: 1 })
 *   // tensor([[[[0., 1.],
 *   //           [3., 4.]]]])
 */
export function minPool2d(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): Tensor {
  throw new Error("minPool2d: not implemented yet — 尚未实现 (edit exercises/min-pool.ts)");
}

/**
 * 同上，另外返回每个最小值在其平面内的位置：`[values, indices]`，indices 为 int64，
 * 与 `F.maxPool2d(..., { returnIndices: true })` 的约定相同：平面内的扁平下标 h·W + w；
 * 有多个相同最小值时取（按行优先顺序）第一个；有 NaN 时取最后一个 NaN 的位置。
 *
 * As above, also returning where each minimum is within its plane: `[values, indices]`, indices
 * int64, with `F.maxPool2d(..., { returnIndices: true })`'s conventions: flat index h·W + w within the
 * plane; among equal minima the first (row-major) wins; with NaN, the last NaN's position.
 *
 * @example
 *   const [v, i] = minPool2dWithIndices(torch.tensor([[[[3, 1], [1, 2]]]]), 2);
 *   v  // tensor([[[[1.]]]])
 *   i  // tensor([[[[1]]]])      (the first 1, at h = 0, w = 1)
 */
export function minPool2dWithIndices(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): [Tensor, Tensor] {
  throw new Error("minPool2dWithIndices: not implemented yet — 尚未实现 (edit exercises/min-pool.ts)");
}

/**
 * 简答（中文或英文，几句话）：我们是否需要一个单独的最小汇聚层？写出你的看法和理由——这是开放问题，
 * 没有唯一的对错（想想它能表达什么、代价是什么）。由老师阅读，不按文字自动评分。
 *
 * Short answer (Chinese or English, a few sentences): do we need a separate minimum pooling layer?
 * Give your view and your reasons — an open question with no single right answer (think of what it
 * expresses and what it costs). Read by your instructor, not graded by text match.
 */
export const NEED_MIN_POOL: string = "";

/**
 * 简答（中文或英文）：什么时候最小汇聚有用，如何用已有的运算代替它（代替后填充、并列最小值和 NaN 的行为
 * 是否不变）？由老师阅读，不按文字自动评分。
 * Short answer (Chinese or English): when is min pooling useful, and how do you replace it with
 * existing operations (do padding, tied minima and NaN behave the same after the replacement)? Read
 * by your instructor, not graded by text match.
 */
export const WHY_MIN_POOL: string = "";
