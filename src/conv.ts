import { Tensor } from "./tensor/tensor";
import { stack, zeros } from "./tensor/creation";
import { allocate } from "./tensor/storage";
import { formatShape } from "./tensor/shape";
import { Pair, toPair } from "./pooling/geometry";

/**
 * Convolution from chapters 6.2–6.4, which the pooling exercises build on.
 * `corr2d` is d2l's naive 2-D cross-correlation, `corr2dMultiIn(Out)` its multi-channel forms,
 * and `conv2d` PyTorch's `F.conv2d` (stride, zero padding, bias) written as plain loops.
 */

/** d2l 6.2: `Y[i, j] = (X[i:i + h, j:j + w] * K).sum()`. */
export function corr2d(X: Tensor, K: Tensor): Tensor {
  const [h, w] = K.shape;
  const Y = zeros([X.shape[0] - h + 1, X.shape[1] - w + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      Y.set([i, j], X.index([i, i + h], [j, j + w]).mul(K).sum());
    }
  }
  return Y;
}

/** d2l 6.4: sum the per-channel cross-correlations. X: (c_i, h, w), K: (c_i, k_h, k_w). */
export function corr2dMultiIn(X: Tensor, K: Tensor): Tensor {
  let Y = corr2d(X.index(0), K.index(0));
  for (let c = 1; c < X.shape[0]; c++) Y = Y.add(corr2d(X.index(c), K.index(c)));
  return Y;
}

/** d2l 6.4: one output channel per kernel. K: (c_o, c_i, k_h, k_w). */
export function corr2dMultiInOut(X: Tensor, K: Tensor): Tensor {
  return stack(Array.from({ length: K.shape[0] }, (_, o) => corr2dMultiIn(X, K.index(o))), 0);
}

export interface Conv2dOptions {
  bias?: Tensor | null;
  stride?: Pair;
  padding?: Pair;
}

/**
 * `F.conv2d(input, weight, bias, stride, padding)`: input (N, C_in, H, W) or (C_in, H, W),
 * weight (C_out, C_in, kH, kW); padding is zeros, PER SIDE as in PyTorch. Sums run in double
 * and round once (PyTorch's own conv order differs, so expect float32 rounding differences).
 */
export function conv2d(input: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  if (weight.dim() !== 4) throw new Error(`conv2d: weight should be 4-D (C_out, C_in, kH, kW), got shape ${formatShape(weight.shape)}`);
  if (input.dim() !== 3 && input.dim() !== 4) {
    throw new Error(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${formatShape(input.shape)}`);
  }
  const batched = input.dim() === 4;
  const [N, C, H, W] = batched ? input.shape : [1, ...input.shape];
  const [O, CW, kH, kW] = weight.shape;
  if (C !== CW) {
    throw new Error(
      `Given groups=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(input.shape)} to have ${CW} channels, but got ${C} channels instead`,
    );
  }
  const [sH, sW] = toPair(options.stride, [1, 1], "conv2d: stride must be a single int or a pair");
  const [pH, pW] = toPair(options.padding, [0, 0], "conv2d: padding must be a single int or a pair");
  const outH = Math.floor((H + 2 * pH - kH) / sH) + 1;
  const outW = Math.floor((W + 2 * pW - kW) / sW) + 1;
  if (outH < 1 || outW < 1) {
    throw new Error(`Calculated padded input size per channel: (${H + 2 * pH} x ${W + 2 * pW}). Kernel size: (${kH} x ${kW}). Kernel size can't be greater than actual input size`);
  }
  const bias = options.bias ?? null;
  const out = allocate(input.dtype, N * O * outH * outW);
  const xs = input.data; // read once: a tensor's data is a getter
  const ws = weight.data;
  const bs = bias ? bias.data : null;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let sum = bs ? bs[o] : 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kH; i++)
              for (let j = 0; j < kW; j++) {
                const h = oh * sH - pH + i;
                const w = ow * sW - pW + j;
                if (h < 0 || h >= H || w < 0 || w >= W) continue; // zero padding
                sum += xs[((n * C + c) * H + h) * W + w] * ws[((o * C + c) * kH + i) * kW + j];
              }
          out[((n * O + o) * outH + oh) * outW + ow] = sum;
        }
  return new Tensor(out, batched ? [N, O, outH, outW] : [O, outH, outW], input.dtype);
}
