import { Tensor } from "../tensor/tensor";
import { isFloating } from "../tensor/dtype";
import { allocate } from "../tensor/storage";
import { formatShape } from "../tensor/shape";
import { Pair, PoolGeometry, checkDType, checkIsTensor, pool2dGeometry } from "./geometry";
import { MaxPoolOptions, maxPoolKernel } from "./max";
import { AvgPoolOptions, avgWindow, checkDivisor } from "./avg";
import { LpPoolOptions, lpPoolSteps, powScalar } from "./lp";
import { OutputSize, adaptiveGeometry, adaptiveMaxPool2d, forEachAdaptiveWindow } from "./adaptive";
import { MaxUnpoolOptions, checkUnpoolIndices, maxUnpoolGeometry } from "./unpool";
import { fastAvgPool2dBackward, fastMaxPool2dBackward } from "./fast";

/**
 * Backward passes: the gradient of the input given the gradient of the output, as PyTorch's
 * autograd computes it (same kernels, same order of float additions). Each takes the output
 * gradient first, then exactly the forward call's arguments. The forward's argument checks run
 * from the same geometry functions the forward uses (no forward is run just to check), then one
 * check of gradOutput's shape, as ATen's `max_pool2d_backward_shape_check`.
 */

/** Autograd works on floating tensors only; PyTorch refuses `requires_grad` on others. */
function checkGradInput(input: Tensor): void {
  checkIsTensor(input, "backward");
  if (!isFloating(input.dtype)) {
    throw new Error("only Tensors of floating point and complex dtype can require gradients");
  }
}

/** gradOutput must be a tensor shaped like the forward's output (autograd's message when not). */
function checkGradOutput(gradOutput: unknown, expected: readonly number[]): asserts gradOutput is Tensor {
  if (!(gradOutput instanceof Tensor)) throw new Error("gradOutput must be a Tensor shaped like the forward output");
  const shape = gradOutput.shape;
  if (shape.length !== expected.length || shape.some((size, d) => size !== expected[d])) {
    throw new Error(
      `Mismatch in shape: grad_output[0] has a shape of torch.Size(${formatShape(shape)}) and output[0] has a shape of torch.Size(${formatShape(expected)}).`,
    );
  }
}

const outputShape = (g: PoolGeometry): number[] => [...g.batchShape, g.outH, g.outW];

/** A float accumulator buffer that rounds each addition to the input's precision. */
function gradBuffer(input: Tensor): { data: Float32Array | Float64Array; add(i: number, v: number): void } {
  const data = allocate(input.dtype, input.numel()) as Float32Array | Float64Array;
  return { data, add: (i, v) => (data[i] += v) }; // typed-array store rounds float32
}

/**
 * Max pooling sends each output's gradient to the one input cell that was its maximum. float32
 * runs on the fast kernels (src/pooling/fast), which add the same float32 terms in the same order.
 */
export function maxPool2dBackward(gradOutput: Tensor, input: Tensor, kernelSize: Pair, options: MaxPoolOptions = {}): Tensor {
  checkGradInput(input);
  const g = pool2dGeometry("max_pool2d", input, kernelSize, options);
  checkGradOutput(gradOutput, outputShape(g));
  const fast = fastMaxPool2dBackward(gradOutput.data, input.data, g);
  if (fast) return new Tensor(fast, input.shape, input.dtype);
  // The reference: the forward's indices (PyTorch saves them; we recompute them), then scatter.
  const size = g.planes * g.outH * g.outW;
  const indices = new Tensor(allocate("int64", size), outputShape(g), "int64");
  maxPoolKernel(input.data, allocate(input.dtype, size), indices.data, g);
  return scatterByIndices(gradOutput, indices, input);
}

/** Shared by max and adaptive max: grad_input[plane, index] += grad_output. */
function scatterByIndices(gradOutput: Tensor, indices: Tensor, input: Tensor): Tensor {
  const grad = gradBuffer(input);
  const inPlane = input.shape[input.dim() - 1] * input.shape[input.dim() - 2];
  const outPlane = indices.shape[indices.dim() - 1] * indices.shape[indices.dim() - 2];
  const where = indices.data; // read once: a tensor's data is a getter
  const gradOut = gradOutput.data;
  for (let i = 0; i < where.length; i++) {
    const plane = Math.floor(i / outPlane);
    const index = where[i];
    if (index >= 0 && index < inPlane) grad.add(plane * inPlane + index, gradOut[i]);
  }
  return new Tensor(grad.data, input.shape, input.dtype);
}

/** Average pooling spreads each output's gradient / divisor over its (clipped) window. */
export function avgPool2dBackward(gradOutput: Tensor, input: Tensor, kernelSize: Pair, options: AvgPoolOptions = {}): Tensor {
  checkGradInput(input);
  // PyTorch checks the divisor after the argument forms but before the input's shape.
  const g = pool2dGeometry("avg_pool2d", input, kernelSize, options, () => checkDivisor(options));
  checkDType(input, "avg_pool2d", ["float32", "float64", "int64"]);
  checkGradOutput(gradOutput, outputShape(g));
  const fast = fastAvgPool2dBackward(gradOutput.data, input.data, g, options);
  if (fast) return new Tensor(fast, input.shape, input.dtype);
  const grad = gradBuffer(input);
  const round = input.dtype === "float32" ? Math.fround : (x: number) => x;
  const gradOut = gradOutput.data;
  for (let plane = 0; plane < g.planes; plane++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const win = avgWindow(g, oh, ow, options);
        const delta = round(gradOut[(plane * g.outH + oh) * g.outW + ow] / win.divisor);
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
  const as = a.data;
  const bs = typeof b === "number" ? null : b.data;
  for (let i = 0; i < out.length; i++) out[i] = as[i] * (bs === null ? (b as number) : bs[i]);
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
 * pow 1/p); autograd runs their backwards in reverse, from the values the forward saved, and so
 * do we, step by step (the forward's steps come from lpPoolSteps, the function lp_pool2d runs).
 */
export function lpPool2dBackward(
  gradOutput: Tensor,
  input: Tensor,
  normType: number,
  kernelSize: Pair,
  options: LpPoolOptions = {},
): Tensor {
  checkGradInput(input);
  const { powered, pooled, scaled, output, kernelArea, avgOptions } = lpPoolSteps(input, normType, kernelSize, options);
  checkGradOutput(gradOutput, output.shape);
  const gradScaled = powBackward(gradOutput, scaled, 1 / normType); // through ^(1/p)
  const gradPooled = times(gradScaled, kernelArea); // through · k
  const pooledValues = pooled.data;
  const grads = gradPooled.data;
  for (let i = 0; i < pooledValues.length; i++) {
    // through d = sign(out) · relu(|out|), one autograd step at a time (sign's gradient is 0):
    const v = pooledValues[i];
    const sign = v > 0 ? 1 : v < 0 ? -1 : 0; // torch.sign(NaN) = 0
    const relu = Number.isNaN(v) ? v : Math.abs(v); // relu(|out|)
    let g = grads[i] * sign; // mul backward (the relu side)
    if (relu <= 0) g = 0; // relu backward zeroes only where its result <= 0: NaN passes
    grads[i] = g * sign; // abs backward multiplies by sgn(out)
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
  checkGradOutput(gradOutput, [...g.batchShape, g.outH, g.outW]);
  const grad = gradBuffer(input);
  const round = input.dtype === "float32" ? Math.fround : (x: number) => x;
  const gradOut = gradOutput.data;
  forEachAdaptiveWindow(g, (plane, out, h0, h1, w0, w1) => {
    const delta = round(round(gradOut[out] / (h1 - h0)) / (w1 - w0));
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) grad.add((plane * g.inH + h) * g.inW + w, delta);
    }
  });
  return new Tensor(grad.data, input.shape, input.dtype);
}

/** Adaptive max: like max pooling, each gradient goes to its window's argmax (the forward gives it). */
export function adaptiveMaxPool2dBackward(gradOutput: Tensor, input: Tensor, outputSize: OutputSize): Tensor {
  checkGradInput(input);
  const [output, indices] = adaptiveMaxPool2d(input, outputSize, { returnIndices: true });
  checkGradOutput(gradOutput, output.shape);
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
  const { planes, batchShape, inH, inW, outH, outW } = maxUnpoolGeometry(input, indices, kernelSize, options);
  checkUnpoolIndices(indices.data, outH, outW);
  checkGradOutput(gradOutput, [...batchShape, outH, outW]);
  const inPlane = inH * inW;
  const grad = allocate(input.dtype, planes * inPlane);
  const gradOut = gradOutput.data;
  const where = indices.data;
  for (let i = 0; i < grad.length; i++) {
    grad[i] = gradOut[Math.floor(i / inPlane) * outH * outW + where[i]];
  }
  return new Tensor(grad, input.shape, input.dtype);
}
