/**
 * d2l-pooling — the shared module of the Pooling chapter (d2l.ai 6.5, 汇聚层).
 *
 *   import { torch, nn, F, pool2d } from "d2l-pooling";
 *   const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
 *   nn.MaxPool2d(3, { padding: 1, stride: 2 })(X);   // tensor([[[[ 5.,  7.], [13., 15.]]]])
 */
import * as nnLayers from "./nn";

export { torch } from "./torch";
export { F } from "./functional";
export const nn = Object.freeze({ ...nnLayers });
export { pool2d } from "./pooling/pool2d";
export { corr2d, corr2dMultiIn, corr2dMultiInOut, conv2d } from "./conv";
export { Tensor } from "./tensor/tensor";
export type { NestedList, Operand } from "./tensor/tensor";
export type { DType } from "./tensor/dtype";
export type { Index } from "./tensor/indexing";
export type { Pair, PoolOptions } from "./pooling/geometry";
export type { MaxPoolOptions } from "./pooling/max";
export type { AvgPoolOptions } from "./pooling/avg";
export type { LpPoolOptions } from "./pooling/lp";
export type { OutputSize } from "./pooling/adaptive";
export type { MaxUnpoolOptions } from "./pooling/unpool";
export type { Layer } from "./nn";
