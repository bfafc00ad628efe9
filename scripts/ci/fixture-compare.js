// Compares a fixture file the generators just made with the committed one, so that CI is red only
// for a real change and never for the CPU it runs on (docs/module.md, "Fixtures on other CPUs").
//
// PyTorch gives bit-identical results on every CPU for some values and not for others: its random
// normal numbers (log, sqrt, cos), pow, exp and sums can round differently in the last bit where a
// CPU has other vector instructions or libm picks another code path (FMA or not). So each value
// falls in one of three classes:
//
//   exact     everything that is not a floating-point tensor value: keys, array lengths, strings
//             (error messages, printed tensors), booleans, numbers in arguments, shapes, dtypes,
//             int64 and bool tensors (indices), NaN and ±inf, torch.rand's values (exact arithmetic
//             on the Mersenne twister's bits)
//   selected  a value that max pooling or max unpooling copies from its input: it must be exactly
//             the regenerated value at a place that held it before (exact, given its input)
//   computed  every other floating-point tensor value (random normal inputs, averages, lp pooling,
//             gradients that are sums): within ULPS units in the last place of the largest |value|
//             of the committed tensor (the tensor's scale: a sum's rounding error is relative to the
//             terms it adds, not to the result, which may cancel to almost nothing)
//
// compareFixture(name, committed, generated) returns { problems, tolerated, maxUlps }: problems are
// the differences that are not allowed (a check fails on any), tolerated counts the values that
// differ within their class.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** Units in the last place a computed value may move (measured: 1 between CPUs; see docs/module.md). */
const ULPS = 4;
const MAX_PROBLEMS = 20;

/** Which output tensors of a case are copies of which input tensor, per fixture file. */
const SELECTIONS = {
  "pool-max.json": (section) => (section === "forward" ? { output: "input" } : null),
  "pool-adaptive.json": (section, c) => (section === "forward" && c.op === "adaptive_max_pool2d" ? { output: "input" } : null),
  "pool-unpool.json": (section) => (section === "forward" ? { output: "input" } : { gradInput: "gradOutput" }),
  "modules.json": (_section, c) => (/^(MaxPool2d|AdaptiveMaxPool2d|MaxUnpool2d)$/.test(c.ctor) ? { output: "input" } : null),
};

/** Cases whose float values are exact bit for bit on every CPU. */
const EXACT_CASES = {
  "random.json": (c) => c.fn === "rand",
};

const isTensor = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && Array.isArray(v.shape) && typeof v.dtype === "string" && Array.isArray(v.data);
const isFloatDtype = (dtype) => dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16";

const scratch = new DataView(new ArrayBuffer(8));

/** The size of one unit in the last place at |x|, for float32 or float64. */
function ulp(x, dtype) {
  const a = Math.abs(x);
  if (dtype === "float64") {
    if (a < 2.2250738585072014e-308) return 5e-324;
    scratch.setFloat64(0, a);
    const bits = scratch.getBigUint64(0);
    scratch.setBigUint64(0, bits + 1n);
    return scratch.getFloat64(0) - a;
  }
  const f = Math.fround(a);
  if (f < 1.1754943508222875e-38) return 1.401298464324817e-45;
  scratch.setFloat32(0, f);
  scratch.setUint32(0, scratch.getUint32(0) + 1);
  return scratch.getFloat32(0) - f;
}

function describe(v) {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Comparison {
  constructor(name) {
    this.name = name;
    this.problems = [];
    this.problemCount = 0;
    this.tolerated = 0;
    this.maxUlps = 0;
  }

  problem(where, text) {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(`${this.name}${where}: ${text}`);
  }

  /** Structure and every exact value; tensors are handed to `tensor` with their context. */
  walk(a, b, where, context) {
    if (isTensor(a) && isTensor(b)) return this.tensor(a, b, where, context);
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b)) return this.problem(where, `was ${describe(a)}, now ${describe(b)}`);
      if (a.length !== b.length) return this.problem(where, `had ${a.length} entries, now ${b.length}`);
      for (let i = 0; i < a.length; i++) this.walk(a[i], b[i], `${where}[${i}]`, context);
      return;
    }
    if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      if (ka.join("\0") !== kb.join("\0")) return this.problem(where, `keys were ${describe(ka)}, now ${describe(kb)}`);
      for (const k of ka) this.walk(a[k], b[k], `${where}.${k}`, context);
      return;
    }
    if (!Object.is(a, b)) this.problem(where, `was ${describe(a)}, now ${describe(b)}`);
  }

  tensor(a, b, where, { exactFloats = false, selectedFrom = null } = {}) {
    if (a.dtype !== b.dtype) return this.problem(`${where}.dtype`, `was ${a.dtype}, now ${b.dtype}`);
    this.walk(a.shape, b.shape, `${where}.shape`, {});
    if (a.data.length !== b.data.length) return this.problem(`${where}.data`, `had ${a.data.length} values, now ${b.data.length}`);
    const float = isFloatDtype(a.dtype) && !exactFloats;
    let scale = 0;
    if (float && !selectedFrom) for (const v of a.data) if (typeof v === "number" && Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < a.data.length; i++) {
      const x = a.data[i];
      const y = b.data[i];
      if (Object.is(x, y)) continue;
      const at = `${where}.data[${i}]`;
      if (!float || typeof x !== "number" || typeof y !== "number") {
        this.problem(at, `was ${describe(x)}, now ${describe(y)}${float ? "" : ` (${a.dtype}: exact)`}`);
      } else if (selectedFrom) {
        if (selectedFrom.get(x)?.has(y)) this.tolerated++;
        else this.problem(at, `was ${x}, now ${y}: a value max pooling copies from its input, and the input held no ${x} that became ${y}`);
      } else {
        const units = Math.abs(x - y) / ulp(scale, a.dtype);
        if (units <= ULPS) {
          this.tolerated++;
          this.maxUlps = Math.max(this.maxUlps, Math.ceil(units));
        } else {
          this.problem(at, `was ${x}, now ${y}: ${units.toFixed(1)} units in the last place of the tensor's largest value ${scale} (at most ${ULPS} may differ between CPUs)`);
        }
      }
    }
  }
}

/** For a selected output: each committed input value → the regenerated values at its places. */
function valueMap(committed, generated) {
  const map = new Map();
  if (!isTensor(committed) || !isTensor(generated) || committed.data.length !== generated.data.length) return map;
  committed.data.forEach((x, i) => {
    if (!map.has(x)) map.set(x, new Set());
    map.get(x).add(generated.data[i]);
  });
  return map;
}

/**
 * Compares one test case (an object holding tensors), choosing each tensor's class from the file's
 * rules.
 */
function compareCase(cmp, file, section, a, b, where) {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) || Array.isArray(b)) return cmp.walk(a, b, where, {});
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join("\0") !== kb.join("\0")) return cmp.problem(where, `keys were ${describe(ka)}, now ${describe(kb)}`);
  const selections = SELECTIONS[file]?.(section, a) ?? {};
  const exactFloats = EXACT_CASES[file]?.(a) ?? false;
  for (const k of ka) {
    const source = selections[k];
    if (k === "forward" && isPlainObject(a[k]) && isPlainObject(b[k])) {
      compareCase(cmp, file, section, { ...a[k], ctor: a.ctor }, { ...b[k], ctor: b.ctor }, `${where}.${k}`); // modules.json nests its tensors
      continue;
    }
    const selectedFrom = source ? valueMap(a[source], b[source]) : null;
    cmp.walk(a[k], b[k], `${where}.${k}`, { exactFloats, selectedFrom });
  }
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !isTensor(v);

/** Compares a whole fixture file (parsed JSON) with its regenerated version. */
function compareFixture(file, committed, generated) {
  const cmp = new Comparison(file);
  if (isPlainObject(committed) && isPlainObject(generated)) {
    const ka = Object.keys(committed);
    const kb = Object.keys(generated);
    if (ka.join("\0") !== kb.join("\0")) cmp.problem("", `top-level keys were ${describe(ka)}, now ${describe(kb)}`);
    else {
      for (const section of ka) {
        const a = committed[section];
        const b = generated[section];
        if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
          a.forEach((c, i) => compareCase(cmp, file, section, c, b[i], `.${section}[${i}]`));
          continue;
        }
        cmp.walk(a, b, `.${section}`, {});
      }
    }
  } else if (Array.isArray(committed) && Array.isArray(generated) && committed.length === generated.length) {
    committed.forEach((c, i) => compareCase(cmp, file, "", reprAsTensor(c), reprAsTensor(generated[i]), `[${i}]`));
  } else {
    cmp.walk(committed, generated, "", {});
  }
  const more = cmp.problemCount - cmp.problems.length;
  return { problems: more > 0 ? [...cmp.problems, `${file}: … and ${more} more`] : cmp.problems, tolerated: cmp.tolerated, maxUlps: cmp.maxUlps };
}

/** repr.json's entries keep their values beside the shape: seen as a tensor, they are compared as one. */
function reprAsTensor(entry) {
  if (!isPlainObject(entry) || !Array.isArray(entry.values)) return entry;
  const { values, shape, dtype, ...rest } = entry;
  return { ...rest, values: { shape, dtype, data: values } };
}

/** Every fixture file of a folder: name → its bytes. */
function readFixtures(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  return new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

/**
 * After the generators ran in `dir`: compares each file with its bytes from before (`before`), puts
 * back the ones that differ only within tolerance, and leaves the others for `git diff`. True when
 * nothing differs beyond tolerance.
 */
function checkFixtures(dir, before, { log, error }) {
  const after = readFixtures(dir);
  let ok = true;
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(file);
    const now = after.get(file);
    if (!old || !now) {
      error(old ? `${file}: no generator made it any more` : `${file}: new — a generator made a file that was not there before`);
      ok = false;
      continue;
    }
    if (now.equals(old)) {
      log(`${file}: identical`);
      continue;
    }
    let result;
    try {
      result = compareFixture(file, JSON.parse(old.toString("utf8")), JSON.parse(now.toString("utf8")));
    } catch (e) {
      result = { problems: [`${file}: not JSON any more (${e.message})`] };
    }
    if (result.problems.length) {
      ok = false;
      error(`${file}: differs beyond what another CPU explains (the new file is left in place; \`git diff\` shows it):`);
      for (const p of result.problems) error(`  ${p}`);
    } else {
      fs.writeFileSync(path.join(dir, file), old);
      log(`${file}: ${result.tolerated} values differ in their last bits only (computed values by at most ${result.maxUlps} of the ${ULPS} allowed units in the last place; max values follow their inputs): the committed file is kept`);
    }
  }
  if (ok) log("every fixture reproduced: exact values exactly, CPU-dependent ones within tolerance");
  else error("The fixtures differ from what the generators make now (above). If the change is meant, review it and commit the regenerated files.");
  return ok;
}

module.exports = { compareFixture, checkFixtures, readFixtures, ulp, ULPS };
