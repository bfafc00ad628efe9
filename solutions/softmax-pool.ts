/**
 * Reference solution — 练习 6 / Exercise 7: softmax pooling, y = Σ softmax(β·x)_i · x_i over each window.
 */
import { Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";

export interface SoftmaxPoolOptions {
  beta?: number;
  stride?: Pair;
  padding?: Pair;
}

function pair(v: Pair): [number, number] {
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

export function softmaxPool2d(X: Tensor, kernelSize: Pair, options: SoftmaxPoolOptions = {}): Tensor {
  const beta = options.beta ?? 1;
  const [kh, kw] = pair(kernelSize);
  const [sh, sw] = pair(options.stride ?? kernelSize);
  const [ph, pw] = pair(options.padding ?? 0);
  const lead = X.shape.slice(0, -2);
  const [H, W] = X.shape.slice(-2);
  const planes = lead.reduce((p, d) => p * d, 1);
  const outH = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const x = X.data;
  const out = X.dtype === "float64" ? new Float64Array(planes * outH * outW) : new Float32Array(planes * outH * outW);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        // The window clipped to the input: padding cells are not part of it (weight 0).
        const top = Math.max(i * sh - ph, 0);
        const bottom = Math.min(i * sh - ph + kh, H);
        const left = Math.max(j * sw - pw, 0);
        const right = Math.min(j * sw - pw + kw, W);
        // Stable softmax: subtract the largest β·x before exp, so every exp is in (0, 1].
        let m = -Infinity;
        for (let h = top; h < bottom; h++) for (let w = left; w < right; w++) m = Math.max(m, beta * x[(p * H + h) * W + w]);
        let num = 0;
        let den = 0;
        for (let h = top; h < bottom; h++) {
          for (let w = left; w < right; w++) {
            const v = x[(p * H + h) * W + w];
            const e = Math.exp(beta * v - m);
            num += e * v;
            den += e;
          }
        }
        out[(p * outH + i) * outW + j] = num / den;
      }
    }
  }
  return new Tensor(out, [...lead, outH, outW], X.dtype);
}

export const WHY_UNPOPULAR =
  "Softmax pooling needs an exp per cell and a division per window, far more than a comparison or an addition; it is only " +
  "stable after subtracting the window max; its β is one more hyper-parameter that interpolates between average (β→0) and max " +
  "(β→∞) pooling without clearly beating either, and its smooth weighting gives up part of max pooling's shift robustness. " +
  "softmax 汇聚要做指数运算和除法，成本高；需要减去窗口最大值才数值稳定；β 只是在平均汇聚与最大汇聚之间插值，效果并不明显更好。";
