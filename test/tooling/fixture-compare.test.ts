/**
 * The generated-files check (scripts/ci/fixture-compare.js, run by `node scripts/fixtures.js --check`
 * in CI) on the committed fixtures: last-bit changes where PyTorch's result depends on the CPU pass
 * and leave the committed file as it was; a changed index, shape, exact value or a larger change
 * fails. Values and ulps are worked from the float formats, not from the checker's own output.
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(__filename);
const { compareFixture, checkFixtures, readFixtures, ulp, ULPS } = require("../../scripts/ci/fixture-compare.js") as {
  compareFixture: (file: string, a: unknown, b: unknown) => { problems: string[]; tolerated: number; maxUlps: number };
  checkFixtures: (dir: string, before: Map<string, Buffer>, log: { log: (s: string) => void; error: (s: string) => void }) => boolean;
  readFixtures: (dir: string) => Map<string, Buffer>;
  ulp: (x: number, dtype: string) => number;
  ULPS: number;
};

const FIXTURES = path.join(__dirname, "..", "fixtures");
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (file: string): Json => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
const clone = <T>(v: T): T => structuredClone(v);
const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
const committed = new Map(files.map((f) => [f, load(f)]));

/** The value `units` ulps (in the float format of `dtype`) away from x, worked from its bits. */
function step(x: number, units: number, dtype: string): number {
  if (dtype === "float64") {
    const v = new DataView(new ArrayBuffer(8));
    v.setFloat64(0, x);
    v.setBigInt64(0, v.getBigInt64(0) + BigInt(Math.sign(x) * units));
    return v.getFloat64(0);
  }
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x);
  v.setInt32(0, v.getInt32(0) + Math.sign(x) * units);
  return v.getFloat32(0);
}

/** Every finite value of the lp fixtures' forward outputs (pow and sums: CPU-dependent). */
function lpOutputs(data: Json): { c: number; i: number }[] {
  const out: { c: number; i: number }[] = [];
  data.forward.forEach((c: Json, ci: number) => c.output.data.forEach((x: unknown, i: number) => typeof x === "number" && x !== 0 && out.push({ c: ci, i })));
  return out;
}

describe("ulp", () => {
  it("is one unit in the last place of float32 and float64 (worked by hand)", () => {
    expect(ulp(1, "float32")).toBe(2 ** -23);
    expect(ulp(2.7359132766723633, "float32")).toBe(2 ** -22);
    expect(ulp(1, "float64")).toBe(2 ** -52);
    expect(ulp(0, "float32")).toBe(2 ** -149);
    // The two values, one CPU against another: one float32 ulp apart.
    expect(2.7359135150909424 - 2.7359132766723633).toBe(2 ** -22);
    expect(0.17844508588314056 - 0.17844507098197937).toBe(2 ** -26);
    expect(ulp(0.17844508588314056, "float32")).toBe(2 ** -26);
  });
});

describe("the generated-files check", () => {
  it("passes every committed fixture against itself", () => {
    for (const [file, data] of committed) expect(compareFixture(file, data, clone(data)).problems, file).toEqual([]);
  });

  it("passes lp pooling values moved by up to ULPS units in their last place (pow differs between CPUs)", () => {
    const lp = committed.get("pool-lp.json");
    const places = lpOutputs(lp);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: places.length - 1 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: ULPS }), fc.boolean(), (picks, units, down) => {
        const moved = clone(lp);
        for (const p of picks) {
          const { c, i } = places[p];
          const t = moved.forward[c].output;
          t.data[i] = step(t.data[i], down ? -units : units, t.dtype);
        }
        const r = compareFixture("pool-lp.json", lp, moved);
        expect(r.problems).toEqual([]);
        expect(r.tolerated).toBe(picks.length);
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  it("passes a max-pool input moved in its last bit when the outputs that copy it move with it", () => {
    const max = committed.get("pool-max.json");
    const moved = clone(max);
    let changed = 0;
    for (const c of moved.forward) {
      if (c.input.dtype !== "float32" || c.output.dtype !== "float32") continue;
      const x = c.input.data.find((v: unknown) => typeof v === "number" && v !== 0 && c.output.data.includes(v));
      if (x === undefined) continue;
      const y = step(x, 1, "float32");
      c.input.data = c.input.data.map((v: unknown) => (v === x ? y : v));
      c.output.data = c.output.data.map((v: unknown) => (v === x ? y : v));
      if (++changed === 25) break;
    }
    expect(changed).toBe(25);
    expect(compareFixture("pool-max.json", max, moved).problems).toEqual([]);
  });

  const breaks: [string, string, (d: Json) => void, RegExp][] = [
    ["an index", "pool-max.json", (d) => { const c = d.forward.find((x: Json) => x.indices); c.indices.data[0] += 1; }, /indices\.data\[0\]: was \d+, now \d+ \(int64: exact\)/],
    ["a shape", "pool-avg.json", (d) => { d.forward[0].output.shape[0] += 1; }, /output\.shape\[0\]/],
    ["a dtype", "pool-avg.json", (d) => { d.forward[0].output.dtype = "float64"; }, /output\.dtype: was float32, now float64/],
    ["a max value by one ulp (its input did not move)", "pool-max.json", (d) => { const c = d.forward.find((x: Json) => x.output.dtype === "float32" && typeof x.output.data[0] === "number" && x.output.data[0] !== 0); c.output.data[0] = step(c.output.data[0], 1, "float32"); }, /a value max pooling copies from its input/],
    ["an unpooled value", "pool-unpool.json", (d) => { const c = d.forward[0]; const i = c.output.data.findIndex((v: unknown) => v !== 0); c.output.data[i] = step(c.output.data[i], 1, c.output.dtype); }, /copies from its input/],
    ["a computed value by more than ULPS ulps", "pool-lp.json", (d) => { const t = d.forward[1].output; t.data[0] = t.data[0] * (1 + 1e-5); }, /units in the last place of the tensor's largest value/],
    ["NaN where a number was", "pool-avg.json", (d) => { d.forward[0].output.data[0] = "nan"; }, /was [-\d.e]+, now "nan"/],
    ["an error message", "pool-errors.json", (d) => { d.cases[0].message += "!"; }, /cases\[0\]\.message/],
    ["torch.rand's value by one ulp (exact arithmetic)", "random.json", (d) => { const c = d.cases.find((x: Json) => x.fn === "rand"); c.output.data[0] = step(c.output.data[0], 1, "float32"); }, /\(float32/],
    ["a printed tensor", "repr.json", (d) => { d[0].repr = d[0].repr.replace("0.", "0.0"); }, /\[0\]\.repr/],
    ["a notebook's printed output", "notebook-outputs.json", (d) => { d["zh/pool2d-max"] = d["zh/pool2d-max"].replace("4.", "5."); }, /zh\/pool2d-max/],
    ["a case removed", "pool-lp.json", (d) => { d.backward.pop(); }, /backward/],
    ["an argument", "pool-avg.json", (d) => { d.forward[0].args.ceilMode = !d.forward[0].args.ceilMode; }, /args\.ceilMode/],
  ];
  for (const [what, file, change, message] of breaks) {
    it(`fails on ${what}`, () => {
      const data = committed.get(file);
      const changed = clone(data);
      change(changed);
      const { problems } = compareFixture(file, data, changed);
      expect(problems.length, problems.join("\n")).toBeGreaterThan(0);
      expect(problems.join("\n")).toMatch(message);
    });
  }
});

describe("checkFixtures (what CI runs after the generators)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-fixture-check-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, data: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(data));
  const quiet = () => {
    const lines: string[] = [];
    return { lines, log: (s: string) => lines.push(s), error: (s: string) => lines.push(s) };
  };

  it("puts back a file that differs only in CPU-dependent last bits, and keeps a real change for git diff", () => {
    const lp = committed.get("pool-lp.json");
    write("pool-lp.json", lp);
    const before = readFixtures(dir);
    const moved = clone(lp);
    moved.forward[0].output.data[0] = step(moved.forward[0].output.data[0], 1, "float32");
    write("pool-lp.json", moved);
    const out = quiet();
    expect(checkFixtures(dir, before, out)).toBe(true);
    expect(fs.readFileSync(path.join(dir, "pool-lp.json"))).toEqual(before.get("pool-lp.json"));
    expect(out.lines.join("\n")).toMatch(/pool-lp\.json: 1 values differ in their last bits only .*the committed file is kept/);

    const broken = clone(lp);
    broken.forward[0].output.shape = [9];
    write("pool-lp.json", broken);
    const out2 = quiet();
    expect(checkFixtures(dir, before, out2)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "pool-lp.json"), "utf8")).forward[0].output.shape).toEqual([9]);
    expect(out2.lines.join("\n")).toMatch(/differs beyond what another CPU explains/);
  });

  it("fails on a fixture file that appeared or disappeared", () => {
    const before = readFixtures(dir);
    write("extra.json", {});
    const out = quiet();
    expect(checkFixtures(dir, before, out)).toBe(false);
    expect(out.lines.join("\n")).toMatch(/extra\.json: new/);
    fs.rmSync(path.join(dir, "extra.json"));
  });
});
