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
  "Max pooling keeps only the strongest value of each window. A strong response that moves inside its window leaves " +
  "that window's max exactly as it was (the line inside a window: change 0.0000; the peak's window: max 0, average " +
  "0.1250, because the weaker neighbours move in and out of the average). When the response crosses a window boundary " +
  "it jumps to the next output for both poolings (the line: 0.3333 max, 0.1667 average), and stride-2 pooling aliases: " +
  "stripes flip between striped and flat at every pixel (0.5000 for both); blurring before subsampling halves that " +
  "(max→blur 0.2500). On a dense random input max pooling is not more shift-invariant at all (0.6930 vs 0.4464). " +
  "Noise: the average of a window averages the noise down (0.0386, whatever the input: it is linear), the max picks " +
  "the largest noisy value (0.0901 on the line, 0.0611 on the random input). But the max keeps a sparse feature at full " +
  "height while the average divides it by the window size, so over large windows the max still tells a sparse feature " +
  "from noise (global max: 100 of 100 pairs, global average: 82; Boureau et al. 2010). " +
  "最大汇聚只保留窗口里最强的值：强响应在窗口内移动时，该窗口的输出完全不变，平均汇聚则随较弱的邻居进出而改变；" +
  "响应跨过窗口边界时两者都会跳到相邻的输出，步幅 2 的汇聚还会混叠，先模糊再降采样能减轻。随机输入上最大汇聚并不更稳。" +
  "平均汇聚把噪声平均掉，最大汇聚挑出最大的噪声，因而对噪声更敏感；但它让稀疏的强特征保持原有高度，在大窗口中仍能把特征与噪声区分开。";
