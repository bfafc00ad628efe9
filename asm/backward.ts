// Backward passes.
import { extent } from "./avg";


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
