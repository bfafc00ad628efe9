/**
 * d2l-pooling — the shared module of the Pooling chapter (d2l.ai 6.5, 汇聚层).
 *
 *   import { torch, nn, F, pool2d } from "d2l-pooling";
 *   const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
 *   nn.MaxPool2d(3, { padding: 1, stride: 2 })(X);   // tensor([[[[ 5.,  7.], [13., 15.]]]])
 */
import * as nnLayers from "./nn";

export { torch } from "./torch";
import { F } from "./functional";

export { F };
export const nn = Object.freeze({ ...nnLayers });
export { pool2d } from "./pooling/pool2d";
export { corr2d, corr2dMultiIn, corr2dMultiInOut } from "./conv";
/** The same function as `F.conv2d`, options checked. */
export const conv2d = F.conv2d;
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
export type { AdaptiveMaxPoolOptions } from "./pooling/options";
export type { Layer } from "./nn";
