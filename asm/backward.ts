// Backward passes. Each kernel writes every cell of its planes of gradIn, so the JS side hands
// over uninitialised memory: where a gradient needs zeros first (max pooling, strides above 1),
// the thread that fills a plane zeroes it just before, while it is in its cache.
import { extent } from "./avg";
import { maxPlane, maxScratchBytes } from "./max";
import { ceil4, storeF32, sum3x3 } from "./simd";

/** Zero `count` floats at `at`. */
function zeroF32(at: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = at + (<usize>i << 2);
    v128.store(p, zero);
    v128.store(p, zero, 16);
    v128.store(p, zero, 32);
    v128.store(p, zero, 48);
  }
  for (; i < count; i++) store<f32>(at + (<usize>i << 2), 0);
}

// ---- max pooling -------------------------------------------------------------------------------

export function maxBackwardScratchBytes(kH: i32, outH: i32, outW: i32): i32 {
  // one plane's maxima and indices, then maxPlane's own scratch
  return 2 * (ceil4(outH * outW) << 2) + maxScratchBytes(kH, outW) + 32;
}

/**
 * Max pooling backward over planes [p0, p1): for each plane, the forward's maxima and int32
 * indices into scratch (maxPlane: the forward's own kernel, so the same first maximum), then the
 * plane of gradIn zeroed and gradIn[index] += gradOut in output order — the reference's order of
 * float32 additions. Nothing but scratch is written between the forward and the scatter, and no
 * index ever leaves the thread: PyTorch saves int64 indices in the forward and reads them back.
 */
export function maxBackward(
  gin: usize, gout: usize, x: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  scratch: usize,
): void {
  const inPlane = <usize>inH * inW;
  const outPlane = <usize>outH * outW;
  const values = (scratch + 15) & ~15;
  const index = values + (<usize>ceil4(outH * outW) << 2);
  const ring = index + (<usize>ceil4(outH * outW) << 2);
  for (let plane = <usize>p0; plane < <usize>p1; plane++) {
    maxPlane(x + (plane * inPlane << 2), values, index, false, inH, inW, outH, outW, kH, kW, sH, sW, pH, pW, ring);
    const g = gin + (plane * inPlane << 2);
    const go = gout + (plane * outPlane << 2);
    zeroF32(g, inH * inW);
    for (let i: usize = 0; i < outPlane; i++) {
      const at = g + (<usize>load<i32>(index + (i << 2)) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(go + (i << 2)));
    }
  }
}

// ---- average pooling ---------------------------------------------------------------------------

/** Stride 1: row length of the padded plane of deltas (see avgBackward). */
@inline function deltaRow(inW: i32, kW: i32, pW: i32): i32 {
  return ceil4(inW + pW + kW + 3);
}

export function avgBackwardScratchBytes(inH: i32, inW: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32): i32 {
  const divisors = ceil4(outW) + 4;
  if (sH == 1 && sW == 1) return ((inH + pH + kH) * deltaRow(inW, kW, pW) + divisors) * 4 + 64;
  return (inW + outW + 2 * kW + 16 + divisors) * 4 + 64;
}

/**
 * Average pooling backward over planes [p0, p1), in the reference's order of float32 additions:
 * each input cell receives gradOut / divisor of every output whose window holds it, outputs in
 * row-major order, starting from +0.
 *
 * Stride 1 gathers instead of scattering: output (oh, ow) covers cell (h, w) exactly when
 * oh = h + pH − (kH − 1) + t and ow = w + pW − (kW − 1) + j for taps t < kH, j < kW; ascending
 * taps are ascending outputs. So the plane's deltas go into a plane padded with kH − 1 rows and
 * kW − 1 columns of zeros, and each cell is the sum of its kH × kW taps there, top to bottom,
 * left to right, four cells at a time — one write per cell, no zeroing. (A padding zero adds
 * +0 to a sum that started at +0: no change.) Other strides zero the plane, then add each
 * output's delta to its window: for stride 1 along the rows four cells at a time from a row of
 * deltas, else one cell at a time.
 */
export function avgBackward(
  gin: usize, gout: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  divisorMode: i32, divisor: f32, scratch: usize,
): void {
  const countPad = divisorMode == 0;
  // Each output column's divisor along the row (countPad or real cells), as float32.
  const divW = (scratch + 15) & ~15;
  const work = divW + ((ceil4(outW) + 4) << 2);
  for (let ow = 0; ow < outW; ow++) store<f32>(divW + (ow << 2), <f32>extent(ow * sW - pW, kW, inW, pW, countPad));
  if (sH == 1 && sW == 1) {
    avgBackwardGather(gin, gout, p0, p1, inH, inW, outH, outW, kH, kW, pH, pW, divisorMode, divisor, divW, work);
    return;
  }
  // Deltas of one output row at D[kW − 1 + ow], zeros around them.
  const D = work;
  const dLength = inW + outW + 2 * kW + 16;
  for (let i = 0; i < dLength; i++) store<f32>(D + (i << 2), 0);
  for (let plane = p0; plane < p1; plane++) {
    const g = gin + (<usize>plane * inH * inW << 2);
    const go = gout + (<usize>plane * outH * outW << 2);
    zeroF32(g, inH * inW);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      const dh = <f32>extent(h0, kH, inH, pH, countPad);
      const hs = max(h0, 0);
      const he = min(h0 + kH, inH);
      if (sW != 1) {
        for (let ow = 0; ow < outW; ow++) {
          const w0 = ow * sW - pW;
          const d: f32 = divisorMode == 2 ? divisor : dh * load<f32>(divW + (ow << 2));
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
        const d: f32 = divisorMode == 2 ? divisor : dh * load<f32>(divW + (ow << 2));
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

/**
 * Stride 1 (see avgBackward): delta (oh, ow) sits at row oh + kH − 1, column ow + kW − 1 of a
 * zero-bordered plane P (rows of deltaRow cells); cell (h, w) sums P[h + pH + t][w + pW + j].
 */
function avgBackwardGather(
  gin: usize, gout: usize, p0: i32, p1: i32,
  inH: i32, inW: i32, outH: i32, outW: i32, kH: i32, kW: i32, pH: i32, pW: i32,
  divisorMode: i32, divisor: f32, divW: usize, P: usize,
): void {
  const countPad = divisorMode == 0;
  const L = deltaRow(inW, kW, pW);
  const rowBytes = <usize>L << 2;
  const rows = inH + pH + kH; // rows read: up to inH − 1 + pH + kH − 1
  const zero = f32x4.splat(0);
  for (let i = 0; i < rows * L; i += 4) v128.store(P + (<usize>i << 2), zero);
  const fixed = f32x4.splat(divisor);
  for (let plane = p0; plane < p1; plane++) {
    const g = gin + (<usize>plane * inH * inW << 2);
    const go = gout + (<usize>plane * outH * outW << 2);
    // The deltas, written inside the zero border (partial stores keep the border zero).
    for (let oh = 0; oh < outH; oh++) {
      const dh = f32x4.splat(<f32>extent(oh - pH, kH, inH, pH, countPad));
      const src = go + (<usize>oh * outW << 2);
      const dst = P + <usize>(oh + kH - 1) * rowBytes + ((kW - 1) << 2);
      let o = 0;
      if (divisorMode != 2) {
        // whole groups with nothing to decide, then the rest (partial stores)
        for (; o + 4 <= outW; o += 4) v128.store(dst + (o << 2), f32x4.div(v128.load(src + (o << 2)), f32x4.mul(dh, v128.load(divW + (o << 2)))));
      }
      for (; o < outW; o += 4) {
        const d = divisorMode == 2 ? fixed : f32x4.mul(dh, v128.load(divW + (o << 2)));
        storeF32(dst, o, outW, f32x4.div(v128.load(src + (o << 2)), d));
      }
    }
    // Each cell: its taps top to bottom, left to right.
    for (let h = 0; h < inH; h++) {
      const top = P + <usize>(h + pH) * rowBytes + (pW << 2);
      const out = g + (<usize>h * inW << 2);
      if (kH == 3 && kW == 3) {
        sumRows3x3(top, top + rowBytes, top + 2 * rowBytes, inW, out);
        continue;
      }
      for (let w = 0; w < inW; w += 4) {
        let sum = zero;
        for (let t = 0; t < kH; t++) {
          const at = top + <usize>t * rowBytes + (w << 2);
          for (let j = 0; j < kW; j++) sum = f32x4.add(sum, v128.load(at + (j << 2)));
        }
        storeF32(out, w, inW, sum);
      }
    }
  }
}

/** out[w] = the 3×3 sum of taps a[w] … c[w + 2] as from +0 (sum3x3, then + 0), four cells at a time. */
function sumRows3x3(a: usize, b: usize, c: usize, n: i32, out: usize): void {
  const zero = f32x4.splat(0);
  let w = 0;
  for (; w + 4 <= n; w += 4) v128.store(out + (<usize>w << 2), f32x4.add(sum3x3(a, b, c, <usize>w << 2), zero));
  for (; w < n; w += 4) storeF32(out, w, n, f32x4.add(sum3x3(a, b, c, <usize>w << 2), zero));
}
