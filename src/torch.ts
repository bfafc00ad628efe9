import { Tensor } from "./tensor/tensor";
import { arange, cat, full, ones, onesLike, rand, randn, stack, tensor, zeros, zerosLike } from "./tensor/creation";
import { manualSeed } from "./tensor/random";
import { Operand } from "./tensor/tensor";

/**
 * The `torch` namespace: tensor creation and a few functions, named as in PyTorch
 * (camelCase where Python uses snake_case: `torch.manualSeed`). Dtypes are strings;
 * `torch.float32` is just `"float32"`, so `{ dtype: torch.float32 }` reads like PyTorch.
 */
export const torch = Object.freeze({
  Tensor,
  tensor,
  arange,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  rand,
  randn,
  manualSeed,
  cat,
  stack,
  float32: "float32" as const,
  float64: "float64" as const,
  int64: "int64" as const,
  long: "int64" as const,
  bool: "bool" as const,
  isTensor: (x: unknown): x is Tensor => x instanceof Tensor,
  maximum: (a: Tensor, b: Tensor) => a.maximum(b),
  minimum: (a: Tensor, b: Tensor) => a.minimum(b),
  exp: (x: Tensor) => x.exp(),
  abs: (x: Tensor) => x.abs(),
  relu: (x: Tensor) => x.relu(),
  add: (a: Tensor, b: Operand) => a.add(b),
  mul: (a: Tensor, b: Operand) => a.mul(b),
});
