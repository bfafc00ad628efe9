// Global average pooling (adaptive output 1×1).


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
