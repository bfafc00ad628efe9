/**
 * Reference solution — 练习 5 / Exercise 6: min pooling from max pooling: min(x) = −max(−x).
 */
import { F, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface MinPoolOptions {
  stride?: Pair;
  padding?: Pair;
}

export function minPool2d(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): Tensor {
  return F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding }).neg();
}

export function minPool2dWithIndices(X: Tensor, kernelSize: Pair, options: MinPoolOptions = {}): [Tensor, Tensor] {
  const [values, indices] = F.maxPool2d(X.neg(), kernelSize, { stride: options.stride, padding: options.padding, returnIndices: true });
  return [values.neg(), indices];
}

export const NEED_MIN_POOL =
  "Not as a new primitive: min(x) = −max(−x), so negate, max-pool and negate back gives min pooling exactly (padding, ties and " +
  "NaN included) at the cost of two cheap negations. It can still be worth having as a layer for clarity, or where the network " +
  "should pick out the darkest response, as the seed notes say. 不一定需要新的层：取负、最大汇聚、再取负就是最小汇聚；但在需要提取局部较暗像素时，作为一个层使用仍然方便。";

export const WHY_MIN_POOL =
  "Min pooling picks out the darkest (smallest) response in a window, e.g. dark spots on a bright background. It needs no layer " +
  "of its own: negate, max-pool, negate back, min(x) = −max(−x) — padding still never wins, ties and NaN behave as in max pooling. " +
  "最小汇聚可以提取局部最暗的像素，但不需要单独的层：先取负，做最大汇聚，再取负即可。";
