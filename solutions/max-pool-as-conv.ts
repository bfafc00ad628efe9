/**
 * Reference solution — 练习 2: max pooling over a convolution's sliding window (the seed's answer:
 * multiply the window by the all-ones kernel, take the max instead of the sum).
 */
import { torch, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface PoolConvOptions {
  stride?: Pair;
  padding?: Pair;
}

function pair(v: Pair): [number, number] {
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

export function maxPoolAsConv(X: Tensor, kernelSize: Pair, options: PoolConvOptions = {}): Tensor {
  const [kh, kw] = pair(kernelSize);
  const [sh, sw] = pair(options.stride ?? kernelSize);
  const [ph, pw] = pair(options.padding ?? 0);
  const batched = X.dim() === 4;
  const X4 = batched ? X : X.reshape(1, ...X.shape);
  const [N, C, H, W] = X4.shape;
  // The convolution's geometry: conv2d(X, K, { stride, padding }) has this output size.
  const outH = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const K = torch.ones(kh, kw);
  const Y = torch.zeros([N, C, outH, outW], { dtype: X.dtype });
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          // The conv's window starts at (i·s_h − p_h, j·s_w − p_w); its padding cells are not
          // candidates for the max (they act as −∞), so clip the window to the input.
          const h0 = i * sh - ph;
          const w0 = j * sw - pw;
          const [top, bottom] = [Math.max(h0, 0), Math.min(h0 + kh, H)];
          const [left, right] = [Math.max(w0, 0), Math.min(w0 + kw, W)];
          const window = X4.index(n, c, [top, bottom], [left, right]);
          const k = K.index([top - h0, bottom - h0], [left - w0, right - w0]);
          Y.set([n, c, i, j], window.mul(k).max());
        }
      }
    }
  }
  return batched ? Y : Y.reshape(C, outH, outW);
}
