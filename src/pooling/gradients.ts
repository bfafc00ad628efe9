import { Tensor } from "../tensor/tensor";
import { isFloating } from "../tensor/dtype";
import { allocate } from "../tensor/storage";
import { formatShape } from "../tensor/shape";
import { Pair, checkDType, checkIsTensor, pool2dGeometry } from "./geometry";
import { MaxPoolOptions, maxPool2dWithIndices } from "./max";
import { AvgPoolOptions, avgPool2d, avgWindow, checkDivisor } from "./avg";
import { LpPoolOptions, lpPool2d, powScalar } from "./lp";
import { OutputSize, adaptiveGeometry, adaptiveMaxPool2d, forEachAdaptiveWindow } from "./adaptive";
import { MaxUnpoolOptions, maxUnpool2d } from "./unpool";
import { fastAvgPool2dBackward, fastMaxPool2dBackward } from "./fast";

/**
 * Backward passes: the gradient of the input given the gradient of the output, as PyTorch's
 * autograd computes it (same kernels, same order of float additions). Each takes the output
 * gradient first, then exactly the forward call's arguments.
 */

/** Autograd works on floating tensors only; PyTorch refuses `requires_grad` on others. */
function checkGradInput(input: Tensor): void {
  checkIsTensor(input, "backward");
  if (!isFloating(input.dtype)) {
    throw new Error("only Tensors of floating point and complex dtype can require gradients");
  }
}

function checkGradShape(gradOutput: Tensor, expected: readonly number[]): void {
  if (!(gradOutput instanceof Tensor)) throw new Error("gradOutput must be a Tensor shaped like the forward output");
  if (formatShape(gradOutput.shape) !== formatShape(expected)) {
    throw new Error(
      `Mismatch in shape: grad_output[0] has a shape of torch.Size(${formatShape(gradOutput.shape)}) and output[0] has a shape of torch.Size(${formatShape(expected)}).`,
    );
  }
}

/** A float accumulator buffer that rounds each addition to the input's precision. */
function gradBuffer(input: Tensor): { data: Float32Array | Float64Array; add(i: number, v: number): void } {
  const data = allocate(input.dtype, input.numel()) as Float32Array | Float64Array;
  return { data, add: (i, v) => (data[i] += v) }; // typed-array store rounds float32
}

/** Max pooling sends each output's gradient to the one input cell that was its maximum. */
export function maxPool2dBackward(gradOutput: Tensor, input: Tensor, kernelSize: Pair, options: MaxPoolOptions = {}): Tensor {
  checkGradInput(input);
  const fast = fastBackward(gradOutput, input, "max_pool2d", kernelSize, options);
  if (fast) return fast;
  const [output, indices] = maxPool2dWithIndices(input, kernelSize, options);
  checkGradShape(gradOutput, output.shape);
  return scatterByIndices(gradOutput, indices, input);
}

/**
 * float32: the fast kernels (src/pooling/fast), which add the same float32 terms in the same
 * order as the loops here. Null sends the call down the reference path (which also reports a
 * wrongly shaped gradOutput).
 */
function fastBackward(
  gradOutput: Tensor,
  input: Tensor,
  op: "max_pool2d" | "avg_pool2d",
  kernelSize: Pair,
  options: MaxPoolOptions | AvgPoolOptions,
): Tensor | null {
  if (input.dtype !== "float32" || !(gradOutput instanceof Tensor)) return null;
  // The forward's argument checks, with its messages.
  const g = pool2dGeometry(op, input, kernelSize, options, op === "avg_pool2d" ? () => checkDivisor(options) : undefined);
  if (formatShape(gradOutput.shape) !== formatShape([...g.batchShape, g.outH, g.outW])) return null;
  const data =
    op === "max_pool2d"
      ? fastMaxPool2dBackward(gradOutput.data, input.data, g)
      : fastAvgPool2dBackward(gradOutput.data, input.data, g, options as AvgPoolOptions);
  return data ? new Tensor(data, input.shape, input.dtype) : null;
}

/** Shared by max and adaptive max: grad_input[plane, index] += grad_output. */
function scatterByIndices(gradOutput: Tensor, indices: Tensor, input: Tensor): Tensor {
  const grad = gradBuffer(input);
  const inPlane = input.shape[input.dim() - 1] * input.shape[input.dim() - 2];
  const outPlane = indices.shape[indices.dim() - 1] * indices.shape[indices.dim() - 2];
  for (let i = 0; i < indices.numel(); i++) {
    const plane = Math.floor(i / outPlane);
    const index = indices.data[i];
    if (index >= 0 && index < inPlane) grad.add(plane * inPlane + index, gradOutput.data[i]);
  }
  return new Tensor(grad.data, input.shape, input.dtype);
}

/** Average pooling spreads each output's gradient / divisor over its (clipped) window. */
export function avgPool2dBackward(gradOutput: Tensor, input: Tensor, kernelSize: Pair, options: AvgPoolOptions = {}): Tensor {
  checkGradInput(input);
  const fast = fastBackward(gradOutput, input, "avg_pool2d", kernelSize, options);
  if (fast) return fast;
  const output = avgPool2d(input, kernelSize, options); // checks the arguments as the forward does
  checkGradShape(gradOutput, output.shape);
  const g = pool2dGeometry("avg_pool2d", input, kernelSize, options);
  const grad = gradBuffer(input);
  const round = input.dtype === "float32" ? Math.fround : (x: number) => x;
  for (let plane = 0; plane < g.planes; plane++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const win = avgWindow(g, oh, ow, options);
        const delta = round(gradOutput.data[(plane * g.outH + oh) * g.outW + ow] / win.divisor);
        for (let h = win.h0; h < win.h1; h++) {
          for (let w = win.w0; w < win.w1; w++) grad.add((plane * g.inH + h) * g.inW + w, delta);
        }
      }
    }
  }
  return new Tensor(grad.data, input.shape, input.dtype);
}

/** Elementwise a * b (same shapes) in the tensors' precision. */
function times(a: Tensor, b: Tensor | number): Tensor {
  const out = allocate(a.dtype, a.numel());
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] * (typeof b === "number" ? b : b.data[i]);
  return new Tensor(out, a.shape, a.dtype);
}

/** d/dx of x^p times grad, as autograd's `pow_backward`: grad · (p · x^(p−1)). */
function powBackward(grad: Tensor, x: Tensor, p: number): Tensor {
  if (p === 0) return new Tensor(allocate(x.dtype, x.numel()), x.shape, x.dtype);
  const scale = x.dtype === "float32" ? Math.fround(p) : p;
  return times(grad, times(powScalar(x, p - 1), scale));
}

/**
 * LP pooling is a chain of simple ops in PyTorch (pow → avg_pool → sign·relu(abs) → ·k →
 * pow 1/p); autograd runs their backwards in reverse, and so do we, step by step.
 */
export function lpPool2dBackward(
  gradOutput: Tensor,
  input: Tensor,
  normType: number,
  kernelSize: Pair,
  options: LpPoolOptions = {},
): Tensor {
  checkGradInput(input);
  const result = lpPool2d(input, normType, kernelSize, options); // argument checks
  checkGradShape(gradOutput, result.shape);
  const avgOptions = { stride: options.stride ?? null, padding: 0, ceilMode: options.ceilMode ?? false };
  const powered = powScalar(input, normType);
  const pooled = avgPool2d(powered, kernelSize, avgOptions);
  const k = typeof kernelSize === "number" ? kernelSize * kernelSize : kernelSize[0] * kernelSize[1];
  const scaled = new Tensor(allocate(pooled.dtype, pooled.numel()), pooled.shape, pooled.dtype);
  for (let i = 0; i < pooled.numel(); i++) {
    const v = pooled.data[i];
    scaled.data[i] = (v > 0 ? 1 : v < 0 ? -1 : 0) * (Math.abs(v) > 0 ? Math.abs(v) : 0) * k;
  }
  const gradScaled = powBackward(gradOutput, scaled, 1 / normType); // through ^(1/p)
  const gradPooled = times(gradScaled, k); // through · k
  for (let i = 0; i < pooled.numel(); i++) {
    // through d = sign(out) · relu(|out|), one autograd step at a time (sign's gradient is 0):
    const v = pooled.data[i];
    const sign = v > 0 ? 1 : v < 0 ? -1 : 0; // torch.sign(NaN) = 0
    const relu = Number.isNaN(v) ? v : Math.abs(v); // relu(|out|)
    let g = gradPooled.data[i] * sign; // mul backward (the relu side)
    if (relu <= 0) g = 0; // relu backward zeroes only where its result <= 0: NaN passes
    gradPooled.data[i] = g * sign; // abs backward multiplies by sgn(out)
  }
  const gradPowered = avgPool2dBackward(gradPooled, powered, kernelSize, avgOptions);
  return powBackward(gradPowered, input, normType); // through x^p
}

/** Adaptive average: each output's gradient / window height / window width over its window. */
export function adaptiveAvgPool2dBackward(gradOutput: Tensor, input: Tensor, outputSize: OutputSize): Tensor {
  checkGradInput(input);
  checkIsTensor(input, "adaptive_avg_pool2d");
  const g = adaptiveGeometry("adaptive_avg_pool2d", input, outputSize);
  checkDType(input, "adaptive_avg_pool2d");
  checkGradShape(gradOutput, [...g.batchShape, g.outH, g.outW]);
  const grad = gradBuffer(input);
  const round = input.dtype === "float32" ? Math.fround : (x: number) => x;
  forEachAdaptiveWindow(g, (plane, out, h0, h1, w0, w1) => {
    const delta = round(round(gradOutput.data[out] / (h1 - h0)) / (w1 - w0));
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) grad.add((plane * g.inH + h) * g.inW + w, delta);
    }
  });
  return new Tensor(grad.data, input.shape, input.dtype);
}

/** Adaptive max: like max pooling, each gradient goes to its window's argmax. */
export function adaptiveMaxPool2dBackward(gradOutput: Tensor, input: Tensor, outputSize: OutputSize): Tensor {
  checkGradInput(input);
  const [output, indices] = adaptiveMaxPool2d(input, outputSize, { returnIndices: true });
  checkGradShape(gradOutput, output.shape);
  return scatterByIndices(gradOutput, indices, input);
}

/** Unpooling copied input i to output[index i], so input i's gradient is gradOutput[index i]. */
export function maxUnpool2dBackward(
  gradOutput: Tensor,
  input: Tensor,
  indices: Tensor,
  kernelSize: Pair,
  options: MaxUnpoolOptions = {},
): Tensor {
  checkGradInput(input);
  const output = maxUnpool2d(input, indices, kernelSize, options); // checks indices too
  checkGradShape(gradOutput, output.shape);
  const outPlane = output.shape[output.dim() - 1] * output.shape[output.dim() - 2];
  const inPlane = input.shape[input.dim() - 1] * input.shape[input.dim() - 2];
  const grad = allocate(input.dtype, input.numel());
  for (let i = 0; i < grad.length; i++) {
    grad[i] = gradOutput.data[Math.floor(i / inPlane) * outPlane + indices.data[i]];
  }
  return new Tensor(grad, input.shape, input.dtype);
}
