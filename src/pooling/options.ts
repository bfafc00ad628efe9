import type { MaxPoolOptions } from "./max";
import type { AvgPoolOptions } from "./avg";
import type { LpPoolOptions } from "./lp";
import type { MaxUnpoolOptions } from "./unpool";
import type { Conv2dOptions } from "../conv";

/**
 * An options object is read like Python's keyword arguments: a key the op does not take throws
 * PyTorch's TypeError instead of being ignored. `nn.MaxPool2d(2, { strid: 1 })` would otherwise
 * pool with stride 2 without a word; PyTorch says
 *   TypeError: _MaxPoolNd.__init__() got an unexpected keyword argument 'strid'
 * (test/fixtures/pool-errors.json "unknownOption" holds PyTorch's message for each op).
 *
 * Each op's keys are listed ONCE, here. `keysOf<T>({...})` must name every key of the options
 * type T and nothing else, so the compiler keeps a list in step with its interface.
 */
type AllKeys<T> = { readonly [K in keyof Required<T>]: true };
const keysOf = <T>(record: AllKeys<T>): readonly string[] => Object.freeze(Object.keys(record));

export interface AdaptiveMaxPoolOptions {
  returnIndices?: boolean;
}

/** The options of every op and layer that takes an options object. */
export const OPTION_KEYS = Object.freeze({
  maxPool2d: keysOf<MaxPoolOptions>({ stride: true, padding: true, dilation: true, ceilMode: true, returnIndices: true }),
  avgPool2d: keysOf<AvgPoolOptions>({ stride: true, padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true }),
  lpPool2d: keysOf<LpPoolOptions>({ stride: true, ceilMode: true }),
  adaptiveAvgPool2d: Object.freeze([]) as readonly string[], // PyTorch's takes output_size only
  adaptiveMaxPool2d: keysOf<AdaptiveMaxPoolOptions>({ returnIndices: true }),
  maxUnpool2d: keysOf<MaxUnpoolOptions>({ stride: true, padding: true, outputSize: true }),
  /** nn.MaxUnpool2d: output_size belongs to the call, not to the layer. */
  MaxUnpool2d: keysOf<Omit<MaxUnpoolOptions, "outputSize">>({ stride: true, padding: true }),
  conv2d: keysOf<Conv2dOptions>({ bias: true, stride: true, padding: true }),
});

const camelCase = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Throws a TypeError worded as PyTorch's for an options argument that is not an object, or that
 * has a key outside `allowed`. `callee` is the name PyTorch's message gives: "_max_pool2d()",
 * "_MaxPoolNd.__init__()". A key written in Python's snake_case gets a hint with its name here.
 */
export function checkOptions(options: unknown, allowed: readonly string[], callee: string): void {
  if (options === undefined || options === null) return;
  if (!isPlainObject(options)) {
    const shown =
      typeof options === "string" ? `"${options}"`
      : Array.isArray(options) ? JSON.stringify(options)
      : typeof options === "object" ? `a ${options.constructor?.name ?? "object"}`
      : String(options);
    throw new TypeError(
      `${callee} takes its options as one object, such as { stride: 1, padding: 0 }, not ${shown}. ` +
        `(PyTorch's positional arguments after kernel_size are named options here: ${allowed.join(", ") || "none"}.)`,
    );
  }
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const spelled = camelCase(key);
    const hint = spelled !== key && allowed.includes(spelled) ? ` (it is spelled ${spelled} here: options are camelCase)` : "";
    throw new TypeError(`${callee} got an unexpected keyword argument '${key}'${hint}`);
  }
}

/** `{ ... }` (from this realm or another, e.g. a vm context), not an array, tensor or other instance. */
function isPlainObject(value: object | unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
