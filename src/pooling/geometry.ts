import { Tensor } from "../tensor/tensor";
import { formatShape } from "../tensor/shape";
import { DType, scalarTypeName } from "../tensor/dtype";

/**
 * Pooling geometry in ONE place, for every pool: argument checks, output sizes, the planes.
 * It follows PyTorch's `aten/src/ATen/native/Pool.h` (`pooling_output_shape`,
 * `pool2d_shape_check`) check by check, so errors come in PyTorch's order and words.
 *
 * Padding is PER SIDE, as in PyTorch: padding 1 adds one row on top AND one at the bottom.
 * (d2l's cost formula in exercise 3 writes p_h for the total over both sides.)
 */

/** A size PyTorch takes as an int or a pair: `3` or `[2, 3]` (height, width). */
export type Pair = number | readonly [number, number];

export interface PoolOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Everything a 2-D pooling loop needs, resolved and checked. */
export interface PoolGeometry {
  planes: number; // batch × channels: each plane is pooled on its own
  batchShape: number[]; // [N, C] or [C]: the leading dims kept in the output
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
}

/** Read an int-or-pair argument; PyTorch's message when it has the wrong form. */
export function toPair(value: Pair | null | undefined, fallback: [number, number] | null, message: string): [number, number] {
  if (value === undefined || value === null) {
    if (fallback) return fallback;
    throw new Error(message);
  }
  const pair = typeof value === "number" ? [value, value] : [...value];
  if (pair.length === 1) pair.push(pair[0]);
  if (pair.length !== 2 || pair.some((v) => typeof v !== "number" || !Number.isInteger(v))) {
    throw new Error(`${message} (got ${JSON.stringify(value)})`);
  }
  return pair as [number, number];
}

/** Integer division rounding toward −∞, as ATen's `div_rtn`. */
function divRtn(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * PyTorch's `pooling_output_shape`: floor((in + 2p − d(k−1) − 1 [+ s−1 if ceil]) / s) + 1,
 * and in ceil mode the last window must start inside the input or the left padding.
 */
export function poolingOutputSize(
  inputSize: number,
  kernel: number,
  pad: number,
  stride: number,
  dilation: number,
  ceilMode: boolean,
): number {
  if (stride === 0) throw new Error("stride should not be zero");
  if (pad < 0) throw new Error(`pad must be non-negative, but got pad: ${pad}`);
  // C++ integer division truncates toward zero.
  if (pad > Math.trunc(((kernel - 1) * dilation + 1) / 2)) {
    throw new Error(
      `pad should be at most half of effective kernel size, but got pad=${pad}, kernel_size=${kernel} and dilation=${dilation}`,
    );
  }
  let size = divRtn(inputSize + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0), stride) + 1;
  if (ceilMode && (size - 1) * stride >= inputSize + pad) size--;
  return size;
}

/** PyTorch's `pool2d_shape_check`: the checks every max/avg pool makes once sizes are known. */
function shapeCheck(input: Tensor, g: PoolGeometry): void {
  const { kH, kW, sH, sW, dH, dW, pH, pW } = g;
  if (!(kW > 0 && kH > 0)) {
    throw new Error(`kernel size should be greater than zero, but got kH: ${kH} kW: ${kW}`);
  }
  if (!(sW > 0 && sH > 0)) throw new Error(`stride should be greater than zero, but got dH: ${sH} dW: ${sW}`);
  if (!(dH > 0 && dW > 0)) {
    throw new Error(`dilation should be greater than zero, but got dilationH: ${dH} dilationW: ${dW}`);
  }
  const s = input.shape;
  const validDims = s[1] !== 0 && s[2] !== 0;
  if (!((s.length === 3 && s[0] !== 0 && validDims) || (s.length === 4 && validDims && s[3] !== 0))) {
    throw new Error(
      `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(s)}`,
    );
  }
  // Half the kernel itself, not the dilated one: poolingOutputSize already allowed padding up to
  // half the dilated kernel, and PyTorch 2.13 still refuses here what lies between the two
  // (max_pool2d(x, 3, stride=1, padding=2, dilation=2) raises; test/fixtures sweep the grid).
  if (!(Math.trunc(kW / 2) >= pW && Math.trunc(kH / 2) >= pH)) {
    throw new Error(
      `pad should be smaller than or equal to half of kernel size, but got padW = ${pW}, padH = ${pH}, kW = ${kW}, kH = ${kH}`,
    );
  }
  if (!(g.outW >= 1 && g.outH >= 1)) {
    const c = s[s.length - 3];
    throw new Error(
      `Given input size: (${c}x${g.inH}x${g.inW}). Calculated output size: (${c}x${g.outH}x${g.outW}). Output size is too small`,
    );
  }
}

export const FLOATING: readonly DType[] = ["float32", "float64"];

/** A clear error when the input is not a Tensor at all (e.g. a nested array). */
export function checkIsTensor(input: unknown, opName: string): asserts input is Tensor {
  if (!(input instanceof Tensor)) {
    const got = Array.isArray(input) ? "an array (wrap it: torch.tensor(...))" : typeof input;
    throw new Error(`${opName}(): argument 'input' must be a Tensor, not ${got}`);
  }
}

/**
 * The dtypes an op's CPU kernel is compiled for. PyTorch dispatches on dtype AFTER its shape
 * checks, so call this once the geometry is known, to report errors in PyTorch's order.
 */
export function checkDType(input: Tensor, opName: string, allowed: readonly DType[] = FLOATING): void {
  if (!allowed.includes(input.dtype)) {
    throw new Error(`"${opName}" not implemented for '${scalarTypeName(input.dtype)}'`);
  }
}

/** Split an input of shape (N, C, H, W) or (C, H, W) into planes of H × W. */
export function planesOf(input: Tensor): { planes: number; batchShape: number[]; inH: number; inW: number } {
  const s = input.shape;
  const batchShape = s.slice(0, -2);
  return {
    planes: batchShape.reduce((p, v) => p * v, 1),
    batchShape,
    inH: s[s.length - 2],
    inW: s[s.length - 1],
  };
}

/**
 * Geometry of max_pool2d / avg_pool2d (also used by lp_pool2d, through avg_pool2d), with
 * PyTorch's checks in PyTorch's order.
 */
export function pool2dGeometry(
  opName: "max_pool2d" | "avg_pool2d",
  input: Tensor,
  kernelSize: Pair,
  options: PoolOptions,
  checkBeforeShape: () => void = () => {},
): PoolGeometry {
  const [kH, kW] = toPair(kernelSize, null, `${opName}: kernel_size must either be a single int, or a tuple of two ints`);
  const [sH, sW] = toPair(options.stride, [kH, kW], `${opName}: stride must either be omitted, a single int, or a tuple of two ints`);
  const [pH, pW] = toPair(options.padding, [0, 0], `${opName}: padding must either be a single int, or a tuple of two ints`);
  const [dH, dW] =
    opName === "max_pool2d"
      ? toPair(options.dilation, [1, 1], "max_pool2d: dilation must be either a single int, or a tuple of two ints")
      : [1, 1];
  const ceilMode = options.ceilMode ?? false;
  checkBeforeShape();
  if (opName === "max_pool2d" && input.dim() !== 3 && input.dim() !== 4) {
    throw new Error("non-empty 3D or 4D (batch mode) tensor expected for input");
  }
  if (input.dim() < 3) {
    // avg_pool2d reads size(-3) before any rank check, so PyTorch reports this.
    throw new Error(`Dimension out of range (expected to be in range of [${-input.dim()}, ${input.dim() - 1}], but got -3)`);
  }
  const { planes, batchShape, inH, inW } = planesOf(input);
  const outH = poolingOutputSize(inH, kH, pH, sH, dH, ceilMode);
  const outW = poolingOutputSize(inW, kW, pW, sW, dW, ceilMode);
  const geometry = { planes, batchShape, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, dH, dW };
  shapeCheck(input, geometry);
  return geometry;
}
