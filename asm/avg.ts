// Average pooling.
import { ceil4, storeF32, sum3x3 } from "./simd";

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
@inline export function extent(start: i32, k: i32, size: i32, pad: i32, countPad: bool): i32 {
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
 * nothing left to decide inside the loop); the final + 0 makes an all-zero sum +0.
 */
function avgRow3x3(a: usize, b: usize, c: usize, outW: i32, out: usize, dh: v128, divW: usize, fixed: bool, dov: v128): void {
  const zero = f32x4.splat(0);
  for (let o = 0; o < outW; o += 4) {
    const off = <usize>o << 2;
    const sum = sum3x3(a, b, c, off);
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
  // The first group, masked; then the inside groups with nothing to decide (a short loop body
  // keeps more groups' chains of additions in flight); then the last groups, masked.
  avgGroup3x3Masked(a, b, c, W, 0, out, divisors);
  let o = 4;
  for (; o + 4 <= last; o += 8) {
    const off = <usize>o << 2;
    const s0 = sum3x3(a, b, c, off - 4);
    const s1 = sum3x3(a, b, c, off + 12);
    v128.store(out + off, f32x4.add(f32x4.div(s0, v128.load(divisors + off)), zero));
    v128.store(out + off + 16, f32x4.add(f32x4.div(s1, v128.load(divisors + off + 16)), zero));
  }
  for (; o <= last; o += 4) {
    const off = <usize>o << 2;
    v128.store(out + off, f32x4.add(f32x4.div(sum3x3(a, b, c, off - 4), v128.load(divisors + off)), zero));
  }
  for (; o < W; o += 4) avgGroup3x3Masked(a, b, c, W, o, out, divisors);
}

/** One group of avgRow3x3InPlace with the lanes whose column lies outside [0, W) read as +0. */
@inline function avgGroup3x3Masked(a: usize, b: usize, c: usize, W: i32, o: i32, out: usize, divisors: usize): void {
  const zero = f32x4.splat(0);
  const off = <usize>o << 2;
  // An unsigned compare catches column −1.
  const cols = i32x4.add(i32x4.splat(o), i32x4(0, 1, 2, 3));
  const left = i32x4.ge_u(i32x4.sub(cols, i32x4.splat(1)), i32x4.splat(W));
  const mid = i32x4.ge_u(cols, i32x4.splat(W));
  const right = i32x4.ge_u(i32x4.add(cols, i32x4.splat(1)), i32x4.splat(W));
  let sum = v128.bitselect(zero, v128.load(a + off - 4), left);
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(a + off), mid));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(a + off, 4), right));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off - 4), left));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off), mid));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(b + off, 4), right));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off - 4), left));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off), mid));
  sum = f32x4.add(sum, v128.bitselect(zero, v128.load(c + off, 4), right));
  storeF32(out, o, W, f32x4.add(f32x4.div(sum, v128.load(divisors + off)), zero));
}
