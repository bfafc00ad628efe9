// Max pooling, stage one: the horizontal maxima of one input row (asm/max.ts combines the rows).
import { NEG_INF, maxNaN, sumIsNaN, takeMask } from "./simd";

// ---- max pooling -------------------------------------------------------------------------------
// Each input row's horizontal maxima go into a ring of kH rows (values, and column indices when
// asked), then each output row combines the rows of its window. Inside the row the windows are
// read straight from the tensor, four outputs at a time; a group of four whose windows reach into
// the padding uses the same loads with the cells outside the row masked to -inf (rowMaxEdge), and
// strides above 2 take the exact scalar loop (rowMaxScalar).



/**
 * Outputs [o0, o1) of one row by the reference loop itself: the window clipped to the row, a
 * strictly larger value or a NaN replaces the maximum. Returns whether a maximum is NaN.
 */
function rowMaxScalar(xr: usize, inW: i32, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize, hw: i32): bool {
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
    if (HI) store<i32>(HI + (<usize>o << 2), hw + at);
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

/** rowMaxSimd that also carries each maximum's flat index (the row's h·W, `hw`, + its column) into HI. */
function rowMaxIndexSimd(xr: usize, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize, hw: i32, exact: bool): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  if (sW == 1) {
    const lanes = i32x4(0, 1, 2, 3);
    for (let o = o0; o < o1; o += 4) {
      const base = xr + ((o - pW) << 2);
      const col = i32x4.add(i32x4.splat(hw + o - pW), lanes);
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
      const col = i32x4.add(i32x4.splat(hw + 2 * o - pW), lanes);
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
function rowMax3s2(xr: usize, pW: i32, o1: i32, H: usize, HI: usize, hw: i32, exact: bool): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  let prevO = f32x4.splat(NEG_INF);
  const lanes = i32x4(0, 2, 4, 6);
  const one = i32x4.splat(1);
  const first = i32x4.splat(hw); // column 0's flat index: a pad's column (-1) is clamped to it
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
    } else if (!exact) {
      // The maximum by pmax, then its column: the first tap equal to it is the one the
      // reference keeps (a later tap replaces only when strictly greater; -0 == +0 keeps the
      // first). c0 + 2 + 2·e0 + e1 with masks of -1: t0 → c0, t1 → c0 + 1, else c0 + 2.
      const acc = f32x4.pmax(f32x4.pmax(t0, t1), t2);
      const e0 = f32x4.eq(t0, acc);
      const e1 = v128.andnot(f32x4.eq(t1, acc), e0);
      const idx = i32x4.add(i32x4.add(i32x4.splat(hw + 2 * o - pW + 2), lanes), i32x4.add(i32x4.add(e0, e0), e1));
      v128.store(H + (o << 2), acc);
      v128.store(HI + (o << 2), i32x4.max_s(idx, first));
    } else {
      // Flat index of t0; t1 and t2 are one and two further. A pad's column is clamped to 0.
      const c0 = i32x4.add(i32x4.splat(hw + 2 * o - pW), lanes);
      let acc = t0;
      let idx = c0;
      let m = takeMask(acc, t1, true);
      acc = v128.bitselect(t1, acc, m);
      idx = v128.bitselect(i32x4.add(c0, one), idx, m);
      m = takeMask(acc, t2, true);
      acc = v128.bitselect(t2, acc, m);
      idx = v128.bitselect(i32x4.add(c0, i32x4.splat(2)), idx, m);
      v128.store(H + (o << 2), acc);
      v128.store(HI + (o << 2), i32x4.max_s(idx, first));
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

/**
 * rowMax3s2p1 carrying flat indices (the row's h·W is `hw`): the maximum by pmax, then the first
 * tap equal to it (see rowMax3s2). The first group's pad column is clamped to the row's first cell.
 */
function rowMax3s2p1Index(xr: usize, o1: i32, H: usize, HI: usize, hw: i32): bool {
  let nanA = f32x4.splat(0);
  let nanB = f32x4.splat(0);
  let prevO = f32x4.splat(NEG_INF);
  // Flat index of each group's third tap, and the step to the next group's.
  let third = i32x4.add(i32x4.splat(hw + 1), i32x4(0, 2, 4, 6));
  const step = i32x4.splat(8);
  for (let o = 0; o < o1; o += 4) {
    const at = xr + (<usize>o << 3);
    const a = v128.load(at);
    const b = v128.load(at, 16);
    nanA = f32x4.add(nanA, a);
    nanB = f32x4.add(nanB, b);
    const E = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const O = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const t0 = v128.shuffle<f32>(prevO, O, 3, 4, 5, 6);
    const acc = f32x4.pmax(f32x4.pmax(t0, E), O);
    const e0 = f32x4.eq(t0, acc);
    const e1 = v128.andnot(f32x4.eq(E, acc), e0);
    v128.store(H + (<usize>o << 2), acc);
    v128.store(HI + (<usize>o << 2), i32x4.add(third, i32x4.add(i32x4.add(e0, e0), e1)));
    third = i32x4.add(third, step);
    prevO = O;
  }
  if (o1 > 0) store<i32>(HI, max(load<i32>(HI), hw)); // the first window's pad column
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
 * NaN-exact step. Columns (HI != 0) are clamped at 0: a window that starts in the left
 * padding and holds only -inf reports its first real cell, column 0, as the reference does.
 * Returns whether a maximum is NaN.
 */
function rowMaxEdge(xr: usize, inW: i32, kW: i32, sW: i32, pW: i32, o: i32, H: usize, HI: usize, hw: i32): bool {
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
  if (HI) v128.store(HI + (o << 2), i32x4.add(i32x4.max_s(idx, i32x4.splat(0)), i32x4.splat(hw)));
  return sumIsNaN(acc);
}

/**
 * The horizontal maxima of one input row into H, and when HI != 0 their flat indices into HI:
 * the row's h·W (`hw`) + the column, so combining rows needs no arithmetic on indices.
 * Outputs [o0, o1) read the row in place with rowMaxSimd (3×3 / stride 2: rowMax3s2 and its
 * hot loops); the groups outside it take rowMaxEdge; strides above 2 take the scalar loop.
 * Returns whether H may hold a NaN (then the rows are combined with the NaN-exact step).
 */
export function rowMax(xr: usize, inW: i32, outW: i32, kW: i32, sW: i32, pW: i32, o0: i32, o1: i32, H: usize, HI: usize, hw: i32): bool {
  if (sW > 2) return rowMaxScalar(xr, inW, kW, sW, pW, 0, outW, H, HI, hw);
  let nan = false;
  if (kW == 3 && sW == 2 && pW <= 1) {
    const o1s = special3s2End(inW, outW, pW);
    for (let o = o1s; o < outW; o += 4) nan |= rowMaxEdge(xr, inW, kW, sW, pW, o, H, HI, hw);
    if (o1s > 0) {
      let inner = HI
        ? pW == 1 ? rowMax3s2p1Index(xr, o1s, H, HI, hw) : rowMax3s2(xr, pW, o1s, H, HI, hw, false)
        : pW == 1 ? rowMax3s2p1(xr, o1s, H) : rowMax3s2p0(xr, o1s, H);
      inner = inner || nanInColumns(xr, 2 * o1s, min(2 * o1s + 1, inW));
      if (inner) {
        rowMax3s2(xr, pW, o1s, H, HI, hw, true);
        nan = true;
      }
    }
    return nan;
  }
  for (let o = 0; o < outW; o += 4) {
    if (o == o0 && o1 > o0) o = o1; // the inside groups, below
    if (o >= outW) break;
    nan |= rowMaxEdge(xr, inW, kW, sW, pW, o, H, HI, hw);
  }
  if (o1 > o0) {
    let inner = HI ? rowMaxIndexSimd(xr, kW, sW, pW, o0, o1, H, HI, hw, false) : rowMaxSimd(xr, kW, sW, pW, o0, o1, H, false);
    // The first taps tiled columns [sW·o0 − pW, sW·o1 − pW); the last windows read a little further.
    inner = inner || nanInColumns(xr, sW * o1 - pW, min(sW * (o1 - 1) - pW + kW, inW));
    if (inner) {
      if (HI) rowMaxIndexSimd(xr, kW, sW, pW, o0, o1, H, HI, hw, true);
      else rowMaxSimd(xr, kW, sW, pW, o0, o1, H, true);
      nan = true;
    }
  }
  return nan;
}
