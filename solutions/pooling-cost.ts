/**
 * Reference solution — 练习 3 / Exercise 4: the computational cost of a pooling layer.
 */

/** This course's convention, 6.3's output shape (padding TOTAL, both sides together) × k_h·k_w: c·k_h·k_w·⌊(h−k_h+p_h+s_h)/s_h⌋·⌊(w−k_w+p_w+s_w)/s_w⌋. */
export function d2lPoolingCost(
  c: number,
  h: number,
  w: number,
  kernel: readonly [number, number],
  paddingTotal: readonly [number, number],
  stride: readonly [number, number],
): number {
  const [kh, kw] = kernel;
  const [ph, pw] = paddingTotal;
  const [sh, sw] = stride;
  return c * kh * kw * Math.floor((h - kh + ph + sh) / sh) * Math.floor((w - kw + pw + sw) / sw);
}

/** Input cells inside one dimension's windows, summed over the windows (padding PER SIDE). */
function cellsAlong(n: number, k: number, p: number, s: number): number {
  const out = Math.floor((n + 2 * p - k) / s) + 1;
  let total = 0;
  for (let i = 0; i < out; i++) {
    const start = i * s - p;
    total += Math.max(0, Math.min(start + k, n) - Math.max(start, 0));
  }
  return total;
}

/** Elements read by PyTorch's max/avg pooling, padding PER SIDE: window cells inside the input. */
export function poolingReads(
  c: number,
  h: number,
  w: number,
  kernel: readonly [number, number],
  padding: readonly [number, number],
  stride: readonly [number, number],
): number {
  // A window's cells inside the input form a rectangle: (rows inside) × (columns inside).
  return c * cellsAlong(h, kernel[0], padding[0], stride[0]) * cellsAlong(w, kernel[1], padding[1], stride[1]);
}
