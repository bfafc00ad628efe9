import { Tensor } from "../tensor/tensor";
import { zeros } from "../tensor/creation";

/**
 * The chapter's from-scratch pooling (d2l 6.5), kept naive on purpose: read it next to the
 * PyTorch version line by line.
 *
 *   def pool2d(X, pool_size, mode='max'):
 *       p_h, p_w = pool_size
 *       Y = torch.zeros((X.shape[0] - p_h + 1, X.shape[1] - p_w + 1))
 *       for i in range(Y.shape[0]):
 *           for j in range(Y.shape[1]):
 *               if mode == 'max':
 *                   Y[i, j] = X[i: i + p_h, j: j + p_w].max()
 *               elif mode == 'avg':
 *                   Y[i, j] = X[i: i + p_h, j: j + p_w].mean()
 *       return Y
 *
 * X is a 2-D tensor; no padding, stride 1. For everything else use `F.maxPool2d` / `F.avgPool2d`.
 */
export function pool2d(X: Tensor, poolSize: readonly [number, number], mode: "max" | "avg" = "max"): Tensor {
  if (mode !== "max" && mode !== "avg") throw new Error(`pool2d: mode must be 'max' or 'avg', got '${String(mode)}'`);
  const [pH, pW] = poolSize;
  const Y = zeros([X.shape[0] - pH + 1, X.shape[1] - pW + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      if (mode === "max") {
        Y.set([i, j], X.index([i, i + pH], [j, j + pW]).max());
      } else if (mode === "avg") {
        Y.set([i, j], X.index([i, i + pH], [j, j + pW]).mean());
      }
    }
  }
  return Y;
}
