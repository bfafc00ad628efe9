/**
 * The pooling module against real PyTorch. Every expected value, index, gradient, error message
 * and module repr in test/fixtures/pool-*.json and modules.json was produced by PyTorch 2.13
 * (from pip, the version pinned in scripts/requirements-fixtures.txt) with
 *   npm run fixtures        (scripts/make_fixtures.py in the venv scripts/fixtures.js makes)
 * Each case is a direct call: what PyTorch returned, or the error it raised, in its own words.
 * Padding against kernel size and dilation is swept as a grid (tag "pad-dilation-grid").
 *
 * How results are compared
 * - max_pool2d, adaptive_max_pool2d, max_unpool2d (values and int64 indices), their gradients,
 *   shapes and dtypes: IDENTICAL. NaN equals NaN; otherwise Object.is, so +0 and -0 differ
 *   (PyTorch copies the winning element, it never makes a new zero).
 * - avg_pool2d, adaptive_avg_pool2d forward: at most AVG_ULPS units in the last place of the
 *   dtype (float32 or float64). PyTorch sums a window in row-then-column order in the input
 *   dtype and divides once (adaptive: sum / kh / kw); int64 results are exact.
 *   Exception: output size (1, 1) is PyTorch's mean() path (see expectGlobalMean).
 * - lp_pool2d forward: at most LP_ULPS ulps. pow() is libm/Sleef in PyTorch and Math.pow here.
 * - avg / adaptive-avg gradients: AVG_GRAD_ULPS ulps; lp gradients: LP_GRAD_ULPS ulps. Where
 *   contributions of different sign cancel, ulps of the result say little, so a gradient
 *   element may instead be within GRAD_ABS_REL × (largest |expected| of that tensor).
 * - A tolerance never excuses the sign of a zero: PyTorch's CPU avg kernel writes
 *   `out = 0; out += sum / divisor`, so it returns +0 even for 0 / (negative divisorOverride).
 * The summary at the end prints how many tolerance-compared cases matched bit for bit.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { F, nn, torch } from "../../src/index";

const AVG_ULPS = 1;
const LP_ULPS = 4;
const AVG_GRAD_ULPS = 2;
const LP_GRAD_ULPS = 8;
const GRAD_ABS_REL = 2 ** -20;

// ---- fixture format ------------------------------------------------------------------------
type DTypeName = "float32" | "float64" | "int64" | "bool";
type Encoded = number | boolean | "nan" | "inf" | "-inf";
interface EncTensor {
  shape: number[];
  dtype: DTypeName;
  data: Encoded[];
}
type Args = Record<string, any>; // TS option names: kernelSize, stride, padding, ... (may be invalid on purpose)
interface Case {
  name: string;
  op?: string;
  args: Args;
  input: EncTensor;
  indices?: EncTensor;
  output?: EncTensor;
  gradOutput?: EncTensor;
  gradInput?: EncTensor;
  tags?: string[];
  source?: string;
  note?: string;
}
interface ErrorCase extends Case {
  op: string;
  errorType: string;
  message: string;
}
interface ModuleCase {
  name: string;
  ctor: string;
  args: any[];
  opts: Args;
  repr: string;
  forward?: { input: EncTensor; indices?: EncTensor; output: EncTensor };
}

const FIXTURES = join(__dirname, "..", "fixtures");
const load = (file: string): any => JSON.parse(readFileSync(join(FIXTURES, file), "utf8"));

function decode(v: Encoded): number {
  if (v === "nan") return Number.NaN;
  if (v === "inf") return Number.POSITIVE_INFINITY;
  if (v === "-inf") return Number.NEGATIVE_INFINITY;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}

function toTensor(e: EncTensor): any {
  return torch.tensor(e.data.map(decode), { dtype: e.dtype }).reshape(e.shape);
}

// ---- comparisons -------------------------------------------------------------------------------
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in units in the last place (ordered bit patterns); both finite or both equal. */
function ulpDistance(a: number, b: number, dtype: DTypeName): number {
  if (Object.is(a, b) || a === b) return 0;
  if (dtype === "float32") {
    f32[0] = a;
    let x = i32[0];
    f32[0] = b;
    let y = i32[0];
    if (x < 0) x = -2147483648 - x;
    if (y < 0) y = -2147483648 - y;
    return Math.abs(x - y);
  }
  f64[0] = a;
  let x = i64[0];
  f64[0] = b;
  let y = i64[0];
  if (x < 0n) x = -9223372036854775808n - x;
  if (y < 0n) y = -9223372036854775808n - y;
  const d = x > y ? x - y : y - x;
  return d > 1000000n ? Number.MAX_SAFE_INTEGER : Number(d);
}

interface Verdict {
  mismatches: number;
  first: string;
  maxUlps: number;
}

/**
 * Compare a tensor with the fixture. `ulps` = 0 means identical (Object.is, NaN == NaN).
 * `absRel`, when given, also accepts |a - e| <= absRel * max|e| (finite elements of the tensor).
 */
function compare(actual: any, expected: EncTensor, ulps = 0, absRel?: number): Verdict {
  const want = expected.data.map(decode);
  const got: ArrayLike<number> = actual.data;
  let scale = 0;
  for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  const abs = absRel === undefined ? -1 : absRel * scale;
  let mismatches = 0;
  let maxUlps = 0;
  let first = "";
  for (let i = 0; i < want.length; i++) {
    const e = want[i];
    const a = Number(got[i]);
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(a)) ok = Number.isNaN(e) && Number.isNaN(a);
    else if (!Number.isFinite(e) || !Number.isFinite(a) || expected.dtype === "int64" || expected.dtype === "bool") {
      ok = Object.is(a, e) || (ulps > 0 && a === e);
    } else if (ulps === 0) ok = Object.is(a, e);
    else if (a === 0 && e === 0) ok = Object.is(a, e); // tolerance never excuses the sign of a zero
    else {
      const d = ulpDistance(a, e, expected.dtype);
      maxUlps = Math.max(maxUlps, d);
      ok = d <= ulps || Math.abs(a - e) <= abs;
    }
    if (!ok) {
      if (mismatches === 0) first = `element ${i} (of ${want.length}): expected ${fmt(e)}, got ${fmt(a)}`;
      mismatches++;
    }
  }
  return { mismatches, first, maxUlps };
}

const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** Stats of the tolerance-compared groups, printed at the end. */
const stats: Record<string, { cases: number; exact: number; maxUlps: number }> = {};
function record(group: string, v: Verdict, exact: boolean): void {
  const s = (stats[group] ??= { cases: 0, exact: 0, maxUlps: 0 });
  s.cases++;
  if (exact) s.exact++;
  s.maxUlps = Math.max(s.maxUlps, v.maxUlps);
}

function expectTensor(actual: any, expected: EncTensor, what: string, ulps = 0, absRel?: number, group?: string): void {
  expect(actual, `${what}: not a tensor`).toBeDefined();
  expect([...actual.shape], `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const v = compare(actual, expected, ulps, absRel);
  if (group) record(group, v, compare(actual, expected, 0).mismatches === 0);
  expect(v.mismatches, `${what}: ${v.mismatches} element(s) differ; first: ${v.first}`).toBe(0);
}

// ---- calling the module with fixture arguments ---------------------------------------------------
function withoutKeys(args: Args, ...keys: string[]): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) if (!keys.includes(k)) out[k] = v;
  return out;
}

const title = (c: Case): string =>
  `${c.name} ${JSON.stringify(c.args)} in ${c.input.dtype}[${c.input.shape.join(",")}]` +
  (c.tags && c.tags.length ? ` {${c.tags.join(" ")}}` : "") +
  (c.source ? ` [${c.source}]` : "");

const maxFile = load("pool-max.json");
const avgFile = load("pool-avg.json");
const lpFile = load("pool-lp.json");
const adaptiveFile = load("pool-adaptive.json");
const unpoolFile = load("pool-unpool.json");
const errorFile = load("pool-errors.json");
const moduleFile = load("modules.json");

const byOp = (cases: Case[], op: string): Case[] => cases.filter((c) => c.op === op);

// ---- forward -----------------------------------------------------------------------------------
describe("max_pool2d forward = PyTorch (values and indices identical)", () => {
  it.each((maxFile.forward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const x = toTensor(c.input);
    const opts = withoutKeys(c.args, "kernelSize");
    const result: any = F.maxPool2d(x, c.args.kernelSize, opts);
    if (c.args.returnIndices) {
      expect(Array.isArray(result), "returnIndices: true gives [output, indices]").toBe(true);
      expectTensor(result[0], c.output!, "output");
      expectTensor(result[1], c.indices!, "indices");
    } else {
      expect(Array.isArray(result), "without returnIndices the result is one tensor").toBe(false);
      expectTensor(result, c.output!, "output");
      const [, indices]: any = F.maxPool2d(x, c.args.kernelSize, { ...opts, returnIndices: true });
      expectTensor(indices, c.indices!, "indices");
    }
  });
});

describe("avg_pool2d forward = PyTorch (float within AVG_ULPS ulp, int64 exact)", () => {
  it.each((avgFile.forward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const y = F.avgPool2d(toTensor(c.input), c.args.kernelSize, withoutKeys(c.args, "kernelSize"));
    expectTensor(y, c.output!, "output", AVG_ULPS, undefined, "avg_pool2d forward");
  });
});

describe("lp_pool2d forward = PyTorch (within LP_ULPS ulp)", () => {
  it.each((lpFile.forward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const y = F.lpPool2d(toTensor(c.input), c.args.normType, c.args.kernelSize, withoutKeys(c.args, "kernelSize", "normType"));
    expectTensor(y, c.output!, "output", LP_ULPS, undefined, "lp_pool2d forward");
  });
});

/**
 * Output size (1, 1): PyTorch computes input.mean((-1, -2)) instead of the pooling kernel, a
 * vectorised cascade sum whose order depends on the CPU's vector width, so the last bits are not
 * a property of PyTorch but of the machine it ran on. Such a result is accepted within AVG_ULPS
 * ulp or within the worst-case gap between two summation orders of the plane:
 * |a - e| <= 2 * n * eps * mean|x| (n = H * W, eps = 2^-24 for float32, 2^-53 for float64).
 */
function expectGlobalMean(actual: any, c: Case): void {
  const expected = c.output!;
  expect([...actual.shape], "output: shape").toEqual(expected.shape);
  expect(actual.dtype, "output: dtype").toBe(expected.dtype);
  const x = c.input.data.map(decode);
  const n = c.input.shape[c.input.shape.length - 1] * c.input.shape[c.input.shape.length - 2];
  const eps = expected.dtype === "float64" ? 2 ** -53 : 2 ** -24;
  let exact = true;
  let maxUlps = 0;
  expected.data.map(decode).forEach((e, p) => {
    const a = Number(actual.data[p]);
    if (!Object.is(a, e)) exact = false;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      expect(Number.isNaN(e) ? Number.isNaN(a) : a === e, `plane ${p}: expected ${e}, got ${a}`).toBe(true);
      return;
    }
    let meanAbs = 0;
    for (let i = p * n; i < (p + 1) * n; i++) meanAbs += Math.abs(x[i]) / n;
    const d = ulpDistance(a, e, expected.dtype);
    maxUlps = Math.max(maxUlps, d);
    const ok = d <= AVG_ULPS || Math.abs(a - e) <= 2 * n * eps * meanAbs;
    expect(ok, `plane ${p}: expected ${e}, got ${a} (${d} ulp; bound ${2 * n * eps * meanAbs})`).toBe(true);
  });
  record("adaptive_avg_pool2d forward, (1, 1) = mean() path", { mismatches: 0, first: "", maxUlps }, exact);
}

describe("adaptive_avg_pool2d forward = PyTorch (within AVG_ULPS ulp; (1, 1) see expectGlobalMean)", () => {
  it.each(byOp(adaptiveFile.forward, "adaptive_avg_pool2d").map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const y = F.adaptiveAvgPool2d(toTensor(c.input), c.args.outputSize);
    if (c.tags?.includes("global(1,1)") && c.input.shape.every((d) => d > 0)) expectGlobalMean(y, c);
    else expectTensor(y, c.output!, "output", AVG_ULPS, undefined, "adaptive_avg_pool2d forward");
  });
});

describe("adaptive_max_pool2d forward = PyTorch (values and indices identical)", () => {
  it.each(byOp(adaptiveFile.forward, "adaptive_max_pool2d").map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const x = toTensor(c.input);
    const result: any = F.adaptiveMaxPool2d(x, c.args.outputSize, withoutKeys(c.args, "outputSize"));
    if (c.args.returnIndices) {
      expect(Array.isArray(result), "returnIndices: true gives [output, indices]").toBe(true);
      expectTensor(result[0], c.output!, "output");
      expectTensor(result[1], c.indices!, "indices");
    } else {
      expect(Array.isArray(result), "without returnIndices the result is one tensor").toBe(false);
      expectTensor(result, c.output!, "output");
      const [, indices]: any = F.adaptiveMaxPool2d(x, c.args.outputSize, { returnIndices: true });
      expectTensor(indices, c.indices!, "indices");
    }
  });
});

describe("max_unpool2d forward = PyTorch (identical; duplicate indices: last write wins)", () => {
  it.each((unpoolFile.forward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const y = F.maxUnpool2d(toTensor(c.input), toTensor(c.indices!), c.args.kernelSize, withoutKeys(c.args, "kernelSize"));
    expectTensor(y, c.output!, "output");
  });
});

// ---- gradients ---------------------------------------------------------------------------------
describe("max_pool2d gradient = PyTorch autograd (identical)", () => {
  it.each((maxFile.backward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.maxPool2dBackward(toTensor(c.gradOutput!), toTensor(c.input), c.args.kernelSize, withoutKeys(c.args, "kernelSize"));
    expectTensor(g, c.gradInput!, "gradInput");
  });
});

describe("avg_pool2d gradient = PyTorch autograd (within AVG_GRAD_ULPS ulp)", () => {
  it.each((avgFile.backward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.avgPool2dBackward(toTensor(c.gradOutput!), toTensor(c.input), c.args.kernelSize, withoutKeys(c.args, "kernelSize"));
    expectTensor(g, c.gradInput!, "gradInput", AVG_GRAD_ULPS, GRAD_ABS_REL, "avg_pool2d gradient");
  });
});

describe("lp_pool2d gradient = PyTorch autograd (within LP_GRAD_ULPS ulp)", () => {
  it.each((lpFile.backward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.lpPool2dBackward(
      toTensor(c.gradOutput!),
      toTensor(c.input),
      c.args.normType,
      c.args.kernelSize,
      withoutKeys(c.args, "kernelSize", "normType"),
    );
    expectTensor(g, c.gradInput!, "gradInput", LP_GRAD_ULPS, GRAD_ABS_REL, "lp_pool2d gradient");
  });
});

describe("adaptive_avg_pool2d gradient = PyTorch autograd (within AVG_GRAD_ULPS ulp)", () => {
  it.each(byOp(adaptiveFile.backward, "adaptive_avg_pool2d").map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.adaptiveAvgPool2dBackward(toTensor(c.gradOutput!), toTensor(c.input), c.args.outputSize);
    expectTensor(g, c.gradInput!, "gradInput", AVG_GRAD_ULPS, GRAD_ABS_REL, "adaptive_avg_pool2d gradient");
  });
});

describe("adaptive_max_pool2d gradient = PyTorch autograd (identical)", () => {
  it.each(byOp(adaptiveFile.backward, "adaptive_max_pool2d").map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.adaptiveMaxPool2dBackward(toTensor(c.gradOutput!), toTensor(c.input), c.args.outputSize);
    expectTensor(g, c.gradInput!, "gradInput");
  });
});

describe("max_unpool2d gradient = PyTorch autograd (identical)", () => {
  it.each((unpoolFile.backward as Case[]).map((c) => [title(c), c] as const))("%s", (_t, c) => {
    const g = F.maxUnpool2dBackward(
      toTensor(c.gradOutput!),
      toTensor(c.input),
      toTensor(c.indices!),
      c.args.kernelSize,
      withoutKeys(c.args, "kernelSize"),
    );
    expectTensor(g, c.gradInput!, "gradInput");
  });
});

// ---- invalid arguments ---------------------------------------------------------------------------
function callForError(c: ErrorCase): unknown {
  const x = toTensor(c.input);
  const a = c.args;
  switch (c.op) {
    case "max_pool2d":
      return F.maxPool2d(x, a.kernelSize, withoutKeys(a, "kernelSize"));
    case "avg_pool2d":
      return F.avgPool2d(x, a.kernelSize, withoutKeys(a, "kernelSize"));
    case "lp_pool2d":
      return F.lpPool2d(x, a.normType, a.kernelSize, withoutKeys(a, "kernelSize", "normType"));
    case "adaptive_avg_pool2d":
      return F.adaptiveAvgPool2d(x, a.outputSize);
    case "adaptive_max_pool2d":
      return F.adaptiveMaxPool2d(x, a.outputSize, withoutKeys(a, "outputSize"));
    case "max_unpool2d":
      return F.maxUnpool2d(x, toTensor(c.indices!), a.kernelSize, withoutKeys(a, "kernelSize"));
    default:
      throw new Error(`unknown op in fixture: ${c.op}`);
  }
}

describe("invalid arguments throw an Error containing PyTorch's message", () => {
  const cases = errorFile.cases as ErrorCase[];
  it.each(cases.map((c) => [`${title(c)} -> ${c.errorType}: ${c.message}`, c] as const))("%s", (_t, c) => {
    let thrown: unknown = undefined;
    try {
      callForError(c);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, "expected the call to throw").toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(c.message);
  });
});

// ---- modules -------------------------------------------------------------------------------------
function construct(c: ModuleCase): any {
  const ctor = (nn as any)[c.ctor];
  expect(typeof ctor, `nn.${c.ctor} exists`).toBe("function");
  const hasOpts = Object.keys(c.opts).length > 0;
  return hasOpts ? ctor(...c.args, c.opts) : ctor(...c.args);
}

describe("nn layers print as PyTorch's module repr", () => {
  it.each((moduleFile.cases as ModuleCase[]).map((c) => [`${c.name} -> ${c.repr}`, c] as const))("%s", (_t, c) => {
    expect(String(construct(c))).toBe(c.repr);
  });
});

describe("nn layers compute what PyTorch's modules compute", () => {
  const withForward = (moduleFile.cases as ModuleCase[]).filter((c) => c.forward);
  it.each(withForward.map((c) => [c.name, c] as const))("%s", (_t, c) => {
    const layer = construct(c);
    const fw = c.forward!;
    const ulps = c.ctor.startsWith("Avg") || c.ctor.startsWith("AdaptiveAvg") ? AVG_ULPS : c.ctor.startsWith("LP") ? LP_ULPS : 0;
    if (c.ctor === "MaxUnpool2d") {
      expectTensor(layer(toTensor(fw.input), toTensor(fw.indices!)), fw.output, "output");
      return;
    }
    const result = layer(toTensor(fw.input));
    if (fw.indices) {
      expect(Array.isArray(result), "returnIndices layer gives [output, indices]").toBe(true);
      expectTensor(result[0], fw.output, "output");
      expectTensor(result[1], fw.indices, "indices");
    } else {
      expectTensor(result, fw.output, "output", ulps);
    }
  });
});

// ---- the fixtures themselves ---------------------------------------------------------------------
describe("fixture coverage", () => {
  it("has the promised number of cases", () => {
    const forward = [maxFile, avgFile, lpFile, adaptiveFile, unpoolFile].reduce((n, f) => n + f.forward.length, 0);
    const backward = [maxFile, avgFile, lpFile, adaptiveFile, unpoolFile].reduce((n, f) => n + f.backward.length, 0);
    expect(forward).toBeGreaterThanOrEqual(1500);
    expect(backward).toBeGreaterThanOrEqual(300);
    expect(errorFile.cases.length).toBeGreaterThanOrEqual(80);
    expect(moduleFile.cases.length).toBeGreaterThanOrEqual(25);
  });

  it("sweeps padding × dilation for max (with and without indices) and avg, accepted and refused", () => {
    const grid = (cases: Case[]): Case[] => cases.filter((c) => c.tags?.includes("pad-dilation-grid"));
    expect(grid(maxFile.forward).length).toBeGreaterThanOrEqual(70);
    expect(grid(avgFile.forward).length).toBeGreaterThanOrEqual(8);
    const refused = grid(errorFile.cases);
    expect(refused.length).toBeGreaterThanOrEqual(120);
    // The case the issue names: PyTorch 2.13 refuses it whether or not indices are asked for.
    for (const returnIndices of [false, true]) {
      const named = refused.find(
        (c) =>
          c.op === "max_pool2d" &&
          [c.args.kernelSize].flat().every((k) => k === 3) &&
          [c.args.padding].flat().every((p) => p === 2) &&
          [c.args.dilation].flat().every((d) => d === 2) &&
          Boolean(c.args.returnIndices) === returnIndices,
      ) as ErrorCase | undefined;
      expect(named?.message).toBe("pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 3, kH = 3");
    }
  });
});

afterAll(() => {
  const lines = Object.entries(stats).map(
    ([group, s]) => `  ${group}: ${s.exact}/${s.cases} cases bit-identical, max ${s.maxUlps} ulp`,
  );
  if (lines.length) console.log(`tolerance-compared results vs PyTorch:\n${lines.join("\n")}`);
});
