// Max pooling, stage two: combine each output row's input rows; and the kernel over planes.
import { ceil4, maxNaN, storeF32, storeIndex, sumIsNaN, takeMask } from "./simd";
import { rowMax } from "./max-rows";

/**
 * 2×2 / stride 2 without padding, values only — the classic pool: no ring, each output row reads
 * its two input rows once (8 cells each per 4 outputs: even and odd lanes), in row order. An
 * output row whose cells hold a NaN is redone with the NaN-exact step. A ragged last group may
 * load a few cells past its row (the next row, or the heap's slack): those lanes are not stored,
 * and at worst they send the row down the exact path.
 */
function maxPlane2x2(xin: usize, out: usize, inW: i32, outH: i32, outW: i32): void {
  for (let oh = 0; oh < outH; oh++) {
    const r0 = xin + (<usize>(2 * oh) * inW << 2);
    const r1 = r0 + (<usize>inW << 2);
    const row = out + (<usize>oh * outW << 2);
    if (max2x2Row(r0, r1, outW, row, false)) max2x2Row(r0, r1, outW, row, true);
  }
}

function max2x2Row(r0: usize, r1: usize, outW: i32, out: usize, exact: bool): bool {
  let n0 = f32x4.splat(0);
  let n1 = f32x4.splat(0);
  let n2 = f32x4.splat(0);
  let n3 = f32x4.splat(0);
  let o = 0;
  if (!exact) {
    // Whole groups with nothing to decide; the last group (maybe ragged) below.
    for (; o + 4 < outW; o += 4) {
      const at = <usize>o << 3;
      const a0 = v128.load(r0 + at);
      const b0 = v128.load(r0 + at, 16);
      const a1 = v128.load(r1 + at);
      const b1 = v128.load(r1 + at, 16);
      n0 = f32x4.add(n0, a0);
      n1 = f32x4.add(n1, b0);
      n2 = f32x4.add(n2, a1);
      n3 = f32x4.add(n3, b1);
      let acc = f32x4.pmax(v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), v128.shuffle<f32>(a0, b0, 1, 3, 5, 7));
      acc = f32x4.pmax(acc, v128.shuffle<f32>(a1, b1, 0, 2, 4, 6));
      v128.store(out + (<usize>o << 2), f32x4.pmax(acc, v128.shuffle<f32>(a1, b1, 1, 3, 5, 7)));
    }
  }
  for (; o < outW; o += 4) {
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
    storeF32(out, o, outW, acc);
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
 * combine3 carrying the maxima's flat indices (each ring row's sit `toIndex` bytes after its
 * values): the maximum by pmax, then the first row whose value equals it — the reference's first
 * maximum in row-major order, each row's index being its own first maximum. Rows without NaN.
 */
function combine3Index(a: usize, b: usize, c: usize, toIndex: usize, outW: i32, out: usize, outI: usize, asF64: bool): void {
  let o = 0;
  if (asF64) {
    // Whole groups with nothing to decide (int64 indices, or int32 for the backward), then the
    // rest. Two copies of the loop on purpose: one loop with the index type decided inside was
    // 6% slower (A/B on one thread).
    for (; o + 4 <= outW; o += 4) {
      const at = <usize>o << 2;
      const va = v128.load(a + at);
      const vb = v128.load(b + at);
      const acc = f32x4.pmax(f32x4.pmax(va, vb), v128.load(c + at));
      const ib = v128.bitselect(v128.load(b + toIndex + at), v128.load(c + toIndex + at), f32x4.eq(vb, acc));
      const idx = v128.bitselect(v128.load(a + toIndex + at), ib, f32x4.eq(va, acc));
      v128.store(out + at, acc);
      v128.store(outI + (at << 1), f64x2.convert_low_i32x4_s(idx));
      v128.store(outI + (at << 1), f64x2.convert_low_i32x4_s(v128.shuffle<i32>(idx, idx, 2, 3, 0, 1)), 16);
    }
  } else {
    for (; o + 4 <= outW; o += 4) {
      const at = <usize>o << 2;
      const va = v128.load(a + at);
      const vb = v128.load(b + at);
      const acc = f32x4.pmax(f32x4.pmax(va, vb), v128.load(c + at));
      const ib = v128.bitselect(v128.load(b + toIndex + at), v128.load(c + toIndex + at), f32x4.eq(vb, acc));
      v128.store(out + at, acc);
      v128.store(outI + at, v128.bitselect(v128.load(a + toIndex + at), ib, f32x4.eq(va, acc)));
    }
  }
  for (; o < outW; o += 4) {
    const at = <usize>o << 2;
    const va = v128.load(a + at);
    const vb = v128.load(b + at);
    const acc = f32x4.pmax(f32x4.pmax(va, vb), v128.load(c + at));
    const ib = v128.bitselect(v128.load(b + toIndex + at), v128.load(c + toIndex + at), f32x4.eq(vb, acc));
    const idx = v128.bitselect(v128.load(a + toIndex + at), ib, f32x4.eq(va, acc));
    storeF32(out, o, outW, acc);
    storeIndex(outI, o, outW, idx, asF64);
  }
}

export function maxScratchBytes(kH: i32, outW: i32): i32 {
  // ring of kH value rows and kH index rows; per slot: its row, NaN flag, pointer
  return (2 * kH * ceil4(outW) + 3 * kH) * 4 + 64;
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
  const inPlane = <usize>inH * inW;
  const outPlane = <usize>outH * outW;
  const ixShift = indexF64 ? 3 : 2;
  for (let plane = <usize>p0; plane < <usize>p1; plane++) {
    const outI = yi ? yi + (plane * outPlane << ixShift) : 0;
    maxPlane(x + (plane * inPlane << 2), y + (plane * outPlane << 2), outI, indexF64, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, scratch);
  }
}

/** One plane of maxPool: input at `xin`, maxima at `out`, their indices at `outI` (or 0). */
export function maxPlane(
  xin: usize, out: usize, outI: usize, indexF64: bool,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  scratch: usize,
): void {
  const withIndex = outI != 0;
  if (!withIndex && kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0 && 2 * outH <= inH && 2 * outW <= inW) {
    maxPlane2x2(xin, out, inW, outH, outW);
    return;
  }
  const outWp = ceil4(outW);
  const ringV = (scratch + 15) & ~15;
  const ringI = ringV + ((kH * outWp) << 2);
  const slotRow = ringI + ((kH * outWp) << 2);
  const slotNaN = slotRow + (kH << 2);
  const rowsV = slotNaN + (kH << 2); // this window's rows, top to bottom: ring pointers
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
        const rowNaN = rowMax(xin + (<usize>h * inW << 2), inW, outW, kW, sW, pW, o0, o1, H, HI, h * inW);
        store<i32>(slotRow + (slot << 2), h);
        store<i32>(slotNaN + (slot << 2), rowNaN ? 1 : 0);
      }
      nan |= load<i32>(slotNaN + (slot << 2)) != 0;
      store<i32>(rowsV + (t << 2), H);
    }
    // Then combine the rows, top to bottom.
    const row = out + (<usize>oh * outW << 2);
    const first = <usize>load<i32>(rowsV);
    if (!withIndex) {
      if (nan) {
        for (let o = 0; o < outW; o += 4) {
          let acc = v128.load(first + (o << 2));
          for (let t = 1; t < n; t++) acc = maxNaN(acc, v128.load(<usize>load<i32>(rowsV + (t << 2)) + (o << 2)));
          storeF32(row, o, outW, acc);
        }
      } else if (n == 2) {
        combine2(first, <usize>load<i32>(rowsV + 4), outW, row);
      } else if (n == 3) {
        combine3(first, <usize>load<i32>(rowsV + 4), <usize>load<i32>(rowsV + 8), outW, row);
      } else {
        for (let o = 0; o < outW; o += 4) {
          let acc = v128.load(first + (o << 2));
          for (let t = 1; t < n; t++) acc = f32x4.pmax(acc, v128.load(<usize>load<i32>(rowsV + (t << 2)) + (o << 2)));
          storeF32(row, o, outW, acc);
        }
      }
    } else {
      const rowI = outI + (<usize>oh * outW << ixShift);
      const toIndex = ringI - ringV; // a value row's index row is this far on
      if (n == 3 && !nan) {
        const b = <usize>load<i32>(rowsV + 4);
        const c = <usize>load<i32>(rowsV + 8);
        combine3Index(first, b, c, toIndex, outW, row, rowI, indexF64);
        continue;
      }
      for (let o = 0; o < outW; o += 4) {
        let acc = v128.load(first + (o << 2));
        let idx = v128.load(first + toIndex + (o << 2));
        for (let t = 1; t < n; t++) {
          const r = <usize>load<i32>(rowsV + (t << 2)) + (o << 2);
          const v = v128.load(r);
          const m = takeMask(acc, v, nan);
          acc = v128.bitselect(v, acc, m);
          idx = v128.bitselect(v128.load(r + toIndex), idx, m);
        }
        storeF32(row, o, outW, acc);
        storeIndex(rowI, o, outW, idx, indexF64);
      }
    }
  }
}
