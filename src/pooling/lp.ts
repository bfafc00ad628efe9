import { Tensor } from "../tensor/tensor";
import { Storage } from "../tensor/dtype";
import { allocate } from "../tensor/storage";
import { Pair, checkDType, checkIsTensor, toPair } from "./geometry";
import { avgPool2d } from "./avg";

export interface LpPoolOptions {
  stride?: Pair | null;
  ceilMode?: boolean;
}

/**
 * `x ** exponent` elementwise, the way PyTorch's CPU `pow(Tensor, Scalar)` computes it:
 * exponents 2 and 3 are plain multiplications in the tensor's precision, 0.5 is sqrt,
 * everything else is pow with the exponent rounded to the tensor's precision.
 */
export function powScalar(x: Tensor, exponent: number): Tensor {
  const round = x.dtype === "float32" ? Math.fround : (v: number) => v;
  const e = round(exponent);
  const f: (b: number) => number =
    exponent === 2 ? (b) => b * b
    : exponent === 3 ? (b) => round(b * b) * b
    : exponent === 0.5 ? Math.sqrt
    : exponent === -0.5 ? (b) => 1 / round(Math.sqrt(b))
    : exponent === -1 ? (b) => 1 / b
    : exponent === -2 ? (b) => 1 / round(b * b)
    : (b) => Math.pow(b, e);
  const out = allocate(x.dtype, x.numel());
  const xs = x.data; // read once: a tensor's data is a getter
  for (let i = 0; i < out.length; i++) out[i] = f(xs[i]);
  return new Tensor(out, x.shape, x.dtype);
}

/** `sign(t) * relu(abs(t)) * k`: PyTorch's guard against tiny negative averages, then the scale. */
function signReluAbsScaled(t: Tensor, k: number): Tensor {
  const out: Storage = allocate(t.dtype, t.numel());
  const ts = t.data;
  for (let i = 0; i < out.length; i++) {
    const v = ts[i];
    const sign = v > 0 ? 1 : v < 0 ? -1 : 0; // torch.sign(NaN) is 0
    const relu = Math.abs(v) > 0 ? Math.abs(v) : Number.isNaN(v) ? v : 0;
    out[i] = sign * relu * k; // sign * relu is exact (±|v| or 0), so one rounding as in PyTorch
  }
  return new Tensor(out, t.shape, t.dtype);
}

/** The steps of lp pooling's forward, which its backward (gradients.ts) goes back through. */
export interface LpPoolSteps {
  powered: Tensor; // x^p
  pooled: Tensor; // avg_pool2d(x^p)
  scaled: Tensor; // sign(pooled) · relu(|pooled|) · kh·kw
  output: Tensor; // scaled^(1/p)
  kernelArea: number;
  avgOptions: { stride: Pair | null; padding: 0; ceilMode: boolean };
}

/** lp_pool2d's checks and forward steps, in PyTorch's order (the forward and backward share them). */
export function lpPoolSteps(input: Tensor, normType: number, kernelSize: Pair, options: LpPoolOptions = {}): LpPoolSteps {
  checkIsTensor(input, "lp_pool2d");
  // PyTorch would pool int64 through integer avg_pool2d (odd results); we take floats only.
  checkDType(input, "lp_pool2d");
  if (typeof normType !== "number" || Number.isNaN(normType)) {
    throw new Error(`lp_pool2d: norm_type must be a number, got ${String(normType)}`);
  }
  const [kH, kW] = toPair(kernelSize, null, "lp_pool2d: kernel_size must either be a single int, or a tuple of two ints");
  const avgOptions = { stride: options.stride ?? null, padding: 0 as const, ceilMode: options.ceilMode ?? false };
  const powered = powScalar(input, normType);
  const pooled = avgPool2d(powered, kernelSize, avgOptions);
  const scaled = signReluAbsScaled(pooled, kH * kW);
  return { powered, pooled, scaled, output: powScalar(scaled, 1 / normType), kernelArea: kH * kW, avgOptions };
}

/**
 * `F.lp_pool2d`: the power-average (Σ x^p)^(1/p) over each window, computed exactly as PyTorch
 * does: `(avg_pool2d(x^p) · kh·kw)^(1/p)` with no padding. No abs is taken, so odd p with
 * negative inputs can give negative or NaN results — as in PyTorch.
 */
export function lpPool2d(input: Tensor, normType: number, kernelSize: Pair, options: LpPoolOptions = {}): Tensor {
  return lpPoolSteps(input, normType, kernelSize, options).output;
}
