// Small SIMD helpers every kernel file shares (asm/pool.ts lists the kernels).

export const NEG_INF: f32 = -Infinity;

@inline export function ceil4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** The reference's step with NaN: take v when it is larger or NaN (a NaN stays until a later NaN). */
@inline export function maxNaN(acc: v128, v: v128): v128 {
  return v128.bitselect(v, acc, v128.or(f32x4.gt(v, acc), f32x4.ne(v, v)));
}
@inline export function takeMask(acc: v128, v: v128, exact: bool): v128 {
  const gt = f32x4.gt(v, acc);
  return exact ? v128.or(gt, f32x4.ne(v, v)) : gt;
}
/** A NaN among the values added into `sum` makes the sum NaN (so may ±Infinity: harmless). */
@inline export function sumIsNaN(sum: v128): bool {
  return v128.any_true(f32x4.ne(sum, sum));
}

/**
 * Write 4 lanes of a float row at `dst + o`, or only the lanes below `count` (the row's end:
 * the next plane, maybe another thread's, starts right after).
 */
@inline export function storeF32(dst: usize, o: i32, count: i32, v: v128): void {
  if (o + 4 <= count) v128.store(dst + (o << 2), v);
  else {
    store<f32>(dst + (o << 2), f32x4.extract_lane(v, 0));
    if (o + 1 < count) store<f32>(dst + ((o + 1) << 2), f32x4.extract_lane(v, 1));
    if (o + 2 < count) store<f32>(dst + ((o + 2) << 2), f32x4.extract_lane(v, 2));
  }
}
/** Indices go out as float64 (int64 tensors store exact integers in a Float64Array), or int32. */
@inline export function storeIndex(dst: usize, o: i32, count: i32, v: v128, asF64: bool): void {
  if (asF64) {
    if (o + 4 <= count) {
      v128.store(dst + (o << 3), f64x2.convert_low_i32x4_s(v));
      v128.store(dst + (o << 3) + 16, f64x2.convert_low_i32x4_s(v128.shuffle<i32>(v, v, 2, 3, 0, 1)));
    } else {
      store<f64>(dst + (o << 3), <f64>i32x4.extract_lane(v, 0));
      if (o + 1 < count) store<f64>(dst + ((o + 1) << 3), <f64>i32x4.extract_lane(v, 1));
      if (o + 2 < count) store<f64>(dst + ((o + 2) << 3), <f64>i32x4.extract_lane(v, 2));
    }
  } else {
    if (o + 4 <= count) v128.store(dst + (o << 2), v);
    else {
      store<i32>(dst + (o << 2), i32x4.extract_lane(v, 0));
      if (o + 1 < count) store<i32>(dst + ((o + 1) << 2), i32x4.extract_lane(v, 1));
      if (o + 2 < count) store<i32>(dst + ((o + 2) << 2), i32x4.extract_lane(v, 2));
    }
  }
}

/**
 * The 3×3 window sum of four outputs at byte offset `at` of rows a, b, c (taps at +0, +4, +8
 * bytes), in the reference's order: row by row, left to right. It starts from the first cell
 * rather than 0 + it: that changes only the sign of an all-zero sum, and callers add +0 last.
 */
@inline export function sum3x3(a: usize, b: usize, c: usize, at: usize): v128 {
  let sum = v128.load(a + at);
  sum = f32x4.add(sum, v128.load(a + at, 4));
  sum = f32x4.add(sum, v128.load(a + at, 8));
  sum = f32x4.add(sum, v128.load(b + at));
  sum = f32x4.add(sum, v128.load(b + at, 4));
  sum = f32x4.add(sum, v128.load(b + at, 8));
  sum = f32x4.add(sum, v128.load(c + at));
  sum = f32x4.add(sum, v128.load(c + at, 4));
  return f32x4.add(sum, v128.load(c + at, 8));
}
