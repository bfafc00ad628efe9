import { Tensor } from "../tensor/tensor";
import { allocate } from "../tensor/storage";
import { Pair, PoolGeometry, PoolOptions, checkDType, checkIsTensor, pool2dGeometry } from "./geometry";
import { fastAvgPool2d } from "./fast";

export interface AvgPoolOptions extends Omit<PoolOptions, "dilation"> {
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** One average-pool window: the cells it reads and the number it divides by. */
export interface AvgWindow {
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  divisor: number;
}

/**
 * The window of output cell (oh, ow), as PyTorch's `cpu_avg_pool`: first clipped to the
 * padded input [−p, in + p) — that size is the divisor when padding counts — then to the
 * real input, whose cell count is the divisor when it does not. `divisorOverride` wins.
 */
export function avgWindow(g: PoolGeometry, oh: number, ow: number, options: AvgPoolOptions): AvgWindow {
  let h0 = oh * g.sH - g.pH;
  let w0 = ow * g.sW - g.pW;
  let h1 = Math.min(h0 + g.kH, g.inH + g.pH);
  let w1 = Math.min(w0 + g.kW, g.inW + g.pW);
  const paddedSize = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.inH);
  w1 = Math.min(w1, g.inW);
  const divisor =
    options.divisorOverride ?? ((options.countIncludePad ?? true) ? paddedSize : (h1 - h0) * (w1 - w0));
  return { h0, h1, w0, w1, divisor };
}

/**
 * The average-pool kernel. The sum runs row by row in the input's precision (float32 adds
 * for float32, as PyTorch accumulates), then one division; an empty window gives 0. For
 * int64 input PyTorch sums in int64 and divides with C++ integer division (toward zero).
 */
export function avgPoolKernel(
  input: ArrayLike<number>,
  output: Float32Array | Float64Array,
  g: PoolGeometry,
  options: AvgPoolOptions,
  integer = false,
): void {
  const round = output instanceof Float32Array ? Math.fround : (x: number) => x;
  const divide = integer ? (sum: number, d: number) => Math.trunc(sum / d) : (sum: number, d: number) => sum / d;
  const { inH, inW, outH, outW } = g;
  for (let plane = 0; plane < g.planes; plane++) {
    const inBase = plane * inH * inW;
    const outBase = plane * outH * outW;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const win = avgWindow(g, oh, ow, options);
        if (win.h0 >= win.h1 || win.w0 >= win.w1) {
          output[outBase + oh * outW + ow] = 0;
          continue;
        }
        let sum = 0;
        for (let h = win.h0; h < win.h1; h++) {
          for (let w = win.w0; w < win.w1; w++) sum = round(sum + input[inBase + h * inW + w]);
        }
        // PyTorch zero-fills the output, then adds: so a −0 average comes out as +0.
        output[outBase + oh * outW + ow] = round(divide(sum, win.divisor)) + 0;
      }
    }
  }
}

export function checkDivisor(options: AvgPoolOptions): void {
  const d = options.divisorOverride;
  if (d !== undefined && d !== null && (!Number.isInteger(d) || d === 0)) {
    throw new Error(Number.isInteger(d) ? "divisor must be not zero" : `divisor_override must be an integer, got ${d}`);
  }
}

/** `F.avg_pool2d`. Defaults as PyTorch: stride = kernel, padding 0, countIncludePad true. */
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPoolOptions = {}): Tensor {
  checkIsTensor(input, "avg_pool2d");
  // PyTorch checks the divisor after the argument forms but before the input's shape.
  const g = pool2dGeometry("avg_pool2d", input, kernelSize, options, () => checkDivisor(options));
  checkDType(input, "avg_pool2d", ["float32", "float64", "int64"]);
  const shape = [...g.batchShape, g.outH, g.outW];
  // float32: the fast kernel (src/pooling/fast), the same sums in the same order as below.
  const fast = fastAvgPool2d(input.data, g, options);
  if (fast) return new Tensor(fast, shape, input.dtype);
  const output = allocate(input.dtype, g.planes * g.outH * g.outW) as Float32Array | Float64Array;
  avgPoolKernel(input.data, output, g, options, input.dtype === "int64");
  return new Tensor(output, shape, input.dtype);
}
