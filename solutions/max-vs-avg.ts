/**
 * Reference solution — 练习 4 / Exercise 5: where and by how much max and average pooling change, measured.
 */
import { Tensor } from "d2l-pooling";

export type Pool = (X: Tensor) => Tensor;

/** |pool(X[…, d:W]) − pool(X[…, 0:W−d])|: the content moved d pixels left, compared output by output. */
export function shiftChange(pool: Pool, X: Tensor, d: number = 1): Tensor {
  const W = X.shape[X.dim() - 1];
  const moved = X.index("...", [d, W]);
  const original = X.index("...", [0, W - d]);
  return pool(moved).sub(pool(original)).abs();
}

/** |pool(X + noise) − pool(X)|; X.add makes a new tensor, so X stays as it was. */
export function noiseChange(pool: Pool, X: Tensor, noise: Tensor): Tensor {
  return pool(X.add(noise)).sub(pool(X)).abs();
}

export const WHY_DIFFERENT =
  "Max pooling keeps only the strongest value of each window. A strong, isolated response that moves inside its window " +
  "leaves that window's max exactly unchanged (the line moving inside a window: change 0), while the average changes as " +
  "weaker neighbours move in and out (the peak's window: max 0, average 0.125). Neither is invariant when the response " +
  "crosses a window boundary: the whole response jumps to the next output (line: 0.3333 for max), and stride-2 pooling " +
  "aliases — stripes flip between striped and flat (0.5 per one-pixel step for both); blurring before subsampling halves " +
  "that (0.25). On dense inputs max pooling is not more shift-invariant than the average at all. Noise: the average of a " +
  "window averages the noise down, the max picks the largest noisy value, so max pooling changes more (dense input: " +
  "0.1021 vs 0.0662); but it keeps a sparse feature at full height, while the average dilutes it by the window size, so " +
  "over large windows the max still tells a sparse feature from noise (Boureau et al. 2010). " +
  "最大汇聚只保留窗口里最强的值：强而孤立的响应在窗口内移动时，该窗口的输出完全不变，平均汇聚则随邻近较弱的值进出而改变；" +
  "响应跨过窗口边界时两者都会整体跳到相邻输出，步幅 2 的汇聚还会混叠，先模糊再降采样能减轻。平均汇聚把噪声平均掉，" +
  "最大汇聚挑出最大的噪声，因而对噪声更敏感；但它让稀疏的强特征保持原有高度，在大窗口中仍能把特征与噪声区分开。";
