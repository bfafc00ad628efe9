/**
 * Reference solution — 练习 4 / Exercise 5: why max and average pooling behave differently, measured.
 */
import { Tensor } from "d2l-pooling";

export type Pool = (X: Tensor) => Tensor;

/** mean |pool(Z) − pool(X')| where Z = X shifted one pixel left (Z[…, i, j] = X[…, i, j + 1]), both cropped to W − 1 columns. */
export function shiftSensitivity(pool: Pool, X: Tensor): number {
  const W = X.shape[X.dim() - 1];
  const lead = X.shape.slice(0, -1).map(() => null);
  const shifted = X.index(...lead, [1, W]);
  const original = X.index(...lead, [0, W - 1]);
  return pool(shifted).sub(pool(original)).abs().mean().item() as number;
}

/** mean |pool(X + noise) − pool(X)|. */
export function noiseSensitivity(pool: Pool, X: Tensor, noise: Tensor): number {
  return pool(X.add(noise)).sub(pool(X)).abs().mean().item() as number;
}

export const WHY_DIFFERENT =
  "Max pooling keeps only the strongest response in each window: a feature that moves by a pixel but stays in the window " +
  "gives the same output (shift-robust), yet a single noisy spike can take over the whole window. Average pooling weighs every " +
  "cell equally: it smooths independent noise (its variance shrinks by the window size) but every shift of an edge changes the " +
  "mean. 最大汇聚只保留窗口中最强的响应，对小平移鲁棒，但对单个噪声尖峰敏感；平均汇聚对所有值一视同仁，能平滑噪声，但任何平移都会改变均值。";
