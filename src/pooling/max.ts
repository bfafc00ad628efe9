import { Tensor } from "../tensor/tensor";
import { allocate } from "../tensor/storage";
import { Pair, PoolGeometry, PoolOptions, checkDType, checkIsTensor, pool2dGeometry } from "./geometry";
import { fastMaxPool2d } from "./fast";

export interface MaxPoolOptions extends PoolOptions {
  returnIndices?: boolean;
}

/**
 * The max-pool kernel, as PyTorch's CPU `cpu_max_pool`: for every plane and output cell, scan
 * the (dilated) window clipped to the input. Padding cells are never read (they act as −∞).
 * A strictly larger value replaces the maximum, so the FIRST maximum wins a tie; any NaN
 * replaces it too, so the LAST NaN in row-major order gives the index. Indices are flat within
 * the plane: h * W + w.
 */
export function maxPoolKernel(
  input: ArrayLike<number>,
  output: { [i: number]: number },
  indices: { [i: number]: number },
  g: PoolGeometry,
  integer = false,
): void {
  const { inH, inW, outH, outW } = g;
  // A window that reads no cell keeps this start value: −∞ for floats, the smallest int64 for int64.
  const lowest = output instanceof Float32Array || !integer ? -Infinity : -(2 ** 63);
  for (let plane = 0; plane < g.planes; plane++) {
    const inBase = plane * inH * inW;
    const outBase = plane * outH * outW;
    for (let oh = 0; oh < outH; oh++) {
      let h0 = oh * g.sH - g.pH;
      const h1 = Math.min(h0 + (g.kH - 1) * g.dH + 1, inH);
      while (h0 < 0) h0 += g.dH;
      for (let ow = 0; ow < outW; ow++) {
        let w0 = ow * g.sW - g.pW;
        const w1 = Math.min(w0 + (g.kW - 1) * g.dW + 1, inW);
        while (w0 < 0) w0 += g.dW;
        let maxIndex = h0 * inW + w0;
        let maxValue = lowest;
        for (let h = h0; h < h1; h += g.dH) {
          for (let w = w0; w < w1; w += g.dW) {
            const value = input[inBase + h * inW + w];
            if (value > maxValue || Number.isNaN(value)) {
              maxValue = value;
              maxIndex = h * inW + w;
            }
          }
        }
        output[outBase + oh * outW + ow] = maxValue;
        indices[outBase + oh * outW + ow] = maxIndex;
      }
    }
  }
}

/** `F.max_pool2d`: returns the output, or `[output, indices]` with `{ returnIndices: true }`. */
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: Pair, options?: MaxPoolOptions): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  const [output, indices] = maxPool(input, kernelSize, options, options.returnIndices === true);
  return options.returnIndices ? [output, indices!] : output;
}

export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, options: PoolOptions = {}): [Tensor, Tensor] {
  const [output, indices] = maxPool(input, kernelSize, options, true);
  return [output, indices!];
}

/**
 * Checks, then the fast kernel (float32, src/pooling/fast) where it applies, else the reference
 * loop above. Both give the same values and indices.
 */
function maxPool(input: Tensor, kernelSize: Pair, options: PoolOptions, withIndices: boolean): [Tensor, Tensor | null] {
  checkIsTensor(input, "max_pool2d");
  const g = pool2dGeometry("max_pool2d", input, kernelSize, options);
  // int64 input is pooled too, as in PyTorch 2.1+ (1.13 rejected it).
  checkDType(input, "max_pool2d", ["float32", "float64", "int64"]);
  const shape = [...g.batchShape, g.outH, g.outW];
  const fast = fastMaxPool2d(input.data, g, withIndices ? "int64" : "none");
  if (fast) {
    return [new Tensor(fast.output, shape, input.dtype), fast.indices ? new Tensor(fast.indices, shape, "int64") : null];
  }
  const size = g.planes * g.outH * g.outW;
  const output = allocate(input.dtype, size);
  const indices = allocate("int64", size);
  maxPoolKernel(input.data, output, indices, g, input.dtype === "int64");
  return [new Tensor(output, shape, input.dtype), new Tensor(indices, shape, "int64")];
}
