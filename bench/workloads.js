// The workloads of `npm run bench` (bench/pooling.js) and of its fresh processes
// (bench/pooling-fresh.js): the same inputs and calls for ours and TensorFlow.js.
const { torch, F } = require("../dist");
const { releaseStorage } = require("../dist/tensor/heap");

const MB = 1e6;
const f32 = (shape) => (shape.reduce((a, b) => a * b, 1) * 4) / MB;

// The four main workloads, then global average pooling and two backward passes.
// `moved`: megabytes our kernels must read and write at the least (input once, outputs once:
// int64 indices are 8 bytes each; a backward pass reads x and gradOut and writes gradIn) — the
// bench divides it by the copy bandwidth it measures for the limit column.
const WORKLOADS = [
  { name: "max 3×3 s2 p1, 8×64×112×112", main: true, op: "max", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1, moved: f32([8, 64, 112, 112]) + f32([8, 64, 56, 56]) },
  { name: "max 2×2 s2, 8×64×56×56", main: true, op: "max", shape: [8, 64, 56, 56], k: 2, s: 2, p: 0, moved: f32([8, 64, 56, 56]) + f32([8, 64, 28, 28]) },
  { name: "avg 3×3 s1 p1, 8×64×56×56", main: true, op: "avg", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1, moved: 2 * f32([8, 64, 56, 56]) },
  { name: "max 7×7 s1 p3, 8×64×56×56", main: true, op: "max", shape: [8, 64, 56, 56], k: 7, s: 1, p: 3, moved: 2 * f32([8, 64, 56, 56]) },
  { name: "global avg, 8×64×56×56", op: "global-avg", shape: [8, 64, 56, 56], moved: f32([8, 64, 56, 56]) },
  { name: "max 3×3 s2 p1 + indices, 8×64×112×112", op: "max-indices", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1, moved: f32([8, 64, 112, 112]) + 3 * f32([8, 64, 56, 56]) },
  // forward (x in, y out), then backward (x and gradOut in, gradIn out)
  { name: "max 3×3 s2 p1 fwd+bwd, 8×64×112×112", op: "max-backward", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1, moved: 3 * f32([8, 64, 112, 112]) + 2 * f32([8, 64, 56, 56]) },
  { name: "avg 3×3 s1 p1 fwd+bwd, 8×64×56×56", op: "avg-backward", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1, moved: 4 * f32([8, 64, 56, 56]) },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- ours ------------------------------------------------------------------------------------
/** The input values every library gets: standard normals, through a ReLU unless `plain`. */
function input(shape, plain = false) {
  torch.manualSeed(0);
  return plain ? torch.randn(shape) : torch.randn(shape).relu();
}

/** Free what a call returned (a tensor or [output, indices]), like tf.dispose. */
const free = (result) => (Array.isArray(result) ? result : [result]).forEach((t) => releaseStorage(t.data));

/**
 * A job { run, done } for workload `w`: `run()` makes one call, `done(result)` frees it with
 * releaseStorage (tf.dispose's twin) unless `release` is false. `x`: the input (else made here).
 */
function ours(w, { release = true, plain = false, x = input(w.shape, plain) } = {}) {
  const opts = { stride: w.s, padding: w.p };
  const done = release ? free : undefined;
  switch (w.op) {
    case "max":
      return { run: () => F.maxPool2d(x, w.k, opts), done };
    case "max-indices":
      return { run: () => F.maxPool2d(x, w.k, { ...opts, returnIndices: true }), done };
    case "avg":
      return { run: () => F.avgPool2d(x, w.k, opts), done };
    case "global-avg":
      return { run: () => F.adaptiveAvgPool2d(x, 1), done };
    case "max-backward": {
      // What autograd runs: the forward, then the backward pass (given the forward's arguments).
      const g = torch.ones(F.maxPool2d(x, w.k, opts).shape);
      const run = () => {
        const y = F.maxPool2d(x, w.k, opts);
        if (release) free(y);
        return F.maxPool2dBackward(g, x, w.k, opts);
      };
      return { run, done };
    }
    case "avg-backward": {
      const g = torch.ones(F.avgPool2d(x, w.k, opts).shape);
      const run = () => {
        const y = F.avgPool2d(x, w.k, opts);
        if (release) free(y);
        return F.avgPool2dBackward(g, x, w.k, opts);
      };
      return { run, done };
    }
  }
}

// ---- TensorFlow.js ---------------------------------------------------------------------------
let tf = null;
async function loadTf(backend) {
  if (!tf) {
    tf = require("@tensorflow/tfjs-core");
    require("@tensorflow/tfjs-backend-cpu");
    require("@tensorflow/tfjs-backend-wasm");
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
  await tf.ready();
  return tf;
}

/** The same values as ours (`x`, or made here), in tfjs' NHWC layout. */
function nhwc(shape, plain, x = input(shape, plain)) {
  const data = x.data;
  const [N, C, H, W] = shape;
  const out = new Float32Array(data.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let v = 0; v < W; v++) out[((n * H + h) * W + v) * C + c] = data[((n * C + c) * H + h) * W + v];
  return tf.tensor4d(out, [N, H, W, C]);
}

/**
 * A tfjs job for the current backend: each call reads its result back (`dataSync`), as a user
 * gets it; `done` disposes it; `cleanup()` disposes the input.
 */
function tfjs(w, plain = false, values = undefined) {
  const x = nhwc(w.shape, plain, values);
  const readBack = (r) => {
    (Array.isArray(r) ? r : [r]).forEach((t) => t.dataSync());
    return r;
  };
  const done = (r) => tf.dispose(r);
  const cleanup = () => x.dispose();
  const pool = w.op.startsWith("max") ? (t) => tf.maxPool(t, w.k, w.s, w.p) : (t) => tf.avgPool(t, w.k, w.s, w.p);
  switch (w.op) {
    case "max":
    case "avg":
      return { run: () => readBack(pool(x)), done, cleanup };
    case "max-indices":
      return {
        run: () => {
          const r = tf.maxPoolWithArgmax(x, w.k, w.s, w.p);
          return readBack([r.result, r.indexes]);
        },
        done,
        cleanup,
      };
    case "global-avg":
      return { run: () => readBack(tf.mean(x, [1, 2])), done, cleanup };
    case "max-backward":
    case "avg-backward": {
      // What tf.grad runs (the core package ships no gradient registry): forward, then the
      // backend's MaxPoolGrad / AvgPoolGrad kernel.
      const attrs = { filterSize: w.k, strides: w.s, pad: w.p };
      const dy = tf.onesLike(pool(x));
      const grad = (y) =>
        w.op === "max-backward"
          ? tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: y }, attrs)
          : tf.engine().runKernel("AvgPoolGrad", { dy, input: x }, attrs);
      const run = () => {
        const y = pool(x);
        const g = grad(y);
        y.dispose();
        return readBack(g);
      };
      return { run, done, cleanup: () => tf.dispose([x, dy]) };
    }
  }
}

module.exports = { WORKLOADS, median, input, free, ours, loadTf, tfjs };
