/**
 * Issue 10: points need the real work. In ONE batch with honest students (the real command, hidden
 * tests on, a grading seed chosen by the grader):
 *
 * - the replay submission (./replay.ts: generated from the release's recorded values) scores well
 *   under half of every exercise — though in the student's own run (fixed cases) it does score;
 * - the dodging submissions — `maxPoolAsConv = F.maxPool2d`, computed names (`a["maxi" + "mum"]`,
 *   `F["max" + "Pool2d"]`), a forbidden function smuggled from another exercise file through a global,
 *   a helper file, avgPool2d and .min() where they are not allowed — lose exactly the parts that
 *   call what they dodged with, and are told which function is not allowed;
 * - the getter leak (a written answer that returns what a function was given, hidden tests
 *   included) shows nothing of any call in any visible output;
 * - reading the values (`const { data } = X`, the getter called directly, `tolist()`) where the task is
 *   the library's operations gets nothing, and the parts say so;
 * - a function that changes its input tensor is told so (issue 11).
 *
 * Then the reference solutions score full marks with several grading-time seeds.
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES, maxScore } from "../../src/grader/manifest";
import { recordExpected } from "../../src/grader/release";
import { replaySubmission } from "./replay";
import { dist, exerciseScore, makeSubmission, readResults, root, runNode, type Results, type Run } from "./support";
import { studentDir } from "../../src/grader/batch";

let tmp: string;
let subs: string;
let out: string;
let run: Run;
let replayAlone: { exercises: { id: string; score: number; max: number }[] };

const solution = (name: string) => fs.readFileSync(path.join(root, "solutions", `${name}.ts`), "utf8");
const results = (student: string): Results => readResults(path.join(studentDir(out, student), "results.json"));
const max = (exercise: string) => maxScore(EXERCISES.find((e) => e.id === exercise)!, true);
/** Parts of an exercise whose name mentions `fn` (the manifest titles name the function they grade). */
const partsOf = (r: Results, exercise: string, fn: string) => r.tests.filter((t) => t.tags.includes(exercise) && t.name.includes(fn));
/** Parts that grade `fn` and no other function of the exercise. */
const onlyPartsOf = (r: Results, exercise: string, fn: string) => {
  const others = EXERCISES.find((e) => e.id === exercise)!.exports.filter((x) => x !== fn);
  return partsOf(r, exercise, fn).filter((t) => !others.some((o) => t.name.includes(o)));
};

/** A written answer that shows every call its module's functions have seen, hidden ones included. */
const LEAK = `
const seen: unknown[] = [];
const g = globalThis as unknown as { __seen?: unknown[] };
g.__seen ??= seen;
const firstValues = (a: any) => { try { return Array.from(a.data).slice(0, 6); } catch { return "values hidden in this exercise"; } };
function remember(args: unknown[]) { (g.__seen ?? seen).push(args.map((a: any) => (a && a.shape ? { shape: [...a.shape], dtype: a.dtype, first: firstValues(a) } : a))); }
`;

function dodging(): Record<string, Record<string, string | null>> {
  return {
    "dodge-alias": { "max-pool-as-conv": `import { F } from "d2l-pooling";\nexport const maxPoolAsConv = F.maxPool2d;\n` },
    "dodge-computed-names": {
      "max-via-relu": `import { F as F2 } from "d2l-pooling";\n${solution("max-via-relu")
        .replace(/export function maxViaRelu\([^)]*\)[^{]*\{/, '$&\n  return (a as any)["maxi" + "mum"](b);')
        .replace(/export function maxPool2x2ViaRelu\([^)]*\)[^{]*\{/, '$&\n  return (F2 as any)["max" + "Pool2d"](X, 2);')}`,
    },
    // min-pool may use F.maxPool2d: it hands it on through a global; max-pool-as-conv picks it up.
    "dodge-smuggle": {
      "min-pool": `${solution("min-pool")}\nimport { F as _F } from "d2l-pooling";\n(globalThis as any).smuggled = _F.maxPool2d;\n`,
      "max-pool-as-conv": `import { Tensor } from "d2l-pooling";\nexport function maxPoolAsConv(X: Tensor, k: any, o: any = {}) { return (globalThis as any).smuggled(X, k, { stride: o.stride, padding: o.padding }); }\n`,
    },
    // A helper file of its own, loaded in the exercise's realm: the same limits.
    "dodge-helper": {
      "avg-pool-as-conv": solution("avg-pool-as-conv").replace(/export function avgPoolAsConv\([^)]*\)[^{]*\{/, '$&\n  return require("./pool-helper").avg(X, kernelSize, options);'),
      "pool-helper": `import { F, Tensor } from "d2l-pooling";\nexport function avg(X: Tensor, k: any, o: any = {}) { return F.avgPool2d(X, k, { stride: o.stride ?? k, padding: o.padding }); }\n`,
    },
    // The values read straight from the tensor and the answer computed in plain JavaScript (a hostile
    // review scored 114/114 this way before values were hidden in these exercises).
    "dodge-values": {
      "max-via-relu": solution("max-via-relu")
        .replace(/export function maxViaRelu\([^)]*\)[^{]*\{/, `$&
  const { data: da } = a as any;
  const db = (b as any)["da" + "ta"];
  return torch.tensor(Array.from({ length: da.length }, (_, i) => (da[i] > db[i] || da[i] !== da[i] ? da[i] : db[i])), { dtype: a.dtype }).reshape(...a.shape);`)
        .replace(/export function maxPool2x2ViaRelu\([^)]*\)[^{]*\{/, `$&
  const values = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(X), "data")!.get!.call(X) as Float32Array;
  void values;`),
      "min-pool": solution("min-pool").replace(/export function minPool2d\([^)]*\)[^{]*\{/, `$&
  const list = (X as any).tolist();
  void list;`),
    },
    // Issue 18's review, as files. An int64 oracle: relabel a tensor "int64" and let a conversion's
    // error tell the sign of each value; binary search; the maximum in plain JavaScript.
    "int64-oracle": {
      "max-via-relu": solution("max-via-relu")
        .replace(/export function maxViaRelu\([^)]*\)[^{]*\{/, `const read = (t: Tensor) => {
  const flat = t.reshape(-1);
  const out: number[] = [];
  for (let i = 0; i < flat.numel(); i++) {
    let lo = -1e6, hi = 1e6;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      const probe = flat.sub(mid).mul(Infinity);
      (probe as any).dtype = "int64";
      let positive = false;
      try { torch.cat([probe]); } catch (e) { positive = /Infinity/.test(String(e)) && !/-Infinity/.test(String(e)); }
      if (positive) lo = mid; else hi = mid;
    }
    out.push(lo);
  }
  return out;
};
$&
  const [x, y] = [read(a), read(b)];
  return torch.tensor(x.map((v, i) => Math.max(v, y[i])), { dtype: a.dtype }).reshape(...a.shape);`)
        // …and the pooling in plain JavaScript on the values read the same way.
        .replace(/export function maxPool2x2ViaRelu\([^)]*\)[^{]*\{/, `$&
  const values = read(X);
  const [rows, cols] = X.shape.slice(-2);
  const [oh, ow] = [Math.floor(rows / 2), Math.floor(cols / 2)];
  const pooled: number[] = [];
  for (let p = 0; p < values.length / (rows * cols); p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const at = (r: number, c: number) => values[p * rows * cols + r * cols + c];
        pooled.push(Math.max(at(2 * i, 2 * j), at(2 * i, 2 * j + 1), at(2 * i + 1, 2 * j), at(2 * i + 1, 2 * j + 1)));
      }
  return torch.tensor(pooled, { dtype: X.dtype }).reshape(...X.shape.slice(0, -2), oh, ow);`),
    },
    // The task skipped: an average from index(), sum() and a constant, never conv2d.
    "avg-without-conv": {
      "avg-pool-as-conv": solution("avg-pool-as-conv").replace(/export function avgPoolAsConv\([^)]*\)[^{]*\{/, `$&
  const [kh, kw] = pair(kernelSize);
  const [sh, sw] = pair(options.stride ?? kernelSize);
  const X3 = X.dim() === 3 ? X : X.index(0);
  const [C, H, W] = X3.shape;
  const rows: Tensor[] = [];
  for (let c = 0; c < C; c++) for (let i = 0; i + kh <= H; i += sh) for (let j = 0; j + kw <= W; j += sw) rows.push(X3.index(c, [i, i + kh], [j, j + kw]).sum().div(kh * kw).reshape(1));
  return torch.cat(rows).reshape(C, Math.floor((H - kh) / sh) + 1, Math.floor((W - kw) / sw) + 1);`),
    },
    // Loops in a helper file, and F.maxPool2d only named in the exercise's own file.
    "min-helper-loops": {
      "min-pool": solution("min-pool").replace(/export function minPool2d\([^)]*\)[^{]*\{/, `$&
  const unused = F.maxPool2d;
  void unused;
  return require("./zz-helper").windowMin(X, kernelSize, options);`),
      "zz-helper": `import { torch, Tensor } from "d2l-pooling";
export function windowMin(X: Tensor, k: any, o: any = {}): Tensor {
  const [kh, kw] = typeof k === "number" ? [k, k] : k;
  const [sh, sw] = o.stride === undefined ? [kh, kw] : typeof o.stride === "number" ? [o.stride, o.stride] : o.stride;
  const [H, W] = X.shape.slice(-2);
  const plane = X.reshape(-1, H, W);
  const out: number[] = [];
  for (let p = 0; p < plane.shape[0]; p++) for (let i = 0; i + kh <= H; i += sh) for (let j = 0; j + kw <= W; j += sw) out.push(-(plane.index(p, [i, i + kh], [j, j + kw]).neg().max().item() as number));
  return torch.tensor(out, { dtype: X.dtype }).reshape(...X.shape.slice(0, -2), Math.floor((H - kh) / sh) + 1, Math.floor((W - kw) / sw) + 1);
}
`,
    },
    // Sends a hidden input's −∞ cells back as time: 2 s of waiting for each.
    "timing-hidden": {
      "max-pool-as-conv": solution("max-pool-as-conv").replace(/export function maxPoolAsConv\([^)]*\)[^{]*\{/, `$&
  if (X.dtype === "float64") for (const v of X.data) if (v === -Infinity) { const end = Date.now() + 2000; while (Date.now() < end) {} }`),
    },
    // A correct answer: the weight in X's dtype (1/3 exact in float64).
    "avg-exact-float64": {
      "avg-pool-as-conv": solution("avg-pool-as-conv").replace("return conv2d(X, avgPoolWeight(channels, kernelSize), {", "return conv2d(X, avgPoolWeight(channels, kernelSize).to(X.dtype), {"),
    },
    "dodge-min-method": {
      "min-pool": solution("max-pool-as-conv")
        .replace(/maxPoolAsConv/g, "minPool2d")
        .replace(".max()", ".min()")
        .replace(/window\.mul\(k\)/, "window")
        .concat(`\nexport function minPool2dWithIndices(X: Tensor, k: Pair, o: any = {}): [Tensor, Tensor] { throw new Error("not implemented yet"); }\nexport const NEED_MIN_POOL = false;\nexport const WHY_MIN_POOL = "Min pooling picks the smallest value of each window.";\n`),
    },
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-work-"));
  fs.chmodSync(tmp, 0o755);
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  makeSubmission(path.join(subs, "honest-1"));
  makeSubmission(path.join(subs, "honest-2"));
  const replay = replaySubmission(await recordExpected("visible"));
  fs.mkdirSync(path.join(subs, "replay"), { recursive: true });
  for (const [name, text] of Object.entries(replay)) fs.writeFileSync(path.join(subs, "replay", `${name}.ts`), text);
  for (const [name, files] of Object.entries(dodging())) makeSubmission(path.join(subs, name), files);
  // The leak: avgPoolAsConv keeps its arguments in a global, WHY_NOT_CONV shows them.
  makeSubmission(path.join(subs, "leak-across-files"), {
    "avg-pool-as-conv": solution("avg-pool-as-conv").replace(/export function avgPoolAsConv\(([^)]*)\)[^{]*\{/, `${LEAK}$&\n  remember([X, kernelSize, options]);`),
    "max-pool-not-linear": solution("max-pool-not-linear").replace(/export const WHY_NOT_CONV =[\s\S]*?;\n/, 'export const WHY_NOT_CONV = "";\nObject.defineProperty(exports, "WHY_NOT_CONV", { get: () => "SEEN (every call so far): " + JSON.stringify((globalThis as any).__seen ?? []) });\ndeclare const exports: object;\n'),
  });
  // The same inside one realm: softmax-pool's own answer, and another shared-realm exercise's.
  makeSubmission(path.join(subs, "leak-same-realm"), {
    "softmax-pool": solution("softmax-pool")
      .replace(/export function softmaxPool2d\(([^)]*)\)[^{]*\{/, `${LEAK}$&\n  remember([X, kernelSize, options]);`)
      .replace(/export const WHY_UNPOPULAR =[\s\S]*?;\n/, 'export const WHY_UNPOPULAR = "";\nObject.defineProperty(exports, "WHY_UNPOPULAR", { get: () => "SEEN (every call so far): " + JSON.stringify((globalThis as any).__seen ?? []) });\ndeclare const exports: object;\n'),
    "max-vs-avg": solution("max-vs-avg").replace(/export const WHY_DIFFERENT =[\s\S]*?;\n/, 'export const WHY_DIFFERENT = "";\nObject.defineProperty(exports, "WHY_DIFFERENT", { get: () => "SEEN (every call so far): " + JSON.stringify((globalThis as any).__seen ?? []) });\ndeclare const exports: object;\n'),
  });
  makeSubmission(path.join(subs, "mutates-inputs"), {
    "max-vs-avg": solution("max-vs-avg").replace(/export function noiseChange\(([^)]*)\)[^{]*\{/, "$&\n  for (let i = 0; i < X.data.length; i++) (X.data as Float32Array)[i] += (noise.data as Float32Array)[i];\n  X = X.sub(noise);"),
  });
  run = await runNode(dist("cli.js"), ["--submissions", subs, "--out", out, "--jobs", "2"]);
  // The replay in the student's own run: fixed cases and recorded values, visible tests only.
  const alone = await runNode(dist("cli.js"), ["--target", path.join(subs, "replay"), "--json", "--no-write", "--no-typecheck"]);
  replayAlone = JSON.parse(alone.stdout) as typeof replayAlone;
}, hang(1_800_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("points need the real work (issue 10)", () => {
  it("the batch finishes; its grading seed is recorded in every results.json", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const seed = Number(/[Gg]rading seed (\d+)/.exec(run.stdout)![1]);
    for (const s of fs.readdirSync(subs)) {
      const r = readResults(path.join(studentDir(out, s), "results.json")) as Results & { extra_data: { grading_seed: number } };
      expect(r.extra_data.grading_seed, s).toBe(seed);
      expect(r.output).toContain(`grading seed ${seed}`);
    }
  });

  it("honest students get full marks", () => {
    for (const s of ["honest-1", "honest-2"]) expect(results(s).score).toBe(results(s).max_score);
  });

  it("the replay scores in the student's own run (fixed cases, recorded values) — so the attack is real —", () => {
    const soft = replayAlone.exercises.find((e) => e.id === "softmax-pool")!;
    expect(soft.score / soft.max).toBeGreaterThanOrEqual(0.25);
  });

  it.each(EXERCISES.map((e) => e.id))("… but well under half of %s in the instructor's grading", (exercise) => {
    expect(exerciseScore(results("replay"), exercise)).toBeLessThanOrEqual(0.3 * max(exercise));
  });

  it("max-pool-as-conv = F.maxPool2d scores nothing, and is told the function is not allowed", () => {
    const r = results("dodge-alias");
    expect(exerciseScore(r, "max-pool-as-conv")).toBe(0);
    expect(r.score).toBe(r.max_score - max("max-pool-as-conv"));
    expect(r.tests.find((t) => t.tags.includes("max-pool-as-conv"))!.output).toMatch(/`F\.maxPool2d` is not allowed in this exercise: build the window yourself/);
  });

  it("computed names reach nothing: maxViaRelu and maxPool2x2ViaRelu lose their parts, reluTournament keeps its", () => {
    const r = results("dodge-computed-names");
    for (const t of [...partsOf(r, "max-via-relu", "maxViaRelu"), ...partsOf(r, "max-via-relu", "maxPool2x2ViaRelu")]) expect(t.score, t.name).toBe(0);
    expect(onlyPartsOf(r, "max-via-relu", "reluTournament").length).toBeGreaterThan(0);
    for (const t of onlyPartsOf(r, "max-via-relu", "reluTournament")) expect(t.score, t.name).toBe(t.max_score);
    expect(partsOf(r, "max-via-relu", "maxViaRelu")[0].output).toMatch(/`Tensor\.maximum` is not allowed in this exercise/);
    expect(partsOf(r, "max-via-relu", "maxPool2x2ViaRelu")[0].output).toMatch(/`F\.maxPool2d` is not allowed in this exercise/);
    expect(r.score - exerciseScore(r, "max-via-relu")).toBe(r.max_score - max("max-via-relu"));
  });

  it("a function smuggled through a global from another exercise file is not there", () => {
    const r = results("dodge-smuggle");
    expect(exerciseScore(r, "max-pool-as-conv")).toBe(0);
    const lost = r.tests.filter((t) => t.tags.includes("min-pool") && t.score < t.max_score).map((t) => `${t.name}: ${t.output.split("\n")[0]}`);
    expect(exerciseScore(r, "min-pool"), lost.join(" | ")).toBe(max("min-pool"));
  });

  it("a helper file of the exercise gets the same limits; .min() is not there for min-pool", () => {
    const helper = results("dodge-helper");
    for (const t of partsOf(helper, "avg-pool-as-conv", "avgPoolAsConv")) expect(t.score, t.name).toBe(0);
    expect(partsOf(helper, "avg-pool-as-conv", "avgPoolAsConv")[0].output).toMatch(/`F\.avgPool2d` is not allowed in this exercise: build it with conv2d/);
    for (const t of onlyPartsOf(helper, "avg-pool-as-conv", "avgPoolWeight")) expect(t.score, t.name).toBe(t.max_score);
    const min = results("dodge-min-method");
    for (const t of partsOf(min, "min-pool", "minPool2d:")) expect(t.score, t.name).toBe(0);
    // Its first operation outside F.maxPool2d and negation is what the message names (here index(), before .min()).
    expect(partsOf(min, "min-pool", "minPool2d:")[0].output).toMatch(/`Tensor\.(index|min)` is not allowed in this exercise: build it from F\.maxPool2d/);
  });

  it("no values where the task is the library's operations: the parts that read them score 0, told why", () => {
    const r = results("dodge-values");
    for (const t of [...partsOf(r, "max-via-relu", "maxViaRelu"), ...partsOf(r, "max-via-relu", "maxPool2x2ViaRelu")]) expect(t.score, t.name).toBe(0);
    expect(partsOf(r, "max-via-relu", "maxViaRelu")[0].output).toMatch(/X\.data needs the values of the grader's inputs/);
    expect(partsOf(r, "max-via-relu", "maxPool2x2ViaRelu")[0].output).toMatch(/X\.data needs the values of the grader's inputs/);
    for (const t of onlyPartsOf(r, "max-via-relu", "reluTournament")) expect(t.score, t.name).toBe(t.max_score);
    for (const t of partsOf(r, "min-pool", "minPool2d:")) expect(t.score, t.name).toBe(0);
    expect(partsOf(r, "min-pool", "minPool2d:")[0].output).toMatch(/Tensor\.tolist\(\) needs the values of the grader's inputs.*build it from F\.maxPool2d/);
  });

  describe("issue 18's review, as files: each attack scores under half of its exercise, told why", () => {
    it("an int64 oracle through a writable dtype: a traced tensor's dtype cannot be relabelled, and holds no values anyway", () => {
      const r = results("int64-oracle");
      expect(exerciseScore(r, "max-via-relu")).toBeLessThan(max("max-via-relu") / 2);
      for (const t of [...partsOf(r, "max-via-relu", "maxViaRelu"), ...partsOf(r, "max-via-relu", "maxPool2x2ViaRelu")]) expect(t.score, t.name).toBe(0);
      expect(partsOf(r, "max-via-relu", "maxViaRelu")[0].output).toMatch(/Cannot assign to read only property 'dtype'|is not allowed in this exercise/);
    });

    it("an average without conv2d: index and sum are not the task's operations, and the average must come out of conv2d", () => {
      const r = results("avg-without-conv");
      expect(exerciseScore(r, "avg-pool-as-conv")).toBeLessThan(max("avg-pool-as-conv") / 2);
      for (const t of partsOf(r, "avg-pool-as-conv", "avgPoolAsConv")) expect(t.score, t.name).toBe(0);
      expect(partsOf(r, "avg-pool-as-conv", "avgPoolAsConv")[0].output).toMatch(/`Tensor\.index` is not allowed in this exercise|must come out of conv2d/);
    });

    it("loops in a helper file: the helper's operations are in the same graph, and it gets no values", () => {
      const r = results("min-helper-loops");
      expect(exerciseScore(r, "min-pool")).toBeLessThan(max("min-pool") / 2);
      for (const t of partsOf(r, "min-pool", "minPool2d:")) expect(t.score, t.name).toBe(0);
      expect(partsOf(r, "min-pool", "minPool2d:")[0].output).toMatch(/`Tensor\.index` is not allowed in this exercise: build it from F\.maxPool2d/);
    });

    it("waiting on a hidden input's values shows nothing before publishing: the visible output is an honest student's", () => {
      const attacker = results("timing-hidden");
      const honest = results("honest-1");
      expect(attacker.output).toBe(honest.output);
      expect(attacker.execution_time).toBeUndefined(); // no duration is shown before publishing
      // The waiting happened (2 s per −∞ cell of the hidden float64 input: four), seen in the full page only.
      const full = fs.readFileSync(path.join(studentDir(out, "timing-hidden"), "feedback-full.html"), "utf8");
      expect(Number(/Graded [^<]* in ([\d.]+) s/.exec(full)![1])).toBeGreaterThanOrEqual(8);
      for (const t of attacker.tests.filter((x) => x.visibility === "visible")) expect(t.output, t.name).toBe(honest.tests.find((h) => h.name === t.name)!.output);
    });

    it("the exact float64 answer (the weight in X's dtype) scores full marks, hidden part included", () => {
      const r = results("avg-exact-float64");
      const lost = r.tests.filter((t) => t.score < t.max_score).map((t) => `${t.name}: ${t.output.split("\n")[0]}`);
      expect(lost).toEqual([]);
      expect(r.score).toBe(r.max_score);
    });
  });

  it("a written answer read as a getter shows no call — nothing of a hidden input reaches a visible output", () => {
    const answers = (s: string) => results(s).tests.filter((t) => t.visibility === "visible" && t.output.includes("SEEN (every call so far)"));
    const across = answers("leak-across-files");
    const same = answers("leak-same-realm");
    expect(across).toHaveLength(1);
    expect(same).toHaveLength(2);
    for (const t of [...across, ...same]) expect(t.output).toMatch(/Written answer:\nSEEN \(every call so far\): \[\]$/);
    for (const s of ["leak-across-files", "leak-same-realm"]) {
      const visible = [results(s).output, ...results(s).tests.filter((t) => t.visibility === "visible").map((t) => t.output)].join("\n");
      expect(visible).not.toMatch(/"shape":/);
      expect(results(s).score).toBe(results(s).max_score);
    }
  });

  it("a function that changes the tensor it was given loses the part and is told which input", () => {
    const r = results("mutates-inputs");
    const noise = partsOf(r, "max-vs-avg", "noiseChange");
    expect(noise.some((t) => t.score === 0)).toBe(true);
    expect(noise.find((t) => t.score === 0)!.output).toMatch(/noiseChange\(pool, X, \w+\) changed its input X: element \d+ \(in flat order\) is now/);
  });

  it("the reference solutions score full marks with several grading-time seeds", async () => {
    const seeds = [1, 7, 2_147_483_646, Math.floor(Math.random() * 2 ** 31)];
    for (const seed of seeds) {
      const r = await runNode(dist("cli.js"), ["--target", "solutions", "--hidden", "--seed", String(seed), "--json", "--no-write", "--no-typecheck"]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { score: number; max: number; exercises: { parts: { key: string; status: string; output: string }[] }[] };
      const failed = report.exercises.flatMap((e) => e.parts.filter((p) => p.status !== "passed").map((p) => `${p.key}: ${p.output.split("\n")[0]}`));
      expect(failed, `seed ${seed}`).toEqual([]);
      expect(report.score).toBe(report.max);
    }
  }, hang(1_800_000));
});
