import { inspect } from "node:util";
import { Tensor } from "./tensor/tensor";
import { Pair } from "./pooling/geometry";
import { MaxPoolOptions, maxPool2d } from "./pooling/max";
import { AvgPoolOptions, avgPool2d } from "./pooling/avg";
import { LpPoolOptions, lpPool2d } from "./pooling/lp";
import { OutputSize, adaptiveAvgPool2d, adaptiveMaxPool2d } from "./pooling/adaptive";
import { MaxUnpoolOptions, maxUnpool2d } from "./pooling/unpool";
import { AdaptiveMaxPoolOptions, OPTION_KEYS, checkOptions } from "./pooling/options";
import { F } from "./functional";

/**
 * Pooling layers, used like PyTorch modules: `const pool = nn.MaxPool2d(3, { padding: 1, stride: 2 });
 * pool(X)`. A layer is a function with a `forward` method, and prints as PyTorch prints the module.
 * An option the layer does not take throws when the layer is made, as PyTorch's constructor does
 * (the name in the message is the class whose __init__ takes the arguments, e.g. _MaxPoolNd).
 */

export type Layer<Args extends unknown[], Result> = ((...args: Args) => Result) & {
  forward: (...args: Args) => Result;
  readonly config: Record<string, unknown>;
};

/** Python's repr of an argument value: 3, (2, 3), None, True. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `(${value.map(pythonRepr).join(", ")}${value.length === 1 ? "," : ""})`;
  return String(value);
}

function makeLayer<Args extends unknown[], Result>(
  name: string,
  config: Record<string, unknown>,
  shownKeys: readonly string[],
  forward: (...args: Args) => Result,
): Layer<Args, Result> {
  const layer = ((...args: Args) => forward(...args)) as Layer<Args, Result>;
  const text = `${name}(${shownKeys.map((key) => `${key}=${pythonRepr(config[key])}`).join(", ")})`;
  Object.defineProperties(layer, {
    forward: { value: forward },
    config: { value: Object.freeze({ ...config }) },
    toString: { value: () => text },
    [inspect.custom]: { value: () => text },
  });
  return layer;
}

const asPair = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

export function MaxPool2d(kernelSize: Pair, options: MaxPoolOptions = {}): Layer<[Tensor], Tensor | [Tensor, Tensor]> {
  checkOptions(options, OPTION_KEYS.maxPool2d, "_MaxPoolNd.__init__()");
  const config = {
    kernel_size: kernelSize,
    stride: options.stride ?? kernelSize,
    padding: options.padding ?? 0,
    dilation: options.dilation ?? 1,
    ceil_mode: options.ceilMode ?? false,
  };
  return makeLayer("MaxPool2d", config, ["kernel_size", "stride", "padding", "dilation", "ceil_mode"], (x: Tensor) =>
    maxPool2d(x, kernelSize, options),
  ) as Layer<[Tensor], Tensor>;
}

export function AvgPool2d(kernelSize: Pair, options: AvgPoolOptions = {}): Layer<[Tensor], Tensor> {
  checkOptions(options, OPTION_KEYS.avgPool2d, "AvgPool2d.__init__()");
  const config = {
    kernel_size: kernelSize,
    stride: options.stride ?? kernelSize,
    padding: options.padding ?? 0,
    ceil_mode: options.ceilMode ?? false,
    count_include_pad: options.countIncludePad ?? true,
    divisor_override: options.divisorOverride ?? null,
  };
  return makeLayer("AvgPool2d", config, ["kernel_size", "stride", "padding"], (x: Tensor) => avgPool2d(x, kernelSize, options));
}

export function LPPool2d(normType: number, kernelSize: Pair, options: LpPoolOptions = {}): Layer<[Tensor], Tensor> {
  checkOptions(options, OPTION_KEYS.lpPool2d, "_LPPoolNd.__init__()");
  const config = { norm_type: normType, kernel_size: kernelSize, stride: options.stride ?? null, ceil_mode: options.ceilMode ?? false };
  return makeLayer("LPPool2d", config, ["norm_type", "kernel_size", "stride", "ceil_mode"], (x: Tensor) =>
    lpPool2d(x, normType, kernelSize, options),
  );
}

/** Takes no options; the second argument exists so that a stray one is refused, as PyTorch does. */
export function AdaptiveAvgPool2d(outputSize: OutputSize, options: Record<string, never> = {}): Layer<[Tensor], Tensor> {
  checkOptions(options, OPTION_KEYS.adaptiveAvgPool2d, "_AdaptiveAvgPoolNd.__init__()");
  return makeLayer("AdaptiveAvgPool2d", { output_size: outputSize }, ["output_size"], (x: Tensor) =>
    adaptiveAvgPool2d(x, outputSize),
  );
}

export function AdaptiveMaxPool2d(outputSize: OutputSize, options: AdaptiveMaxPoolOptions = {}): Layer<[Tensor], Tensor> {
  checkOptions(options, OPTION_KEYS.adaptiveMaxPool2d, "_AdaptiveMaxPoolNd.__init__()");
  const config = { output_size: outputSize, return_indices: options.returnIndices ?? false };
  return makeLayer("AdaptiveMaxPool2d", config, ["output_size"], (x: Tensor) => adaptiveMaxPool2d(x, outputSize, options));
}

export function MaxUnpool2d(
  kernelSize: Pair,
  options: Omit<MaxUnpoolOptions, "outputSize"> = {},
): Layer<[Tensor, Tensor, (readonly number[] | null)?], Tensor> {
  checkOptions(options, OPTION_KEYS.MaxUnpool2d, "MaxUnpool2d.__init__()");
  // PyTorch's _MaxUnpoolNd stores _pair(...) of each argument, so the repr always shows pairs.
  const kernel = asPair(kernelSize);
  const config = { kernel_size: kernel, stride: asPair(options.stride ?? kernelSize), padding: asPair(options.padding ?? 0) };
  return makeLayer("MaxUnpool2d", config, ["kernel_size", "stride", "padding"], (x: Tensor, indices: Tensor, outputSize?: readonly number[] | null) =>
    maxUnpool2d(x, indices, kernelSize, { ...options, outputSize }),
  );
}

/** `nn.functional` is the same object as `F`, as in PyTorch. */
export const functional = F;
