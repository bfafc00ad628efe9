/**
 * 练习 7（中文笔记本的补充练习：d2l-en 的 Exercise 2，d2l-zh 没有）/ Exercise 2 (d2l-en Pooling; not in d2l-zh)
 * 证明最大汇聚不能只用卷积实现：给出破坏线性的反例。
 * Prove that max pooling cannot be implemented through a convolution alone: give counterexamples
 * to linearity.
 *
 * 这里的汇聚固定为 `F.maxPool2d(·, 2)`（2×2 窗口，步幅 2，无填充）。
 * The pooling here is fixed: `F.maxPool2d(·, 2)` (2×2 window, stride 2, no padding).
 *
 * 完成后运行 `npm run grade`。When done, run `npm run grade`.
 */
import { torch, Tensor } from "d2l-pooling";

/**
 * 返回 x、y，使 `F.maxPool2d(x.add(y), 2)` 与 `F.maxPool2d(x, 2).add(F.maxPool2d(y, 2))` 不相等
 * （至少一个元素相差超过 1e-3）。
 *
 * - x、y：float32 或 float64 的有限值张量（不能有 NaN/inf），形状相同，(N, C, H, W) 或 (C, H, W)，H、W ≥ 2。
 *
 * Returns x and y such that `F.maxPool2d(x.add(y), 2)` differs from
 * `F.maxPool2d(x, 2).add(F.maxPool2d(y, 2))` (some element by more than 1e-3).
 *
 * - x, y: Tensors of finite float32 or float64 values (no NaN/inf), the same shape, (N, C, H, W) or
 *   (C, H, W) with H, W ≥ 2.
 *
 * @example
 *   const { x, y } = additivityCounterexample();
 *   F.maxPool2d(x.add(y), 2)                        // e.g. tensor([[[[1.]]]])
 *   F.maxPool2d(x, 2).add(F.maxPool2d(y, 2))        //      tensor([[[[2.]]]])  — not equal: not linear
 */
export function additivityCounterexample(): { x: Tensor; y: Tensor } {
  throw new Error("additivityCounterexample: not implemented yet — 尚未实现 (edit exercises/max-pool-not-linear.ts)");
}

/**
 * 返回 x 和有限实数 a，使 `F.maxPool2d(x.mul(a), 2)` 与 `F.maxPool2d(x, 2).mul(a)` 不相等（相差超过 1e-3）。
 * 提示：对 a ≥ 0 二者总是相等。x 的要求同上。
 *
 * Returns x and a finite number a such that `F.maxPool2d(x.mul(a), 2)` differs from
 * `F.maxPool2d(x, 2).mul(a)` (by more than 1e-3). Hint: for a ≥ 0 they are always equal.
 * x as above.
 *
 * @example
 *   const { x, a } = scalingCounterexample();
 *   F.maxPool2d(x.mul(a), 2)      // differs from
 *   F.maxPool2d(x, 2).mul(a)
 */
export function scalingCounterexample(): { x: Tensor; a: number } {
  throw new Error("scalingCounterexample: not implemented yet — 尚未实现 (edit exercises/max-pool-not-linear.ts)");
}

/**
 * 简答（中文或英文，几句话）：为什么一个反例就足以说明“没有任何卷积（即使带偏置）等于最大汇聚”？
 * 不按文字自动评分，由老师阅读。
 *
 * Short answer (Chinese or English, a few sentences): why does one counterexample show that NO
 * convolution — not even one with a bias — equals max pooling? Read by your instructor, not graded
 * by text match.
 */
export const WHY_NOT_CONV: string = "";
