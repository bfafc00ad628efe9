/**
 * Fresh cases of the same kind, for the instructor's grading (a grading seed is set): a part built
 * on fixed, public cases also checks, for each of its calls, one case drawn for this grading — so a
 * submission that only replays the release's recorded values (or hard-codes the public answers)
 * fails it, and an honest one passes it as surely as the fixed case.
 *
 * - Tensor arguments: their values shuffled (one shuffle per shape, so paired inputs such as
 *   `maxViaRelu(a, b)` stay paired: a tie stays a tie) and float ones scaled by a power of two (exact:
 *   signs, ties, zeros, NaN and ±inf stay what they were). Shapes, dtypes and the other arguments
 *   (window, stride, options, pooling functions) are kept.
 * - Calls that take only numbers: a valid case drawn for the function (`NUMERIC` below).
 * - Anything else: no fresh case (the part keeps its fixed ones).
 *
 * The expected value of a fresh case comes from the reference solution (never from the student).
 */
import { Tensor } from "d2l-pooling";

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
}

/** mulberry32: small, fast, good enough to draw cases. */
export function rngFrom(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

export interface FreshCase {
  args: unknown[];
  /** What float values were multiplied by (absolute tolerances scale with it). */
  scale: number;
}

const pair = (rng: Rng, lo: number, hi: number): [number, number] => [rng.int(lo, hi), rng.int(lo, hi)];

/** A layer (c, h, w, kernel, padding, stride) with at least one output; `total`: padding is the total of both sides. */
function layer(rng: Rng, total: boolean): unknown[] {
  const k = pair(rng, 1, 4);
  const s = pair(rng, 1, 4);
  const p = k.map((kk) => rng.int(0, total ? kk : Math.floor(kk / 2))) as [number, number];
  const minSide = (i: 0 | 1) => Math.max(1, k[i] - (total ? p[i] : 2 * p[i]));
  return [rng.int(1, 4), rng.int(minSide(0), minSide(0) + 9), rng.int(minSide(1), minSide(1) + 9), k, p, s];
}

/** Fresh cases for the functions that take only numbers: exercise → function → a case. */
const NUMERIC: Record<string, Record<string, (rng: Rng) => unknown[]>> = {
  "avg-pool-as-conv": { avgPoolWeight: (rng) => [rng.int(1, 4), pair(rng, 1, 4)] },
  "max-via-relu": { reluTournament: (rng) => [rng.int(1, 40)] },
  "pooling-cost": { d2lPoolingCost: (rng) => layer(rng, true), poolingReads: (rng) => layer(rng, false) },
};

function shuffled(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** A fresh case of the same kind as `fn(...args)` of `exercise`, or null when there is none. */
export function freshCase(exercise: string, fn: string, args: readonly unknown[], rng: Rng): FreshCase | null {
  const numeric = NUMERIC[exercise]?.[fn];
  if (numeric) return { args: numeric(rng), scale: 1 };
  let tensors = 0;
  const scale = rng.next() < 0.5 ? 0.5 : 2;
  const perms = new Map<number, number[]>();
  const fresh = (v: unknown, depth: number): unknown => {
    if (v instanceof Tensor) {
      tensors++;
      const n = v.data.length;
      let perm = perms.get(n);
      if (!perm) perms.set(n, (perm = shuffled(n, rng)));
      const data = v.data.slice();
      const float = v.dtype === "float32" || v.dtype === "float64";
      for (let i = 0; i < n; i++) data[i] = float ? v.data[perm[i]] * scale : v.data[perm[i]];
      return new Tensor(data, v.shape, v.dtype);
    }
    if (depth < 4 && Array.isArray(v)) return v.map((x) => fresh(x, depth + 1));
    if (depth < 4 && v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fresh(x, depth + 1)]));
    }
    return v;
  };
  const out = args.map((a) => fresh(a, 0));
  return tensors ? { args: out, scale } : null;
}
