import { maxPool2d, maxPool2dWithIndices } from "./pooling/max";
import { avgPool2d } from "./pooling/avg";
import { lpPool2d } from "./pooling/lp";
import { adaptiveAvgPool2d, adaptiveMaxPool2d } from "./pooling/adaptive";
import { maxUnpool2d } from "./pooling/unpool";
import {
  adaptiveAvgPool2dBackward,
  adaptiveMaxPool2dBackward,
  avgPool2dBackward,
  lpPool2dBackward,
  maxPool2dBackward,
  maxUnpool2dBackward,
} from "./pooling/gradients";
import { OPTION_KEYS, checkOptions } from "./pooling/options";
import { conv2d } from "./conv";
import { Tensor } from "./tensor/tensor";

/**
 * `fn` with its options argument (argument number `at`) checked first: an unknown key throws
 * PyTorch's TypeError (src/pooling/options.ts). `callee` names the function PyTorch's message
 * names, which for max pooling depends on returnIndices (PyTorch dispatches on it).
 */
function withOptions<Fn extends (...args: any[]) => unknown>(
  fn: Fn,
  at: number,
  allowed: readonly string[],
  callee: string | ((options: any) => string),
): Fn {
  const checked = (...args: unknown[]) => {
    const options = args[at];
    checkOptions(options, allowed, typeof callee === "string" ? callee : callee(options ?? {}));
    return fn(...args);
  };
  Object.defineProperty(checked, "name", { value: fn.name });
  return checked as Fn;
}

const withIndices = (name: string, withoutName: string) => (options: { returnIndices?: unknown }) =>
  options.returnIndices === true ? name : withoutName;

/** `torch.nn.functional`, camelCased: `F.maxPool2d(x, 3, { stride: 2, padding: 1 })`. */
export const F = Object.freeze({
  maxPool2d: withOptions(maxPool2d, 2, OPTION_KEYS.maxPool2d, withIndices("max_pool2d_with_indices()", "_max_pool2d()")),
  maxPool2dWithIndices: withOptions(maxPool2dWithIndices, 2, OPTION_KEYS.maxPool2d, "max_pool2d_with_indices()"),
  avgPool2d: withOptions(avgPool2d, 2, OPTION_KEYS.avgPool2d, "avg_pool2d()"),
  lpPool2d: withOptions(lpPool2d, 3, OPTION_KEYS.lpPool2d, "lp_pool2d()"),
  adaptiveAvgPool2d: withOptions(adaptiveAvgPool2d, 2, OPTION_KEYS.adaptiveAvgPool2d, "adaptive_avg_pool2d()"),
  adaptiveMaxPool2d: withOptions(
    adaptiveMaxPool2d,
    2,
    OPTION_KEYS.adaptiveMaxPool2d,
    withIndices("adaptive_max_pool2d_with_indices()", "_adaptive_max_pool2d()"),
  ),
  maxUnpool2d: withOptions(maxUnpool2d, 3, OPTION_KEYS.maxUnpool2d, "max_unpool2d()"),
  // The gradients (PyTorch computes them with autograd; these are ours) take the forward's options.
  maxPool2dBackward: withOptions(maxPool2dBackward, 3, OPTION_KEYS.maxPool2d, "max_pool2d_backward()"),
  avgPool2dBackward: withOptions(avgPool2dBackward, 3, OPTION_KEYS.avgPool2d, "avg_pool2d_backward()"),
  lpPool2dBackward: withOptions(lpPool2dBackward, 4, OPTION_KEYS.lpPool2d, "lp_pool2d_backward()"),
  adaptiveAvgPool2dBackward,
  adaptiveMaxPool2dBackward,
  maxUnpool2dBackward: withOptions(maxUnpool2dBackward, 4, OPTION_KEYS.maxUnpool2d, "max_unpool2d_backward()"),
  conv2d: withOptions(conv2d, 2, OPTION_KEYS.conv2d, "conv2d()"),
  relu: (x: Tensor) => x.relu(),
});
