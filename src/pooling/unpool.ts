import { Tensor } from "../tensor/tensor";
import { scalarTypeName } from "../tensor/dtype";
import { allocate } from "../tensor/storage";
import { formatShape } from "../tensor/shape";
import { Pair, checkDType, checkIsTensor, planesOf, toPair } from "./geometry";

export interface MaxUnpoolOptions {
  stride?: Pair | null;
  padding?: Pair;
  /** `[H, W]`, or the full output shape (its last two entries are used), as PyTorch accepts. */
  outputSize?: readonly number[] | null;
}

/**
 * The output size, as PyTorch's `_unpool_output_size`: by default (in − 1)·s − 2p + k, the
 * size max pooling came from; an explicit size must lie strictly within one stride of it.
 */
export function unpoolOutputSize(
  input: Tensor,
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
  outputSize: readonly number[] | null | undefined,
): [number, number] {
  const inSize = input.shape.slice(-2);
  const defaults = [0, 1].map((d) => (inSize[d] - 1) * stride[d] + kernel[d] - 2 * padding[d]);
  if (outputSize === null || outputSize === undefined) return defaults as [number, number];
  let size = [...outputSize];
  if (size.length === 4) size = size.slice(2);
  if (size.length !== 2) {
    throw new Error(
      `output_size should be a sequence containing 2 or 4 elements, but it has a length of '${outputSize.length}'`,
    );
  }
  for (let d = 0; d < 2; d++) {
    const min = defaults[d] - stride[d];
    const max = defaults[d] + stride[d];
    if (!(min < size[d] && size[d] < max)) {
      throw new Error(`invalid output_size "${formatShape(size)}" (dim ${d} must be between ${min} and ${max})`);
    }
  }
  return size as [number, number];
}

/**
 * The unpool kernel: a zero output, then each input value written at its index. When two
 * inputs share an index the later one (row-major) wins, as PyTorch's sequential CPU loop.
 */
export function maxUnpoolKernel(
  input: ArrayLike<number>,
  indices: ArrayLike<number>,
  output: { [i: number]: number },
  planes: number,
  inPlaneSize: number,
  outH: number,
  outW: number,
): void {
  checkUnpoolIndices(indices, outH, outW);
  for (let plane = 0; plane < planes; plane++) {
    for (let i = 0; i < inPlaneSize; i++) {
      output[plane * outH * outW + indices[plane * inPlaneSize + i]] = input[plane * inPlaneSize + i];
    }
  }
}

/** Every index must fall inside its output plane; PyTorch's loop reports the last one that does not. */
export function checkUnpoolIndices(indices: ArrayLike<number>, outH: number, outW: number): void {
  for (let i = indices.length - 1; i >= 0; i--) {
    const at = indices[i];
    if (at < 0 || at >= outH * outW) {
      throw new Error(`Found an invalid max index: ${at} (output volumes are of size ${outH}x${outW})`);
    }
  }
}

/** The checks of PyTorch's `max_unpooling2d_forward_out_cpu`, in its order. */
function checkUnpoolInputs(input: Tensor, indices: Tensor): void {
  if (!(indices instanceof Tensor)) throw new Error("max_unpool2d: indices must be a Tensor (the indices max_pool2d returned)");
  if (indices.dtype !== "int64") {
    throw new Error(`elements in indices should be type int64 but got: ${scalarTypeName(indices.dtype)}`);
  }
  if (input.dim() !== 3 && input.dim() !== 4) {
    throw new Error(`Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ${input.dim()} dimensions.`);
  }
  if (formatShape(input.shape) !== formatShape(indices.shape)) {
    throw new Error(
      `Expected shape of indices to be same as that of the input tensor (${formatShape(input.shape)}) but got indices tensor with shape: ${formatShape(indices.shape)}`,
    );
  }
  for (let i = 1; i < input.dim(); i++) {
    if (input.shape[i] <= 0) {
      throw new Error(
        `max_unpooling2d_forward_out_cpu(): Expected input to have non-zero size for non-batch dimensions, but got ${formatShape(input.shape)} with dimension ${i} being empty.`,
      );
    }
  }
}

/** Resolve kernel/stride/padding/output size the way `F.max_unpool2d` does. */
export function unpoolGeometry(input: Tensor, kernelSize: Pair, options: MaxUnpoolOptions): [number, number] {
  const kernel = toPair(kernelSize, null, "max_unpool2d: kernel_size must be a single int or a tuple of two ints");
  const stride = toPair(options.stride, kernel, "max_unpool2d: stride must be a single int or a tuple of two ints");
  const padding = toPair(options.padding, [0, 0], "max_unpool2d: padding must be a single int or a tuple of two ints");
  if (input.dim() < 2) {
    throw new Error(`Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with ${input.dim()} dimensions.`);
  }
  return unpoolOutputSize(input, kernel, stride, padding, options.outputSize);
}

/** F.max_unpool2d's checks in PyTorch's order (the forward and backward share them), and its sizes. */
export function maxUnpoolGeometry(
  input: Tensor,
  indices: Tensor,
  kernelSize: Pair,
  options: MaxUnpoolOptions,
): { planes: number; batchShape: number[]; inH: number; inW: number; outH: number; outW: number } {
  checkIsTensor(input, "max_unpool2d");
  const [outH, outW] = unpoolGeometry(input, kernelSize, options);
  checkUnpoolInputs(input, indices);
  checkDType(input, "max_unpool2d");
  return { ...planesOf(input), outH, outW };
}

/** `F.max_unpool2d`: put each pooled value back where `indices` says; zeros elsewhere. */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: Pair, options: MaxUnpoolOptions = {}): Tensor {
  const { planes, batchShape, inH, inW, outH, outW } = maxUnpoolGeometry(input, indices, kernelSize, options);
  const output = allocate(input.dtype, planes * outH * outW);
  maxUnpoolKernel(input.data, indices.data, output, planes, inH * inW, outH, outW);
  return new Tensor(output, [...batchShape, outH, outW], input.dtype);
}
