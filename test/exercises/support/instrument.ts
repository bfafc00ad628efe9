/**
 * An instrumented count of the module's own pooling: the max/avg kernels read their input through an
 * ArrayLike, so a Proxy that counts numeric-index reads, passed as the input, counts the elements the
 * kernel really reads. Loaded from the built dist/ with Node's require — the same module instances
 * `d2l-pooling` uses — so what is counted is exactly the code students run.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { torch } from "d2l-pooling";
import { projectRoot } from "../../../src/grader/paths";

type MaxModule = typeof import("../../../dist/pooling/max");
type AvgModule = typeof import("../../../dist/pooling/avg");
type GeometryModule = typeof import("../../../dist/pooling/geometry");

const req = createRequire(path.join(projectRoot(), "package.json"));
const dist = (file: string) => req(path.join(projectRoot(), "dist", "pooling", file));
const { maxPoolKernel } = dist("max.js") as MaxModule;
const { avgPoolKernel } = dist("avg.js") as AvgModule;
const { pool2dGeometry } = dist("geometry.js") as GeometryModule;

export interface Layer {
  c: number;
  h: number;
  w: number;
  kernel: readonly [number, number];
  /** PER SIDE, as PyTorch. */
  padding: readonly [number, number];
  stride: readonly [number, number];
}

const geometries = new Map<string, ReturnType<typeof pool2dGeometry>>();

/** The module's geometry for this layer (kept: a batch grades many submissions on the same layers). */
export function geometryOf(l: Layer) {
  const key = JSON.stringify([l.c, l.h, l.w, l.kernel, l.padding, l.stride]);
  let g = geometries.get(key);
  if (!g) {
    const input = torch.zeros(1, l.c, l.h, l.w);
    g = pool2dGeometry("max_pool2d", input as never, l.kernel, { stride: l.stride, padding: l.padding });
    if (geometries.size < 10_000) geometries.set(key, g);
  }
  return g;
}

function countingInput(n: number): { input: ArrayLike<number>; reads: () => number } {
  const data = new Float64Array(n).fill(1);
  let reads = 0;
  const input = new Proxy(data, {
    get(target, key) {
      if (typeof key === "string" && /^\d+$/.test(key)) {
        reads++;
        return target[Number(key)];
      }
      return Reflect.get(target, key);
    },
  });
  return { input, reads: () => reads };
}

/** Elements of the input the max-pool kernel reads for this layer. */
export function countMaxPoolReads(l: Layer): number {
  const g = geometryOf(l);
  const { input, reads } = countingInput(l.c * l.h * l.w);
  const size = g.planes * g.outH * g.outW;
  maxPoolKernel(input, new Float64Array(size), new Float64Array(size), g);
  return reads();
}

/** Elements of the input the avg-pool kernel reads for this layer (countIncludePad, PyTorch's default). */
export function countAvgPoolReads(l: Layer): number {
  const g = geometryOf(l);
  const { input, reads } = countingInput(l.c * l.h * l.w);
  avgPoolKernel(input, new Float64Array(g.planes * g.outH * g.outW), g, { countIncludePad: true });
  return reads();
}
