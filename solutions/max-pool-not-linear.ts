/**
 * Reference solution — d2l-en Exercise 2: max pooling is not a convolution.
 * A convolution (with or without bias) is affine, and maxPool(0) = 0, so any failure of additivity or
 * of homogeneity proves that no convolution equals max pooling.
 */
import { torch, Tensor } from "d2l-pooling";

export function additivityCounterexample(): { x: Tensor; y: Tensor } {
  // maxPool(x) = 1, maxPool(y) = 1, but maxPool(x + y) = 1, not 2: the maxima sit in different cells.
  const x = torch.tensor([[[[1, 0], [0, 0]]]]);
  const y = torch.tensor([[[[0, 1], [0, 0]]]]);
  return { x, y };
}

export function scalingCounterexample(): { x: Tensor; a: number } {
  // maxPool(−x) = −1 but −maxPool(x) = −4: a negative factor turns the max into a min.
  return { x: torch.tensor([[[[1, 2], [3, 4]]]]), a: -1 };
}

export const WHY_NOT_CONV =
  "A convolution is linear (affine with a bias): conv(x + y) = conv(x) + conv(y) − b and conv(a·x) = a·conv(x) − (a − 1)·b. " +
  "Max pooling maps 0 to 0, so a convolution equal to it would need b = 0 and would be linear; one counterexample to additivity " +
  "or homogeneity therefore rules out every kernel at once. 卷积（含偏置）是仿射映射，而最大汇聚把 0 映到 0，只要有一个反例破坏可加性或齐次性，就没有任何卷积核能实现最大汇聚。";
