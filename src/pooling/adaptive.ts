import { Tensor } from "../tensor/tensor";
import { allocate } from "../tensor/storage";
import { formatShape } from "../tensor/shape";
import { checkDType, checkIsTensor, planesOf } from "./geometry";
import { isFloating, scalarTypeName } from "../tensor/dtype";
import { fastGlobalAvgPool, fastMaxPool2d } from "./fast";

/** An adaptive pool's target size: a number, or `[h, w]` where null keeps that input size. */
export type OutputSize = number | readonly [number | null, number | null];

export interface AdaptiveGeometry {
  planes: number;
  batchShape: number[];
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

/**
 * Adaptive windows, as PyTorch: output cell i of n covers input [floor(i·in/n), ceil((i+1)·in/n)).
 * Neighbouring windows may overlap by one cell when n does not divide in.
 */
export function windowStart(i: number, outSize: number, inSize: number): number {
  return Math.floor((i * inSize) / outSize);
}
export function windowEnd(i: number, outSize: number, inSize: number): number {
  return Math.ceil(((i + 1) * inSize) / outSize);
}

/** Resolve and check the output size and input shape, with PyTorch's messages for each pool. */
export function adaptiveGeometry(
  opName: "adaptive_avg_pool2d" | "adaptive_max_pool2d",
  input: Tensor,
  outputSize: OutputSize,
): AdaptiveGeometry {
  const sizes = resolveOutputSize(opName, input, outputSize);
  const shape = formatShape(input.shape);
  if (opName === "adaptive_avg_pool2d") {
    if (sizes.some((s) => s < 0)) {
      throw new Error(
        `adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {${sizes[0]}, ${sizes[1]}}`,
      );
    }
    if (input.dim() !== 3 && input.dim() !== 4) {
      throw new Error(`adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${shape}`);
    }
    for (const i of [-2, -1]) {
      if (input.shape[input.dim() + i] <= 0) {
        throw new Error(
          `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${shape} with dimension ${input.dim() + i} being empty`,
        );
      }
    }
  } else {
    if (input.dim() !== 3 && input.dim() !== 4) {
      throw new Error(`adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ${shape}`);
    }
    for (let i = 1; i < input.dim(); i++) {
      if (input.shape[i] <= 0) {
        throw new Error(
          `adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${shape} with dimension ${i} being empty`,
        );
      }
    }
    if (sizes.some((s) => s < 0)) {
      throw new Error(`Trying to create tensor with negative dimension ${sizes.find((s) => s < 0)}: ${formatShape([...input.shape.slice(0, -2), ...sizes])}`);
    }
  }
  return { ...planesOf(input), outH: sizes[0], outW: sizes[1] };
}

/**
 * PyTorch's `_list_with_default` (Python side: a number means square, null takes the input's
 * size, and the input needs more dims than the list has), then the C++ length check.
 */
function resolveOutputSize(opName: string, input: Tensor, outputSize: OutputSize): [number, number] {
  if (typeof outputSize === "number") {
    if (!Number.isInteger(outputSize)) throw new Error(`${opName}: output_size must be an integer or [h, w], got ${outputSize}`);
    return [outputSize, outputSize];
  }
  if (!Array.isArray(outputSize)) {
    throw new Error(`${opName}: output_size must be a number or [height, width], got ${typeof outputSize}`);
  }
  if (input.dim() <= outputSize.length) throw new Error(`Input dimension should be at least ${outputSize.length + 1}`);
  const sizes = outputSize.map((v, i) => {
    if (v === null || v === undefined) return input.shape[input.dim() - outputSize.length + i];
    if (!Number.isInteger(v)) throw new Error(`${opName}: output_size entries must be integers or null, got ${v}`);
    return v;
  });
  if (sizes.length !== 2) {
    throw new Error(
      opName === "adaptive_avg_pool2d"
        ? "adaptive_avg_pool2d: output_size must be 2 (give [height, width])"
        : "adaptive_max_pool2d(): internal error: output_size.size() must be 2 (give [height, width])",
    );
  }
  return sizes as [number, number];
}

/** Visit every output cell with its plane, flat output index and window [h0, h1) × [w0, w1). */
export function forEachAdaptiveWindow(
  g: AdaptiveGeometry,
  visit: (plane: number, out: number, h0: number, h1: number, w0: number, w1: number) => void,
): void {
  for (let plane = 0; plane < g.planes; plane++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const h0 = windowStart(oh, g.outH, g.inH);
      const h1 = windowEnd(oh, g.outH, g.inH);
      for (let ow = 0; ow < g.outW; ow++) {
        visit(plane, (plane * g.outH + oh) * g.outW + ow, h0, h1, windowStart(ow, g.outW, g.inW), windowEnd(ow, g.outW, g.inW));
      }
    }
  }
}

/**
 * Adaptive average kernel, as PyTorch's `cpu_adaptive_avg_pool2d`: sum the window in the
 * input's precision, then divide by its height and then by its width (two roundings).
 */
export function adaptiveAvgKernel(input: ArrayLike<number>, output: Float32Array | Float64Array, g: AdaptiveGeometry): void {
  const round = output instanceof Float32Array ? Math.fround : (x: number) => x;
  forEachAdaptiveWindow(g, (plane, out, h0, h1, w0, w1) => {
    const inBase = plane * g.inH * g.inW;
    let sum = 0;
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) sum = round(sum + input[inBase + h * g.inW + w]);
    }
    output[out] = round(sum / (h1 - h0)) / (w1 - w0);
  });
}

/** Adaptive max kernel: the same scan and tie/NaN rules as max pooling (see max.ts). */
export function adaptiveMaxKernel(
  input: ArrayLike<number>,
  output: { [i: number]: number },
  indices: { [i: number]: number },
  g: AdaptiveGeometry,
): void {
  forEachAdaptiveWindow(g, (plane, out, h0, h1, w0, w1) => {
    const inBase = plane * g.inH * g.inW;
    let maxIndex = h0 * g.inW + w0;
    let maxValue = -Infinity;
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const value = input[inBase + h * g.inW + w];
        if (value > maxValue || Number.isNaN(value)) {
          maxValue = value;
          maxIndex = h * g.inW + w;
        }
      }
    }
    output[out] = maxValue;
    indices[out] = maxIndex;
  });
}

/** `F.adaptive_avg_pool2d`: average over windows chosen so the output has `outputSize`. */
export function adaptiveAvgPool2d(input: Tensor, outputSize: OutputSize): Tensor {
  checkIsTensor(input, "adaptive_avg_pool2d");
  const g = adaptiveGeometry("adaptive_avg_pool2d", input, outputSize);
  if (g.outH === 1 && g.outW === 1 && !isFloating(input.dtype)) {
    // PyTorch computes a 1×1 adaptive average as input.mean((-1, -2)), so its error is mean's.
    throw new Error(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(input.dtype)}`,
    );
  }
  checkDType(input, "adaptive_avg_pool2d");
  // Global average (1×1) in float32: the fast kernel, the same sums in the same order.
  const fast = g.outH === 1 && g.outW === 1 ? fastGlobalAvgPool(input.data, g.planes, g.inH, g.inW) : null;
  if (fast) return new Tensor(fast, [...g.batchShape, 1, 1], input.dtype);
  const output = allocate(input.dtype, g.planes * g.outH * g.outW) as Float32Array | Float64Array;
  adaptiveAvgKernel(input.data, output, g);
  return new Tensor(output, [...g.batchShape, g.outH, g.outW], input.dtype);
}

/** `F.adaptive_max_pool2d`; `{ returnIndices: true }` also gives the flat argmax per plane. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutputSize, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: OutputSize, options?: { returnIndices?: boolean }): Tensor;
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: OutputSize,
  options: { returnIndices?: boolean } = {},
): Tensor | [Tensor, Tensor] {
  checkIsTensor(input, "adaptive_max_pool2d");
  const g = adaptiveGeometry("adaptive_max_pool2d", input, outputSize);
  checkDType(input, "adaptive_max_pool2d");
  const shape = [...g.batchShape, g.outH, g.outW];
  // When the output size divides the input size, the windows are exactly max pooling's with
  // kernel = stride = in / out: use the fast max-pool kernel (float32).
  if (g.outH > 0 && g.outW > 0 && g.inH % g.outH === 0 && g.inW % g.outW === 0) {
    const [kH, kW] = [g.inH / g.outH, g.inW / g.outW];
    const pooled = { ...g, kH, kW, sH: kH, sW: kW, pH: 0, pW: 0, dH: 1, dW: 1 };
    const fast = fastMaxPool2d(input.data, pooled, options.returnIndices ? "int64" : "none", "adaptive_max_pool2d");
    if (fast) {
      const result = new Tensor(fast.output, shape, input.dtype);
      return options.returnIndices ? [result, new Tensor(fast.indices!, shape, "int64")] : result;
    }
  }
  const size = g.planes * g.outH * g.outW;
  const output = allocate(input.dtype, size);
  const indices = allocate("int64", size);
  adaptiveMaxKernel(input.data, output, indices, g);
  const result = new Tensor(output, shape, input.dtype);
  return options.returnIndices ? [result, new Tensor(indices, shape, "int64")] : result;
}
