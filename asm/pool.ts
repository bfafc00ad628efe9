// Fast float32 pooling kernels in AssemblyScript, compiled by `npm run build` (asc, WebAssembly SIMD)
// to dist/pooling/fast/pool.wasm. The readable reference loops are src/pooling/{max,avg,adaptive,
// gradients}.ts; test/unit/fast-kernels.test.ts checks every kernel here against them.
//
// Why these are fast:
// - They read the tensors in place: every pointer is a byte offset into the shared memory where
//   the module makes big tensors (src/tensor/heap.ts), so those are not copied in (the JS side
//   copies any other input into scratch there first: src/pooling/fast/index.ts).
// - SIMD across output columns: four outputs of a row at once (f32x4). Stride 2 loads 8 cells
//   and splits them into even and odd lanes with one shuffle each.
// - Max pooling is separable: each input row's horizontal maxima are kept in a ring of kH rows
//   and reused by every output row whose window covers that row (k + k taps instead of k·k).
// - Average pooling pads and stride-splits each input row ONCE into a ring of kH rows
//   (`prepareRow`), so every tap of every window is one contiguous 4-lane load.
// - Planes [p0, p1) are independent: src/pooling/fast/runtime.ts gives each thread a range.
//
// Exactness (the same results as the reference loops, bit for bit):
// - Max: a tap replaces the running maximum only when strictly greater, so the first maximum
//   wins (f32x4.pmax(acc, v) is exactly `acc < v ? v : acc`). Reducing each row first and then
//   the rows top to bottom keeps row-major order, so ties and signed zeros come out as in the
//   reference. pmax never lets a NaN in, so a row whose cells hold a NaN is redone with
//   `maxNaN`, which also takes any NaN: the last NaN in row-major order wins, as in PyTorch.
// - Average: each lane adds its window in the reference order (row by row, left to right), in
//   float32; padding cells hold +0, and adding +0 never changes a sum that starts at +0.
//   Then one float32 division, and + 0 turns a -0 average into +0, as PyTorch does.

const NEG_INF: f32 = -Infinity;

@inline function ceil4(n: i32): i32 {
  return (n + 3) & ~3;
}

// ---- max pooling -------------------------------------------------------------------------------
// Each input row's horizontal maxima go into a ring of kH rows (values, and column indices when
// asked), then each output row combines the rows of its window. Inside the row the windows are
// read straight from the tensor, four outputs at a time; a group of four whose windows reach into
// the padding uses the same loads with the cells outside the row masked to -inf (rowMaxEdge), and
// strides above 2 take the exact scalar loop (rowMaxScalar).

/** The reference's step with NaN: take v when it is larger or NaN (a NaN stays until a later NaN). */
@inline function maxNaN(acc: v128, v: v128): v128 {
  return v128.bitselect(v, acc, v128.or(f32x4.gt(v, acc), f32x4.ne(v, v)));
}
@inline function takeMask(acc: v128, v: v128, exact: bool): v128 {
  const gt = f32x4.gt(v, acc);
  return exact ? v128.or(gt, f32x4.ne(v, v)) : gt;
}
/** A NaN among the values added into `sum` makes the sum NaN (so may ±Infinity: harmless). */
@inline function sumIsNaN(sum: v128): bool {
  return v128.any_true(f32x4.ne(sum, sum));
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

/**
 * Outputs [o0, o1) of one row by the reference loop itself: the window clipped to the row, a
 * strictly larger value or a NaN replaces the maximum. Returns whether a maximum is NaN.
 */
function rowMaxScalar(xr: usize, inW: i32, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize): bool {
  let nan = false;
  for (let o = o0; o < o1; o++) {
    let w0 = o * sW - pW;
    const w1 = min(w0 + kW, inW);
    w0 = max(w0, 0);
    let best: f32 = NEG_INF;
    let at = w0;
    for (let w = w0; w < w1; w++) {
      const v = load<f32>(xr + (<usize>w << 2));
      if (v > best || v != v) {
        best = v;
        at = w;
      }
    }
    store<f32>(H + (<usize>o << 2), best);
    if (HI) store<i32>(HI + (<usize>o << 2), at);
    nan |= best != best;
  }
  return nan;
}

/** Whether input columns [c0, c1) of a row hold a NaN. */
function nanInColumns(xr: usize, c0: i32, c1: i32): bool {
  for (let c = c0; c < c1; c++) {
    const v = load<f32>(xr + (<usize>c << 2));
    if (v != v) return true;
  }
  return false;
}

/**
 * Outputs [o0, o1) (whole groups of 4, windows inside the row) with SIMD. Stride 1: tap j of the
 * 4 outputs is one load at column o - pW + j. Stride 2: two loads cover columns 2o - pW + j ..
 * + 7, whose even lanes are tap j and odd lanes tap j + 1. `exact` takes NaNs as the reference
 * does; otherwise f32x4.pmax. Returns whether the first tap's loads (which tile the columns)
 * saw a NaN.
 */
function rowMaxSimd(xr: usize, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, exact: bool): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  if (sW == 1) {
    for (let o = o0; o < o1; o += 4) {
      const base = xr + ((o - pW) << 2);
      let acc = v128.load(base);
      nanA = f32x4.add(nanA, acc);
      if (exact) for (let j = 1; j < kW; j++) acc = maxNaN(acc, v128.load(base + (j << 2)));
      else for (let j = 1; j < kW; j++) acc = f32x4.pmax(acc, v128.load(base + (j << 2)));
      v128.store(H + (o << 2), acc);
    }
  } else {
    for (let o = o0; o < o1; o += 4) {
      const base = xr + ((2 * o - pW) << 2);
      const a = v128.load(base);
      const b = v128.load(base, 16);
      nanA = f32x4.add(nanA, a);
      nanB = f32x4.add(nanB, b);
      let acc = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
      if (exact) {
        if (kW > 1) acc = maxNaN(acc, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        for (let j = 2; j < kW; j += 2) {
          const c = v128.load(base + (j << 2));
          const d = v128.load(base + (j << 2), 16);
          acc = maxNaN(acc, v128.shuffle<f32>(c, d, 0, 2, 4, 6));
          if (j + 1 < kW) acc = maxNaN(acc, v128.shuffle<f32>(c, d, 1, 3, 5, 7));
        }
      } else {
        if (kW > 1) acc = f32x4.pmax(acc, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        for (let j = 2; j < kW; j += 2) {
          const c = v128.load(base + (j << 2));
          const d = v128.load(base + (j << 2), 16);
          acc = f32x4.pmax(acc, v128.shuffle<f32>(c, d, 0, 2, 4, 6));
          if (j + 1 < kW) acc = f32x4.pmax(acc, v128.shuffle<f32>(c, d, 1, 3, 5, 7));
        }
      }
      v128.store(H + (o << 2), acc);
    }
  }
  return sumIsNaN(f32x4.add(nanA, nanB));
}

/** rowMaxSimd that also carries each maximum's column index into HI. */
function rowMaxIndexSimd(xr: usize, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize, exact: bool): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  if (sW == 1) {
    const lanes = i32x4(0, 1, 2, 3);
    for (let o = o0; o < o1; o += 4) {
      const base = xr + ((o - pW) << 2);
      const col = i32x4.add(i32x4.splat(o - pW), lanes);
      let acc = v128.load(base);
      let idx = col;
      nanA = f32x4.add(nanA, acc);
      for (let j = 1; j < kW; j++) {
        const v = v128.load(base + (j << 2));
        const m = takeMask(acc, v, exact);
        acc = v128.bitselect(v, acc, m);
        idx = v128.bitselect(i32x4.add(col, i32x4.splat(j)), idx, m);
      }
      v128.store(H + (o << 2), acc);
      v128.store(HI + (o << 2), idx);
    }
  } else {
    const lanes = i32x4(0, 2, 4, 6);
    for (let o = o0; o < o1; o += 4) {
      const base = xr + ((2 * o - pW) << 2);
      const col = i32x4.add(i32x4.splat(2 * o - pW), lanes);
      let acc = f32x4.splat(0);
      let idx = col;
      for (let j = 0; j < kW; j += 2) {
        const c = v128.load(base + (j << 2));
        const d = v128.load(base + (j << 2), 16);
        const even = v128.shuffle<f32>(c, d, 0, 2, 4, 6);
        if (j == 0) {
          nanA = f32x4.add(nanA, c);
          nanB = f32x4.add(nanB, d);
          acc = even;
        } else {
          const m = takeMask(acc, even, exact);
          acc = v128.bitselect(even, acc, m);
          idx = v128.bitselect(i32x4.add(col, i32x4.splat(j)), idx, m);
        }
        if (j + 1 < kW) {
          const odd = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
          const m = takeMask(acc, odd, exact);
          acc = v128.bitselect(odd, acc, m);
          idx = v128.bitselect(i32x4.add(col, i32x4.splat(j + 1)), idx, m);
        }
      }
      v128.store(H + (o << 2), acc);
      v128.store(HI + (o << 2), idx);
    }
  }
  return sumIsNaN(f32x4.add(nanA, nanB));
}

/**
 * The most common max pool, 3×3 / stride 2 with padding 0 or 1, for groups [0, o1): each group
 * loads 8 cells once, splits them into even (E) and odd (O) lanes, and takes the third tap from
 * the neighbour group (padding 1: the previous group's odd lanes, -inf before the row; padding
 * 0: one more cell). Taps in row order, as everywhere. Returns whether the loaded cells (which
 * tile columns [0, 2·o1)) held a NaN.
 */
function rowMax3s2(xr: usize, pW: i32, o1: i32, H: usize, HI: usize, exact: bool): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  let prevO = f32x4.splat(NEG_INF);
  const lanes = i32x4(0, 2, 4, 6);
  const one = i32x4.splat(1);
  for (let o = 0; o < o1; o += 4) {
    const at = xr + (<usize>o << 3);
    const a = v128.load(at);
    const b = v128.load(at, 16);
    nanA = f32x4.add(nanA, a);
    nanB = f32x4.add(nanB, b);
    const E = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const O = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    // The three taps t0, t1, t2 of the 4 outputs, left to right.
    let t0: v128, t1: v128, t2: v128;
    if (pW == 1) {
      t0 = v128.shuffle<f32>(prevO, O, 3, 4, 5, 6);
      t1 = E;
      t2 = O;
      prevO = O;
    } else {
      t0 = E;
      t1 = O;
      t2 = v128.shuffle<f32>(E, v128.load32_zero(at + 32), 1, 2, 3, 4);
    }
    if (!HI) {
      const acc = exact ? maxNaN(maxNaN(t0, t1), t2) : f32x4.pmax(f32x4.pmax(t0, t1), t2);
      v128.store(H + (o << 2), acc);
    } else {
      // Column of t0; t1 and t2 are one and two further. A pad's column (-1) is clamped to 0.
      const c0 = i32x4.add(i32x4.splat(2 * o - pW), lanes);
      let acc = t0;
      let idx = c0;
      let m = takeMask(acc, t1, exact);
      acc = v128.bitselect(t1, acc, m);
      idx = v128.bitselect(i32x4.add(c0, one), idx, m);
      m = takeMask(acc, t2, exact);
      acc = v128.bitselect(t2, acc, m);
      idx = v128.bitselect(i32x4.add(c0, i32x4.splat(2)), idx, m);
      v128.store(H + (o << 2), acc);
      v128.store(HI + (o << 2), i32x4.max_s(idx, i32x4.splat(0)));
    }
  }
  return sumIsNaN(f32x4.add(nanA, nanB));
}

/** rowMax3s2 for values with padding 1, pmax only: the hot loop of the most common pool. */
function rowMax3s2p1(xr: usize, o1: i32, H: usize): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  let prevO = f32x4.splat(NEG_INF);
  for (let o = 0; o < o1; o += 4) {
    const at = xr + (<usize>o << 3);
    const a = v128.load(at);
    const b = v128.load(at, 16);
    nanA = f32x4.add(nanA, a);
    nanB = f32x4.add(nanB, b);
    const E = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const O = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    v128.store(H + (<usize>o << 2), f32x4.pmax(f32x4.pmax(v128.shuffle<f32>(prevO, O, 3, 4, 5, 6), E), O));
    prevO = O;
  }
  return sumIsNaN(f32x4.add(nanA, nanB));
}

/** The same with padding 0: taps E, O and E one group on. */
function rowMax3s2p0(xr: usize, o1: i32, H: usize): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  for (let o = 0; o < o1; o += 4) {
    const at = xr + (<usize>o << 3);
    const a = v128.load(at);
    const b = v128.load(at, 16);
    nanA = f32x4.add(nanA, a);
    nanB = f32x4.add(nanB, b);
    const E = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const O = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const E2 = v128.shuffle<f32>(E, v128.load32_zero(at + 32), 1, 2, 3, 4);
    v128.store(H + (<usize>o << 2), f32x4.pmax(f32x4.pmax(E, O), E2));
  }
  return sumIsNaN(f32x4.add(nanA, nanB));
}

/**
 * End of the groups rowMax3s2 can do: whole groups of 4 outputs whose loads stay in the row
 * (cells 2o .. 2o + 7, and cell 2o + 8 with padding 0).
 */
@inline function special3s2End(inW: i32, outW: i32, pW: i32): i32 {
  const room = inW - 1 - (pW == 1 ? 7 : 8); // the last cell a group at o reads is 2o + 7 (+ 1 with padding 0)
  if (room < 0) return 0;
  const last = min(outW - 4, room / 2); // the last group may start here
  return last < 0 ? 0 : (last & ~3) + 4;
}

/**
 * One group of 4 outputs whose windows reach past the row's ends: the same loads as inside the
 * row (they may touch memory just before or after the row: the heap keeps slack after its last
 * block), with every cell outside the row replaced by -inf, so padding never wins, and the
 * NaN-exact step. Column indices (HI != 0) are clamped at 0: a window that starts in the left
 * padding and holds only -inf reports its first real cell, column 0, as the reference does.
 * Returns whether a maximum is NaN.
 */
function rowMaxEdge(xr: usize, inW: i32, kW: i32, sW: i32, pW: i32, o: i32, H: usize, HI: usize): bool {
  const negInf = f32x4.splat(NEG_INF);
  const width = i32x4.splat(inW);
  const step = sW == 1 ? i32x4(0, 1, 2, 3) : i32x4(0, 2, 4, 6);
  const col = i32x4.add(i32x4.splat(sW * o - pW), step);
  const base = xr + ((sW * o - pW) << 2);
  let acc = negInf;
  let idx = i32x4.splat(0);
  for (let j = 0; j < kW; j++) {
    let v: v128;
    if (sW == 1) v = v128.load(base + (j << 2));
    else {
      const c = v128.load(base + ((j & ~1) << 2));
      const d = v128.load(base + ((j & ~1) << 2), 16);
      v = (j & 1) == 0 ? v128.shuffle<f32>(c, d, 0, 2, 4, 6) : v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    }
    const cj = i32x4.add(col, i32x4.splat(j));
    v = v128.bitselect(negInf, v, i32x4.ge_u(cj, width)); // outside [0, inW): -inf
    if (j == 0) {
      acc = v;
      idx = cj;
    } else {
      const m = takeMask(acc, v, true);
      acc = v128.bitselect(v, acc, m);
      idx = v128.bitselect(cj, idx, m);
    }
  }
  v128.store(H + (o << 2), acc);
  if (HI) v128.store(HI + (o << 2), i32x4.max_s(idx, i32x4.splat(0)));
  return sumIsNaN(acc);
}

/**
 * The horizontal maxima of one input row into H (and column indices into HI when HI != 0).
 * Outputs [o0, o1) read the row in place with rowMaxSimd (3×3 / stride 2: rowMax3s2 and its
 * hot loops); the groups outside it take rowMaxEdge; strides above 2 take the scalar loop.
 * Returns whether H may hold a NaN (then the rows are combined with the NaN-exact step).
 */
function rowMax(xr: usize, inW: i32, outW: i32, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize): bool {
  if (sW > 2) return rowMaxScalar(xr, inW, kW, sW, pW, 0, outW, H, HI);
  let nan = false;
  if (kW == 3 && sW == 2 && pW <= 1) {
    const o1s = special3s2End(inW, outW, pW);
    for (let o = o1s; o < outW; o += 4) nan |= rowMaxEdge(xr, inW, kW, sW, pW, o, H, HI);
    if (o1s > 0) {
      let inner = HI ? rowMax3s2(xr, pW, o1s, H, HI, false) : pW == 1 ? rowMax3s2p1(xr, o1s, H) : rowMax3s2p0(xr, o1s, H);
      inner = inner || nanInColumns(xr, 2 * o1s, min(2 * o1s + 1, inW));
      if (inner) {
        rowMax3s2(xr, pW, o1s, H, HI, true);
        nan = true;
      }
    }
    return nan;
  }
  for (let o = 0; o < outW; o += 4) {
    if (o == o0 && o1 > o0) o = o1; // the inside groups, below
    if (o >= outW) break;
    nan |= rowMaxEdge(xr, inW, kW, sW, pW, o, H, HI);
  }
  if (o1 > o0) {
    let inner = HI ? rowMaxIndexSimd(xr, kW, sW, pW, o0, o1, H, HI, false) : rowMaxSimd(xr, kW, sW, pW, o0, o1, H, false);
    // The first taps tiled columns [sW·o0 − pW, sW·o1 − pW); the last windows read a little further.
    inner = inner || nanInColumns(xr, sW * o1 - pW, min(sW * (o1 - 1) - pW + kW, inW));
    if (inner) {
      if (HI) rowMaxIndexSimd(xr, kW, sW, pW, o0, o1, H, HI, true);
      else rowMaxSimd(xr, kW, sW, pW, o0, o1, H, true);
      nan = true;
    }
  }
  return nan;
}

/**
 * 2×2 / stride 2 without padding, values only — the classic pool: no ring, each output row reads
 * its two input rows once (8 cells each per 4 outputs: even and odd lanes), in row order. An
 * output row whose cells hold a NaN is redone with the NaN-exact step. A ragged last group may
 * load a few cells past its row (the next row, or the heap's slack): those lanes are not stored,
 * and at worst they send the row down the exact path.
 */
function maxPool2x2(x: usize, y: usize, p0: i32, p1: i32, inH: i32, inW: i32, outH: i32, outW: i32): void {
  for (let plane = p0; plane < p1; plane++) {
    const xin = x + (<usize>plane * inH * inW << 2);
    const outPlane = y + (<usize>plane * outH * outW << 2);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = xin + (<usize>(2 * oh) * inW << 2);
      const r1 = r0 + (<usize>inW << 2);
      const out = outPlane + (<usize>oh * outW << 2);
      if (max2x2Row(r0, r1, outW, out, false)) max2x2Row(r0, r1, outW, out, true);
    }
  }
}

function max2x2Row(r0: usize, r1: usize, outW: i32, out: usize, exact: bool): bool {
  let n0 = f32x4.splat(0);
  let n1 = f32x4.splat(0);
  let n2 = f32x4.splat(0);
  let n3 = f32x4.splat(0);
  for (let o = 0; o < outW; o += 4) {
    const at = <usize>o << 3;
    const a0 = v128.load(r0 + at);
    const b0 = v128.load(r0 + at, 16);
    const a1 = v128.load(r1 + at);
    const b1 = v128.load(r1 + at, 16);
    let acc: v128;
    if (exact) {
      acc = maxNaN(v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), v128.shuffle<f32>(a0, b0, 1, 3, 5, 7));
      acc = maxNaN(acc, v128.shuffle<f32>(a1, b1, 0, 2, 4, 6));
      acc = maxNaN(acc, v128.shuffle<f32>(a1, b1, 1, 3, 5, 7));
    } else {
      n0 = f32x4.add(n0, a0);
      n1 = f32x4.add(n1, b0);
      n2 = f32x4.add(n2, a1);
      n3 = f32x4.add(n3, b1);
      acc = f32x4.pmax(v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), v128.shuffle<f32>(a0, b0, 1, 3, 5, 7));
      acc = f32x4.pmax(acc, v128.shuffle<f32>(a1, b1, 0, 2, 4, 6));
      acc = f32x4.pmax(acc, v128.shuffle<f32>(a1, b1, 1, 3, 5, 7));
    }
    if (o + 4 <= outW) v128.store(out + (<usize>o << 2), acc);
    else storeF32(out, o, outW, acc);
  }
  return !exact && sumIsNaN(f32x4.add(f32x4.add(n0, n1), f32x4.add(n2, n3)));
}

/** out = rows a, b combined (pmax, a first), for 2-row windows. */
function combine2(a: usize, b: usize, outW: i32, out: usize): void {
  let o = 0;
  for (; o + 4 <= outW; o += 4) {
    const at = <usize>o << 2;
    v128.store(out + at, f32x4.pmax(v128.load(a + at), v128.load(b + at)));
  }
  if (o < outW) storeF32(out, o, outW, f32x4.pmax(v128.load(a + (<usize>o << 2)), v128.load(b + (<usize>o << 2))));
}

/** out = rows a, b, c combined top to bottom, for 3-row windows. */
function combine3(a: usize, b: usize, c: usize, outW: i32, out: usize): void {
  let o = 0;
  for (; o + 4 <= outW; o += 4) {
    const at = <usize>o << 2;
    v128.store(out + at, f32x4.pmax(f32x4.pmax(v128.load(a + at), v128.load(b + at)), v128.load(c + at)));
  }
  if (o < outW) {
    const at = <usize>o << 2;
    storeF32(out, o, outW, f32x4.pmax(f32x4.pmax(v128.load(a + at), v128.load(b + at)), v128.load(c + at)));
  }
}

/**
 * combine3 carrying the maxima's flat indices: each ring row's column indices sit `toIndex`
 * bytes after its values; adding the row's h·W (ha, hb, hc) makes them flat. First maximum wins.
 */
function combine3Index(a: usize, b: usize, c: usize, toIndex: usize, ha: i32, hb: i32, hc: i32, outW: i32, out: usize, outI: usize, asF64: bool): void {
  const offA = i32x4.splat(ha);
  const offB = i32x4.splat(hb);
  const offC = i32x4.splat(hc);
  for (let o = 0; o < outW; o += 4) {
    const at = <usize>o << 2;
    let acc = v128.load(a + at);
    let idx = i32x4.add(v128.load(a + toIndex + at), offA);
    let v = v128.load(b + at);
    let m = f32x4.gt(v, acc);
    acc = v128.bitselect(v, acc, m);
    idx = v128.bitselect(i32x4.add(v128.load(b + toIndex + at), offB), idx, m);
    v = v128.load(c + at);
    m = f32x4.gt(v, acc);
    acc = v128.bitselect(v, acc, m);
    idx = v128.bitselect(i32x4.add(v128.load(c + toIndex + at), offC), idx, m);
    storeF32(out, o, outW, acc);
    storeIndex(outI, o, outW, idx, asF64);
  }
}

export function maxScratchBytes(kH: i32, outW: i32): i32 {
  // ring of kH value rows and kH index rows; per slot: its row, NaN flag, pointer, offset
  return (2 * kH * ceil4(outW) + 4 * kH) * 4 + 64;
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
  const outWp = ceil4(outW);
  const ringV = (scratch + 15) & ~15;
  const ringI = ringV + ((kH * outWp) << 2);
  const slotRow = ringI + ((kH * outWp) << 2);
  const slotNaN = slotRow + (kH << 2);
  const rowsV = slotNaN + (kH << 2); // this window's rows, top to bottom: ring pointers
  const rowsOff = rowsV + (kH << 2); // and h·W of each
  const withIndex = yi != 0;
  const ixShift = indexF64 ? 3 : 2;
  // Output groups whose windows lie inside the row: [o0, o1).
  let o0 = 0;
  let o1 = 0;
  const room = inW - kW + pW - 3 * sW;
  if (sW <= 2 && room >= 0) {
    o0 = ceil4((pW + sW - 1) / sW);
    const last = min(outW - 4, room / sW);
    o1 = last >= o0 ? (last & ~3) + 4 : o0;
  }
  if (!withIndex && kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && 2 * outH <= inH && 2 * outW <= inW) {
    maxPool2x2(x, y, p0, p1, inH, inW, outH, outW);
    return;
  }

  for (let plane = p0; plane < p1; plane++) {
    const xin = x + (<usize>plane * inH * inW << 2);
    const outBase = <usize>plane * outH * outW;
    for (let s = 0; s < kH; s++) store<i32>(slotRow + (s << 2), -1);
    for (let oh = 0; oh < outH; oh++) {
      let hs = oh * sH - pH;
      const he = min(hs + kH, inH);
      hs = max(hs, 0);
      const n = he - hs;
      let nan = false;
      let slot = hs % kH;
      for (let t = 0; t < n; t++, slot = slot + 1 == kH ? 0 : slot + 1) {
        const h = hs + t;
        const H = ringV + ((slot * outWp) << 2);
        if (load<i32>(slotRow + (slot << 2)) != h) {
          const HI = withIndex ? ringI + ((slot * outWp) << 2) : 0;
          const rowNaN = rowMax(xin + (<usize>h * inW << 2), inW, outW, kW, sW, pW, o0, o1, H, HI);
          store<i32>(slotRow + (slot << 2), h);
          store<i32>(slotNaN + (slot << 2), rowNaN ? 1 : 0);
        }
        nan |= load<i32>(slotNaN + (slot << 2)) != 0;
        store<i32>(rowsV + (t << 2), H);
        store<i32>(rowsOff + (t << 2), h * inW);
      }
      // Then combine the rows, top to bottom.
      const out = y + ((outBase + <usize>oh * outW) << 2);
      const first = <usize>load<i32>(rowsV);
      if (!withIndex) {
        if (nan) {
          for (let o = 0; o < outW; o += 4) {
            let acc = v128.load(first + (o << 2));
            for (let t = 1; t < n; t++) acc = maxNaN(acc, v128.load(<usize>load<i32>(rowsV + (t << 2)) + (o << 2)));
            storeF32(out, o, outW, acc);
          }
        } else if (n == 2) {
          combine2(first, <usize>load<i32>(rowsV + 4), outW, out);
        } else if (n == 3) {
          combine3(first, <usize>load<i32>(rowsV + 4), <usize>load<i32>(rowsV + 8), outW, out);
        } else {
          for (let o = 0; o < outW; o += 4) {
            let acc = v128.load(first + (o << 2));
            for (let t = 1; t < n; t++) acc = f32x4.pmax(acc, v128.load(<usize>load<i32>(rowsV + (t << 2)) + (o << 2)));
            storeF32(out, o, outW, acc);
          }
        }
      } else {
        const outI = yi + ((outBase + <usize>oh * outW) << ixShift);
        const toIndex = ringI - ringV; // a value row's index row is this far on
        if (n == 3 && !nan) {
          const b = <usize>load<i32>(rowsV + 4);
          const c = <usize>load<i32>(rowsV + 8);
          combine3Index(first, b, c, toIndex, load<i32>(rowsOff), load<i32>(rowsOff + 4), load<i32>(rowsOff + 8), outW, out, outI, indexF64);
          continue;
        }
        for (let o = 0; o < outW; o += 4) {
          let acc = v128.load(first + (o << 2));
          let idx = i32x4.add(v128.load(first + toIndex + (o << 2)), i32x4.splat(load<i32>(rowsOff)));
          for (let t = 1; t < n; t++) {
            const row = <usize>load<i32>(rowsV + (t << 2)) + (o << 2);
            const v = v128.load(row);
            const m = takeMask(acc, v, nan);
            acc = v128.bitselect(v, acc, m);
            idx = v128.bitselect(i32x4.add(v128.load(row + toIndex), i32x4.splat(load<i32>(rowsOff + (t << 2)))), idx, m);
          }
          storeF32(out, o, outW, acc);
          storeIndex(outI, o, outW, idx, indexF64);
        }
      }
    }
  }
}

// ---- average pooling ---------------------------------------------------------------------------
// Prepared rows hold L·sW cells: L (a multiple of 4) covers the widest tap of the last 4-lane
// output group. The JS side asks for the scratch size with avgScratchBytes.

@inline function phaseLength(outW: i32, kW: i32, sW: i32): i32 {
  return ceil4(ceil4(outW) + (kW - 1) / sW);
}

/** Cells of the padded row R: all the taps read, and the whole row (a stride > kernel skips its end). */
@inline function paddedLength(inW: i32, outW: i32, kW: i32, sW: i32, pW: i32): i32 {
  return max(phaseLength(outW, kW, sW) * sW, ceil4(pW + inW));
}

export function avgScratchBytes(inW: i32, outW: i32, kH: i32, kW: i32, sW: i32, pW: i32): i32 {
  const n = paddedLength(inW, outW, kW, sW, pW);
  // R + ring of kH prepared rows + tap offsets + divisor row + slot rows + row pointers
  // + the divisors of a window with three real rows (3×3 read in place)
  return ((1 + kH) * n + kW + 2 * ceil4(outW) + 2 * kH + 8) * 4 + 80;
}

/**
 * Copy input row `src` (inW floats) into R with pW zeros on the left and zeros up to L·sW
 * cells, then split R by the stride into P: phase r holds R[sW·i + r] at P[r·L + i]. After
 * this, tap j of output column o is P[(j % sW)·L + o + j / sW]. With sW = 1, pass P = R.
 */
function prepareRow(src: usize, inW: i32, pW: i32, sW: i32, L: i32, R: usize, P: usize): void {
  const n = L * sW; // R holds max(n, pW + inW) cells: see paddedLength
  const zero = f32x4.splat(0);
  for (let c = 0; c < pW; c++) store<f32>(R + (c << 2), 0);
  const dst = R + (pW << 2);
  let w = 0;
  for (; w + 4 <= inW; w += 4) v128.store(dst + (w << 2), v128.load(src + (w << 2)));
  for (; w < inW; w++) store<f32>(dst + (w << 2), load<f32>(src + (w << 2)));
  let c = pW + inW;
  for (; c < n && (c & 3) != 0; c++) store<f32>(R + (c << 2), 0);
  for (; c < n; c += 4) v128.store(R + (c << 2), zero);
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
}

/** Byte offset of tap j inside a prepared row, for j < kW. */
function tapOffsets(kW: i32, sW: i32, L: i32, taps: usize): void {
  for (let j = 0; j < kW; j++) store<i32>(taps + (j << 2), ((j % sW) * L + j / sW) << 2);
}


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
  const rows = slotRow + (kH << 2); // this window's prepared rows, top to bottom
  const div3 = (rows + (kH << 2) + 15) & ~15; // 3 × divW: the divisors of windows with three real rows
  tapOffsets(kW, sW, L, taps);
  for (let o = 0; o < outWp; o++) store<f32>(divW + (o << 2), <f32>extent(o * sW - pW, kW, inW, pW, divisorMode == 0));
  const zero = f32x4.splat(0);
  const direct3x3 = kH == 3 && kW == 3 && sW == 1 && pW == 1 && outW == inW;
  if (direct3x3) {
    const d = divisorMode == 2 ? f32x4.splat(divisor) : f32x4.splat(3);
    for (let o = 0; o < outWp; o += 4) v128.store(div3 + (o << 2), divisorMode == 2 ? d : f32x4.mul(d, v128.load(divW + (o << 2))));
  }

  for (let plane = p0; plane < p1; plane++) {
    const xin = x + (<usize>plane * inH * inW << 2);
    const outBase = <usize>plane * outH * outW;
    for (let s = 0; s < kH; s++) store<i32>(slotRow + (s << 2), -1);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      const divH = <f32>extent(h0, kH, inH, pH, divisorMode == 0);
      const he = min(h0 + kH, inH);
      const hs = max(h0, 0);
      if (direct3x3 && he - hs == 3) {
        // 3×3 / stride 1 / padding 1 with three real rows: read them in place, no prepared rows.
        const a = xin + (<usize>hs * inW << 2);
        const out = y + ((outBase + <usize>oh * outW) << 2);
        avgRow3x3InPlace(a, a + (<usize>inW << 2), a + (<usize>inW << 3), inW, out, div3);
        continue;
      }
      for (let h = hs; h < he; h++) {
        const slot = h % kH;
        const P = ring + ((slot * n) << 2);
        if (load<i32>(slotRow + (slot << 2)) != h) {
          prepareRow(xin + (<usize>h * inW << 2), inW, pW, sW, L, sW == 1 ? P : R, P);
          store<i32>(slotRow + (slot << 2), h);
        }
        store<i32>(rows + ((h - hs) << 2), P);
      }
      const count = he - hs;
      const out = y + ((outBase + <usize>oh * outW) << 2);
      const dh = f32x4.splat(divH);
      if (count == 3 && sW == 1 && kW == 3) {
        avgRow3x3(load<i32>(rows), load<i32>(rows + 4), load<i32>(rows + 8), outW, out, dh, divW, divisorMode == 2, f32x4.splat(divisor));
        continue;
      }
      for (let o = 0; o < outW; o += 4) {
        let sum = zero;
        for (let t = 0; t < count; t++) {
          const base = <usize>load<i32>(rows + (t << 2)) + (o << 2);
          if (sW == 1) {
            for (let j = 0; j < kW; j++) sum = f32x4.add(sum, v128.load(base + (j << 2)));
          } else {
            for (let j = 0; j < kW; j++) sum = f32x4.add(sum, v128.load(base + load<i32>(taps + (j << 2))));
          }
        }
        const d = divisorMode == 2 ? f32x4.splat(divisor) : f32x4.mul(dh, v128.load(divW + (o << 2)));
        storeF32(out, o, outW, f32x4.add(f32x4.div(sum, d), zero));
      }
    }
  }
}

/**
 * One output row of a 3×3, stride-1 average from prepared rows a, b, c (the common case, with
 * nothing left to decide inside the loop). The sum starts from the first cell rather than
 * 0 + it: that changes only the sign of an all-zero sum, which the final + 0 makes +0 anyway.
 */
function avgRow3x3(a: usize, b: usize, c: usize, outW: i32, out: usize, dh: v128, divW: usize, fixed: bool, dov: v128): void {
  const zero = f32x4.splat(0);
  for (let o = 0; o < outW; o += 4) {
    const off = <usize>o << 2;
    let sum = v128.load(a + off);
    sum = f32x4.add(sum, v128.load(a + off, 4));
    sum = f32x4.add(sum, v128.load(a + off, 8));
    sum = f32x4.add(sum, v128.load(b + off));
    sum = f32x4.add(sum, v128.load(b + off, 4));
    sum = f32x4.add(sum, v128.load(b + off, 8));
    sum = f32x4.add(sum, v128.load(c + off));
    sum = f32x4.add(sum, v128.load(c + off, 4));
    sum = f32x4.add(sum, v128.load(c + off, 8));
    const d = fixed ? dov : f32x4.mul(dh, v128.load(divW + off));
    const v = f32x4.add(f32x4.div(sum, d), zero);
    if (o + 4 <= outW) v128.store(out + off, v);
    else storeF32(out, o, outW, v);
  }
}

/**
 * avgRow3x3 reading three input rows in place (3×3, stride 1, padding 1: output column o sums
 * columns o − 1, o, o + 1 of each row, row by row). The groups at the row's two ends mask the
 * cells outside the row to +0, as the prepared rows' padding would be; the loads there may touch
 * the cell before the row or a few after it (the heap keeps slack after its last block).
 * `divisors`: each output's divisor (three rows times its window's width, or divisor_override).
 */
function avgRow3x3InPlace(a: usize, b: usize, c: usize, W: i32, out: usize, divisors: usize): void {
  const zero = f32x4.splat(0);
  const last = W - 5; // the last group start whose columns o − 1 .. o + 4 are all in the row
  for (let o = 0; o < W; o += 4) {
    const off = <usize>o << 2;
    let sum: v128;
    if (o >= 4 && o <= last) {
      sum = v128.load(a + off - 4);
      sum = f32x4.add(sum, v128.load(a + off));
      sum = f32x4.add(sum, v128.load(a + off, 4));
      sum = f32x4.add(sum, v128.load(b + off - 4));
      sum = f32x4.add(sum, v128.load(b + off));
      sum = f32x4.add(sum, v128.load(b + off, 4));
      sum = f32x4.add(sum, v128.load(c + off - 4));
      sum = f32x4.add(sum, v128.load(c + off));
      sum = f32x4.add(sum, v128.load(c + off, 4));
    } else {
      // Lanes whose column lies outside [0, W) read +0 (an unsigned compare catches column −1).
      const cols = i32x4.add(i32x4.splat(o), i32x4(0, 1, 2, 3));
      const left = i32x4.ge_u(i32x4.sub(cols, i32x4.splat(1)), i32x4.splat(W));
      const mid = i32x4.ge_u(cols, i32x4.splat(W));
      const right = i32x4.ge_u(i32x4.add(cols, i32x4.splat(1)), i32x4.splat(W));
      sum = v128.bitselect(zero, v128.load(a + off - 4), left);
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(a + off), mid));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(a + off, 4), right));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off - 4), left));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off), mid));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off, 4), right));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off - 4), left));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off), mid));
      sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off, 4), right));
    }
    const v = f32x4.add(f32x4.div(sum, v128.load(divisors + off)), zero);
    if (o + 4 <= W) v128.store(out + off, v);
    else storeF32(out, o, W, v);
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
  const plane = <usize>n << 2;
  let p = p0;
  // Eight planes at a time: two independent chains of additions keep the adder busy.
  for (; p + 8 <= p1; p += 8) {
    const a = x + <usize>p * plane;
    const b = a + 4 * plane;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let e = 0;
    for (; e + 4 <= n; e += 4) {
      const off = <usize>e << 2;
      s0 = addCells(s0, v128.load(a + off), v128.load(a + plane + off), v128.load(a + 2 * plane + off), v128.load(a + 3 * plane + off));
      s1 = addCells(s1, v128.load(b + off), v128.load(b + plane + off), v128.load(b + 2 * plane + off), v128.load(b + 3 * plane + off));
    }
    for (; e < n; e++) {
      s0 = f32x4.add(s0, cellOf4(a + (<usize>e << 2), plane));
      s1 = f32x4.add(s1, cellOf4(b + (<usize>e << 2), plane));
    }
    v128.store(y + (<usize>p << 2), f32x4.div(f32x4.div(s0, dh), dw));
    v128.store(y + (<usize>(p + 4) << 2), f32x4.div(f32x4.div(s1, dh), dw));
  }
  for (; p + 4 <= p1; p += 4) {
    const a = x + <usize>p * plane;
    let sum = f32x4.splat(0);
    let e = 0;
    for (; e + 4 <= n; e += 4) {
      const off = <usize>e << 2;
      sum = addCells(sum, v128.load(a + off), v128.load(a + plane + off), v128.load(a + 2 * plane + off), v128.load(a + 3 * plane + off));
    }
    for (; e < n; e++) sum = f32x4.add(sum, cellOf4(a + (<usize>e << 2), plane));
    v128.store(y + (<usize>p << 2), f32x4.div(f32x4.div(sum, dh), dw));
  }
  for (; p < p1; p++) {
    const a = x + <usize>p * plane;
    let sum: f32 = 0;
    for (let e = 0; e < n; e++) sum += load<f32>(a + (<usize>e << 2));
    store<f32>(y + (<usize>p << 2), sum / <f32>H / <f32>W);
  }
}

/**
 * Add cells e .. e + 3 of four planes (ra .. rd: 4 cells of one plane each) to the planes' sums,
 * one cell at a time: a 4×4 transpose makes each step one vector holding cell e + k of every plane.
 */
@inline function addCells(sum: v128, ra: v128, rb: v128, rc: v128, rd: v128): v128 {
  const t0 = v128.shuffle<f32>(ra, rb, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(ra, rb, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(rc, rd, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(rc, rd, 2, 6, 3, 7);
  sum = f32x4.add(sum, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  sum = f32x4.add(sum, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  sum = f32x4.add(sum, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  return f32x4.add(sum, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** One cell (at `at` in the first plane) of four planes `plane` bytes apart, as one vector. */
@inline function cellOf4(at: usize, plane: usize): v128 {
  let v = f32x4.splat(load<f32>(at));
  v = f32x4.replace_lane(v, 1, load<f32>(at + plane));
  v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * plane));
  return f32x4.replace_lane(v, 3, load<f32>(at + 3 * plane));
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

export function avgBackwardScratchBytes(inW: i32, outW: i32, kW: i32): i32 {
  return (inW + outW + 2 * kW + 16) * 4 + 64;
}

/**
 * Average pooling backward: for each output cell in order, gradOut / divisor is added to every
 * cell of its window — the reference's order of float32 additions. `gin` must be zero.
 *
 * Stride 1 runs four input columns at once: for output row oh, input cell w receives the
 * deltas of outputs ow = w + pW − j for j = kW − 1 down to 0 (ow ascending, as the reference
 * adds them), read from a row of deltas padded with zeros (adding +0 to a sum that starts at
 * +0 changes nothing). Other strides take the reference loop.
 */
export function avgBackward(
  gin: usize, gout: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  divisorMode: i32, divisor: f32, scratch: usize,
): void {
  const countPad = divisorMode == 0;
  // Deltas of one output row at D[kW − 1 + ow], zeros around them.
  const D = (scratch + 15) & ~15;
  const dLength = inW + outW + 2 * kW + 16;
  for (let i = 0; i < dLength; i++) store<f32>(D + (i << 2), 0);
  for (let plane = p0; plane < p1; plane++) {
    const g = gin + (<usize>plane * inH * inW << 2);
    const go = gout + (<usize>plane * outH * outW << 2);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      const dh = extent(h0, kH, inH, pH, countPad);
      const hs = max(h0, 0);
      const he = min(h0 + kH, inH);
      if (sW != 1) {
        for (let ow = 0; ow < outW; ow++) {
          const w0 = ow * sW - pW;
          const d: f32 = divisorMode == 2 ? divisor : <f32>(dh * extent(w0, kW, inW, pW, countPad));
          const delta = load<f32>(go + ((<usize>oh * outW + ow) << 2)) / d;
          const ws = max(w0, 0);
          const we = min(w0 + kW, inW);
          for (let h = hs; h < he; h++) {
            const row = g + (<usize>h * inW << 2);
            for (let w = ws; w < we; w++) store<f32>(row + (w << 2), load<f32>(row + (w << 2)) + delta);
          }
        }
        continue;
      }
      for (let ow = 0; ow < outW; ow++) {
        const d: f32 = divisorMode == 2 ? divisor : <f32>(dh * extent(ow - pW, kW, inW, pW, countPad));
        store<f32>(D + ((kW - 1 + ow) << 2), load<f32>(go + ((<usize>oh * outW + ow) << 2)) / d);
      }
      for (let h = hs; h < he; h++) {
        const row = g + (<usize>h * inW << 2);
        let w = 0;
        for (; w + 4 <= inW; w += 4) {
          const at = D + ((w + pW) << 2); // + (kW − 1 − j) cells for tap j
          let acc = v128.load(row + (w << 2));
          for (let t = 0; t < kW; t++) acc = f32x4.add(acc, v128.load(at + (t << 2)));
          v128.store(row + (w << 2), acc);
        }
        for (; w < inW; w++) {
          let acc = load<f32>(row + (w << 2));
          for (let t = 0; t < kW; t++) acc += load<f32>(D + ((w + pW + t) << 2));
          store<f32>(row + (w << 2), acc);
        }
      }
    }
  }
}
