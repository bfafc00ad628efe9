/**
 * Reference solution — 练习 1 / Exercise 1: average pooling as a special case of convolution.
 * (The task, shapes and conventions are stated in exercises/avg-pool-as-conv.ts.)
 */
import { torch, conv2d, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface PoolConvOptions {
  stride?: Pair;
  padding?: Pair;
}

function pair(v: Pair): [number, number] {
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

/** weight[o, i] = 1/(k_h·k_w) when o = i, else 0: each output channel averages its own input channel. */
export function avgPoolWeight(channels: number, kernelSize: Pair): Tensor {
  const [kh, kw] = pair(kernelSize);
  const weight = torch.zeros([channels, channels, kh, kw]);
  for (let c = 0; c < channels; c++) weight.set([c, c], 1 / (kh * kw));
  return weight;
}

/** conv2d with that fixed kernel; pooling's default stride is the window size (conv's would be 1). */
export function avgPoolAsConv(X: Tensor, kernelSize: Pair, options: PoolConvOptions = {}): Tensor {
  const channels = X.shape[X.dim() - 3];
  return conv2d(X, avgPoolWeight(channels, kernelSize), {
    stride: options.stride ?? kernelSize,
    padding: options.padding ?? 0,
  });
}
