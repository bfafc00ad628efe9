// A plain copy over planes, on the kernels' threads: `npm run bench` times it beside the pooling
// kernels as the machine's copy bandwidth (the floor any kernel that reads its input and writes
// its output can reach).

/** Copy planes [p0, p1) of `planeBytes` bytes each from `src` to `dst`. */
export function copyPlanes(src: usize, dst: usize, p0: i32, p1: i32, planeBytes: i32): void {
  const at = <usize>p0 * planeBytes;
  memory.copy(dst + at, src + at, <usize>(p1 - p0) * planeBytes);
}
