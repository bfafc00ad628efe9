// Fast float32 pooling kernels in AssemblyScript, compiled by `npm run build` (asc, WebAssembly SIMD)
// to dist/pooling/fast/pool.wasm. The readable reference loops are src/pooling/{max,avg,adaptive,
// gradients}.ts; test/unit/fast-kernels.test.ts checks every kernel here against them.
//
// Why these are fast:
// - They read the tensors in place: every pointer is a byte offset into the shared memory that
//   holds big tensors (src/tensor/heap.ts), so nothing is copied in or out.
// - SIMD across output columns: four outputs of a row at once (f32x4).
// - Each input row is padded and split by the stride ONCE into a small buffer (`prepareRow`),
//   so every kernel tap becomes a contiguous 4-lane load, whatever the stride.
// - Max pooling is separable: a row's horizontal maxima are kept in a ring of kH rows and
//   reused by every output row whose window covers that row (k + k taps instead of k·k).
// - Planes [p0, p1) are independent: src/pooling/fast/threads.ts gives each thread a range.
//
// Exactness (the same results as the reference loops, bit for bit):
// - Max: a tap replaces the running maximum only when strictly greater, so the first maximum
//   wins (f32x4.pmax(acc, v) is exactly `acc < v ? v : acc`). Reducing each row first and then
//   the rows top to bottom keeps row-major order, so ties and signed zeros come out as in the
//   reference. pmax never lets a NaN in, so rows holding a NaN (found while padding the row)
//   use `maxNaN`, which also takes any NaN: the last NaN in row-major order wins, as in PyTorch.
// - Average: each lane adds its window in the reference order (row by row, left to right), in
//   float32; padding cells hold +0, and adding +0 never changes a sum that starts at +0.
//   Then one float32 division, and + 0 turns a -0 average into +0, as PyTorch does.

const NEG_INF: f32 = -Infinity;

@inline function ceil4(n: i32): i32 {
  return (n + 3) & ~3;
}

// ---- scratch layout (per thread) ---------------------------------------------------------------
// Both kernels prepare rows of L * sW cells: L (a multiple of 4) covers the widest tap of the
// last 4-lane output group. The JS side asks for the size with *ScratchBytes.

@inline function phaseLength(outW: i32, kW: i32, sW: i32): i32 {
  return ceil4(ceil4(outW) + (kW - 1) / sW);
}

/** Cells of the padded row R: all the taps read, and the whole row (a stride > kernel skips its end). */
@inline function paddedLength(inW: i32, outW: i32, kW: i32, sW: i32, pW: i32): i32 {
  return max(phaseLength(outW, kW, sW) * sW, ceil4(pW + inW));
}

export function maxScratchBytes(inW: i32, outW: i32, kH: i32, kW: i32, sW: i32, pW: i32): i32 {
  const n = paddedLength(inW, outW, kW, sW, pW);
  const outWp = ceil4(outW);
  // R, P, index R, index P + tap offsets + ring values + ring indices + slot info
  return (4 * n + kW + 2 * kH * outWp + 2 * kH + 8) * 4 + 64;
}

export function avgScratchBytes(inW: i32, outW: i32, kH: i32, kW: i32, sW: i32, pW: i32): i32 {
  const n = paddedLength(inW, outW, kW, sW, pW);
  // R + ring of kH prepared rows + tap offsets + divisor row + slot rows
  return ((1 + kH) * n + kW + ceil4(outW) + kH + 8) * 4 + 64;
}

// ---- row preparation ---------------------------------------------------------------------------

/**
 * Copy input row `src` (inW floats) into R with pW cells of `pad` on the left and pad up to
 * L·sW cells, then split R by the stride into P: phase r holds R[sW·i + r] at P[r·L + i].
 * After this, tap j of output column o is P[(j % sW)·L + o + j / sW]. Returns whether the row
 * holds a NaN. With sW = 1, pass P = R: the split is a no-op.
 */
function prepareRow(src: usize, inW: i32, pW: i32, sW: i32, L: i32, R: usize, P: usize, pad: f32): bool {
  const n = L * sW; // R holds max(n, pW + inW) cells: see paddedLength
  const padV = f32x4.splat(pad);
  for (let c = 0; c < pW; c++) store<f32>(R + (c << 2), pad);
  const dst = R + (pW << 2);
  let nan = i32x4.splat(0);
  let w = 0;
  for (; w + 4 <= inW; w += 4) {
    const v = v128.load(src + (w << 2));
    nan = v128.or(nan, f32x4.ne(v, v));
    v128.store(dst + (w << 2), v);
  }
  let nanTail = false;
  for (; w < inW; w++) {
    const v = load<f32>(src + (w << 2));
    nanTail |= v != v;
    store<f32>(dst + (w << 2), v);
  }
  let c = pW + inW;
  for (; c < n && (c & 3) != 0; c++) store<f32>(R + (c << 2), pad);
  for (; c < n; c += 4) v128.store(R + (c << 2), padV);
  if (sW == 2) {
    for (let i = 0; i < L; i += 4) {
      const a = v128.load(R + (i << 3));
      const b = v128.load(R + (i << 3) + 16);
      v128.store(P + (i << 2), v128.shuffle<f32>(a, b, 0, 2, 4, 6));
      v128.store(P + ((L + i) << 2), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
    }
  } else if (sW > 2) {
    for (let r = 0; r < sW; r++) {
      for (let i = 0; i < L; i++) store<f32>(P + ((r * L + i) << 2), load<f32>(R + ((sW * i + r) << 2)));
    }
  }
  return nanTail || v128.any_true(nan);
}

/**
 * The column index of every padded cell, split like `prepareRow`. A left padding cell gets
 * column 0: a window starting in the padding begins, in the reference, at column 0 (it never
 * reads padding), and padding (-inf) never replaces a maximum, so that index is what a window
 * of -inf cells reports. Right padding cells are never first in a window.
 */
function prepareIndexRow(inW: i32, pW: i32, sW: i32, L: i32, R: usize, P: usize): void {
  const n = L * sW;
  for (let c = 0; c < n; c++) store<i32>(R + (c << 2), min(max(c - pW, 0), inW - 1));
  if (sW == 1) {
    memory.copy(P, R, n << 2);
  } else {
    for (let r = 0; r < sW; r++) {
      for (let i = 0; i < L; i++) store<i32>(P + ((r * L + i) << 2), load<i32>(R + ((sW * i + r) << 2)));
    }
  }
}

/** Byte offset of tap j inside a prepared row, for j < kW. */
function tapOffsets(kW: i32, sW: i32, L: i32, taps: usize): void {
  for (let j = 0; j < kW; j++) store<i32>(taps + (j << 2), ((j % sW) * L + j / sW) << 2);
}

// ---- max pooling -------------------------------------------------------------------------------

/** The reference's step with NaN: take v when it is larger or NaN (NaN stays until a later NaN). */
@inline function maxNaN(acc: v128, v: v128): v128 {
  return v128.bitselect(v, acc, v128.or(f32x4.gt(v, acc), f32x4.ne(v, v)));
}
@inline function takeMask(acc: v128, v: v128, nan: bool): v128 {
  const gt = f32x4.gt(v, acc);
  return nan ? v128.or(gt, f32x4.ne(v, v)) : gt;
}

/**
 * Write 4 lanes of a float row at `dst + o`, or only the lanes below `count` (the row's end:
 * the next plane, maybe another thread's, starts right after).
 */
@inline function storeF32(dst: usize, o: i32, count: i32, v: v128): void {
  if (o + 4 <= count) v128.store(dst + (o << 2), v);
  else {
    store<f32>(dst + (o << 2), f32x4.extract_lane(v, 0));
    if (o + 1 < count) store<f32>(dst + ((o + 1) << 2), f32x4.extract_lane(v, 1));
    if (o + 2 < count) store<f32>(dst + ((o + 2) << 2), f32x4.extract_lane(v, 2));
  }
}
/** Indices go out as float64 (int64 tensors store exact integers in a Float64Array), or int32. */
@inline function storeIndex(dst: usize, o: i32, count: i32, v: v128, asF64: bool): void {
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

/** Horizontal maxima of one prepared row: H[o] = max over taps of P[o + tap]. */
function rowMax(P: usize, taps: usize, kW: i32, outWp: i32, H: usize, nan: bool): void {
  if (!nan) {
    for (let o = 0; o < outWp; o += 4) {
      const base = P + (o << 2);
      let acc = v128.load(base);
      for (let j = 1; j < kW; j++) acc = f32x4.pmax(acc, v128.load(base + load<i32>(taps + (j << 2))));
      v128.store(H + (o << 2), acc);
    }
  } else {
    for (let o = 0; o < outWp; o += 4) {
      const base = P + (o << 2);
      let acc = v128.load(base);
      for (let j = 1; j < kW; j++) acc = maxNaN(acc, v128.load(base + load<i32>(taps + (j << 2))));
      v128.store(H + (o << 2), acc);
    }
  }
}

/** The same, also carrying the column index of each maximum (IP: the prepared index row). */
function rowMaxIndex(P: usize, IP: usize, taps: usize, kW: i32, outWp: i32, H: usize, HI: usize, nan: bool): void {
  for (let o = 0; o < outWp; o += 4) {
    const base = P + (o << 2);
    const ibase = IP + (o << 2);
    let acc = v128.load(base);
    let idx = v128.load(ibase);
    for (let j = 1; j < kW; j++) {
      const off = load<i32>(taps + (j << 2));
      const v = v128.load(base + off);
      const m = takeMask(acc, v, nan);
      acc = v128.bitselect(v, acc, m);
      idx = v128.bitselect(v128.load(ibase + off), idx, m);
    }
    v128.store(H + (o << 2), acc);
    v128.store(HI + (o << 2), idx);
  }
}

/**
 * Max pooling of planes [p0, p1), float32, dilation 1. `yi` receives the flat index h·W + w of
 * each maximum (as float64 when indexF64, else int32), or pass 0 for no indices.
 */
export function maxPool(
  x: usize, y: usize, yi: usize, indexF64: bool, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  scratch: usize,
): void {
  const L = phaseLength(outW, kW, sW);
  const outWp = ceil4(outW);
  const n = paddedLength(inW, outW, kW, sW, pW);
  const R = scratch;
  const P = sW == 1 ? R : R + (n << 2);
  const IR = R + (2 * n << 2);
  const IP = IR + (n << 2);
  const taps = IP + (n << 2);
  const ringV = (taps + (kW << 2) + 15) & ~15;
  const ringI = ringV + ((kH * outWp) << 2);
  const slotRow = ringI + ((kH * outWp) << 2);
  const slotNaN = slotRow + (kH << 2);
  const withIndex = yi != 0;
  const ixShift = indexF64 ? 3 : 2;
  tapOffsets(kW, sW, L, taps);
  if (withIndex) prepareIndexRow(inW, pW, sW, L, IR, IP);

  for (let plane = p0; plane < p1; plane++) {
    const xin = x + (<usize>plane * inH * inW << 2);
    const outBase = <usize>plane * outH * outW;
    for (let s = 0; s < kH; s++) store<i32>(slotRow + (s << 2), -1);
    for (let oh = 0; oh < outH; oh++) {
      let hs = oh * sH - pH;
      const he = min(hs + kH, inH);
      hs = max(hs, 0);
      // Horizontal maxima of the rows this window needs that the ring does not hold yet.
      let nan = false;
      for (let h = hs; h < he; h++) {
        const slot = h % kH;
        if (load<i32>(slotRow + (slot << 2)) != h) {
          const rowNaN = prepareRow(xin + (<usize>h * inW << 2), inW, pW, sW, L, R, P, NEG_INF);
          const H = ringV + ((slot * outWp) << 2);
          if (withIndex) rowMaxIndex(P, IP, taps, kW, outWp, H, ringI + ((slot * outWp) << 2), rowNaN);
          else rowMax(P, taps, kW, outWp, H, rowNaN);
          store<i32>(slotRow + (slot << 2), h);
          store<i32>(slotNaN + (slot << 2), rowNaN ? 1 : 0);
        }
        nan |= load<i32>(slotNaN + (slot << 2)) != 0;
      }
      // Then the rows, top to bottom.
      const out = y + ((outBase + <usize>oh * outW) << 2);
      const first = ringV + (((hs % kH) * outWp) << 2);
      if (!withIndex) {
        for (let o = 0; o < outW; o += 4) {
          let acc = v128.load(first + (o << 2));
          for (let h = hs + 1; h < he; h++) {
            const v = v128.load(ringV + ((((h % kH) * outWp) + o) << 2));
            acc = nan ? maxNaN(acc, v) : f32x4.pmax(acc, v);
          }
          storeF32(out, o, outW, acc);
        }
      } else {
        const outI = yi + ((outBase + <usize>oh * outW) << ixShift);
        const firstI = ringI + (((hs % kH) * outWp) << 2);
        for (let o = 0; o < outW; o += 4) {
          let acc = v128.load(first + (o << 2));
          let idx = i32x4.add(v128.load(firstI + (o << 2)), i32x4.splat(hs * inW));
          for (let h = hs + 1; h < he; h++) {
            const at = ((h % kH) * outWp + o) << 2;
            const v = v128.load(ringV + at);
            const m = takeMask(acc, v, nan);
            acc = v128.bitselect(v, acc, m);
            idx = v128.bitselect(i32x4.add(v128.load(ringI + at), i32x4.splat(h * inW)), idx, m);
          }
          storeF32(out, o, outW, acc);
          storeIndex(outI, o, outW, idx, indexF64);
        }
      }
    }
  }
}

// ---- average pooling ---------------------------------------------------------------------------

/** The divisor of one window along one dimension (see avgWindow in src/pooling/avg.ts). */
@inline function extent(start: i32, k: i32, size: i32, pad: i32, countPad: bool): i32 {
  const end = min(start + k, size + pad);
  return countPad ? end - start : min(end, size) - max(start, 0);
}

/**
 * Average pooling of planes [p0, p1), float32. divisorMode 0: count padding
 * (countIncludePad), 1: real cells only, 2: `divisor` (divisorOverride).
 */
export function avgPool(
  x: usize, y: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  divisorMode: i32, divisor: f32, scratch: usize,
): void {
  const L = phaseLength(outW, kW, sW);
  const outWp = ceil4(outW);
  const n = paddedLength(inW, outW, kW, sW, pW);
  const R = scratch;
  const ring = R + (n << 2);
  const taps = ring + ((kH * n) << 2);
  const divW = (taps + (kW << 2) + 15) & ~15;
  const slotRow = divW + (outWp << 2);
  tapOffsets(kW, sW, L, taps);
  for (let o = 0; o < outWp; o++) store<f32>(divW + (o << 2), <f32>extent(o * sW - pW, kW, inW, pW, divisorMode == 0));
  const zero = f32x4.splat(0);

  for (let plane = p0; plane < p1; plane++) {
    const xin = x + (<usize>plane * inH * inW << 2);
    const outBase = <usize>plane * outH * outW;
    for (let s = 0; s < kH; s++) store<i32>(slotRow + (s << 2), -1);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      const divH = <f32>extent(h0, kH, inH, pH, divisorMode == 0);
      const he = min(h0 + kH, inH);
      const hs = max(h0, 0);
      for (let h = hs; h < he; h++) {
        const slot = h % kH;
        if (load<i32>(slotRow + (slot << 2)) != h) {
          const P = ring + ((slot * n) << 2);
          prepareRow(xin + (<usize>h * inW << 2), inW, pW, sW, L, sW == 1 ? P : R, P, 0);
          store<i32>(slotRow + (slot << 2), h);
        }
      }
      const out = y + ((outBase + <usize>oh * outW) << 2);
      for (let o = 0; o < outW; o += 4) {
        let sum = zero;
        for (let h = hs; h < he; h++) {
          const base = ring + ((((h % kH) * n) + o) << 2);
          for (let j = 0; j < kW; j++) sum = f32x4.add(sum, v128.load(base + load<i32>(taps + (j << 2))));
        }
        const d = divisorMode == 2 ? f32x4.splat(divisor) : f32x4.mul(f32x4.splat(divH), v128.load(divW + (o << 2)));
        storeF32(out, o, outW, f32x4.add(f32x4.div(sum, d), zero));
      }
    }
  }
}

// ---- global average pooling (adaptive output 1×1) ---------------------------------------------

/**
 * The mean of each plane as the reference computes it: a float32 sum in memory order, then
 * / H, then / W. Four planes run side by side, one per lane (a 4×4 transpose turns four rows of
 * four planes into four steps of the four sums), so each lane adds in the reference order.
 */
export function globalAvg(x: usize, y: usize, p0: i32, p1: i32, H: i32, W: i32): void {
  const n = H * W;
  const dh = f32x4.splat(<f32>H);
  const dw = f32x4.splat(<f32>W);
  let p = p0;
  for (; p + 4 <= p1; p += 4) {
    const a = x + (<usize>p * n << 2);
    const b = a + (<usize>n << 2);
    const c = b + (<usize>n << 2);
    const d = c + (<usize>n << 2);
    let sum = f32x4.splat(0);
    let e = 0;
    for (; e + 4 <= n; e += 4) {
      const off = <usize>e << 2;
      const ra = v128.load(a + off);
      const rb = v128.load(b + off);
      const rc = v128.load(c + off);
      const rd = v128.load(d + off);
      const t0 = v128.shuffle<f32>(ra, rb, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(ra, rb, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(rc, rd, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(rc, rd, 2, 6, 3, 7);
      sum = f32x4.add(sum, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      sum = f32x4.add(sum, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      sum = f32x4.add(sum, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      sum = f32x4.add(sum, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (; e < n; e++) {
      const off = <usize>e << 2;
      let v = f32x4.splat(load<f32>(a + off));
      v = f32x4.replace_lane(v, 1, load<f32>(b + off));
      v = f32x4.replace_lane(v, 2, load<f32>(c + off));
      v = f32x4.replace_lane(v, 3, load<f32>(d + off));
      sum = f32x4.add(sum, v);
    }
    v128.store(y + (<usize>p << 2), f32x4.div(f32x4.div(sum, dh), dw));
  }
  for (; p < p1; p++) {
    const a = x + (<usize>p * n << 2);
    let sum: f32 = 0;
    for (let e = 0; e < n; e++) sum += load<f32>(a + (<usize>e << 2));
    store<f32>(y + (<usize>p << 2), sum / <f32>H / <f32>W);
  }
}

// ---- backward passes ---------------------------------------------------------------------------

/** Max pooling backward: gradIn[plane, idx] += gradOut, in output order (int32 indices). */
export function scatterAdd(gin: usize, gout: usize, idx: usize, p0: i32, p1: i32, inPlane: i32, outPlane: i32): void {
  for (let plane = p0; plane < p1; plane++) {
    const g = gin + (<usize>plane * inPlane << 2);
    const base = <usize>plane * outPlane;
    for (let i = 0; i < outPlane; i++) {
      const at = g + (<usize>load<i32>(idx + ((base + i) << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(gout + ((base + i) << 2)));
    }
  }
}

/**
 * Average pooling backward, the reference's order: for each output cell, gradOut / divisor is
 * added to every cell of its window. `gin` must be zero.
 */
export function avgBackward(
  gin: usize, gout: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  divisorMode: i32, divisor: f32,
): void {
  for (let plane = p0; plane < p1; plane++) {
    const g = gin + (<usize>plane * inH * inW << 2);
    const go = gout + (<usize>plane * outH * outW << 2);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      const dh = extent(h0, kH, inH, pH, divisorMode == 0);
      const hs = max(h0, 0);
      const he = min(h0 + kH, inH);
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * sW - pW;
        const d: f32 = divisorMode == 2 ? divisor : <f32>(dh * extent(w0, kW, inW, pW, divisorMode == 0));
        const delta = load<f32>(go + ((<usize>oh * outW + ow) << 2)) / d;
        const ws = max(w0, 0);
        const we = min(w0 + kW, inW);
        for (let h = hs; h < he; h++) {
          const row = g + (<usize>h * inW << 2);
          for (let w = ws; w < we; w++) store<f32>(row + (w << 2), load<f32>(row + (w << 2)) + delta);
        }
      }
    }
  }
}
