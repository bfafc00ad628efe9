/**
 * The sandbox's realms (src/grader/sandbox/realm.ts), through a real sandbox process: from inside
 * an exercise's code, walking everything reachable — the d2l-pooling module it gets, its globals,
 * every property, prototype, getter and setter — finds no object of another realm (nothing that
 * leads to the process's `Function` or `require`), in an exercise with a capability no real
 * pooling function at all, and in a traced exercise (src/grader/trace/) not one number of the
 * grader's inputs — while the same search finds them where values are given (so it can fail).
 * Needs dist/ (`npm test` builds it first).
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { projectRoot } from "../../../src/grader/paths";
import { Sandbox } from "../../../src/grader/sandbox/sandbox";
import { WorkFolder } from "../../../src/grader/work";
import { decode, encode } from "../../../src/grader/codec";

/** Walks the reachable graph from inside the realm; returns what it found. */
const WALKER = `
import * as lib from "d2l-pooling";
export function walk(): { objects: number; foreign: string[]; functions: string[]; evalWorks: boolean } {
  const own = Object.prototype;
  const seen = new Set<unknown>();
  const foreign: string[] = [];
  const functions = new Set<string>();
  const queue: [unknown, string][] = [[lib, "lib"], [globalThis, "globalThis"]];
  // What the library makes, too: tensors of every size (big ones take the fast kernels' path).
  for (const n of [4, 64, 256]) {
    const X = lib.torch.randn(2, 3, n, n);
    const made: unknown[] = [X, X.relu(), X.add(1).sum(), lib.conv2d(X, lib.torch.ones(3, 3, 2, 2))];
    try {
      made.push(lib.F.maxPool2d(X, 2), lib.F.avgPool2d(X, 3, { stride: 1, padding: 1 }), lib.F.maxPool2d(X, 2, { returnIndices: true }));
    } catch {
      // not allowed in this exercise
    }
    made.forEach((m, i) => queue.push([m, "made[" + n + "][" + i + "]"]));
  }
  while (queue.length && seen.size < 200000) {
    const [v, where] = queue.pop()!;
    if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) continue;
    seen.add(v);
    let root: object | null = v as object;
    while (Object.getPrototypeOf(root) !== null) root = Object.getPrototypeOf(root);
    if (root !== own && root !== v) foreign.push(where);
    if (typeof v === "function") functions.add((v as { name: string }).name);
    queue.push([Object.getPrototypeOf(v), where + ".__proto__"]);
    if (ArrayBuffer.isView(v)) {
      queue.push([(v as ArrayBufferView).buffer, where + ".buffer"]); // its elements are numbers
      continue;
    }
    for (const key of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      const at = where + "." + String(key);
      if ("value" in d) queue.push([d.value, at]);
      if (d.get) queue.push([d.get, at + "(get)"]);
      if (d.set) queue.push([d.set, at + "(set)"]);
    }
  }
  let evalWorks = true;
  try { (0, eval)("1"); } catch { evalWorks = false; }
  return { objects: seen.size, foreign, functions: [...functions].sort(), evalWorks };
}
`;

/**
 * Tries operations on traced inputs in max-via-relu's realm (relu, add, sub, neg, mul, conv2d and
 * shaping allowed): which ones throw "not allowed", and which "needs the values"?
 */
const PROBE = `
import * as lib from "d2l-pooling";
const { torch, F, conv2d } = lib;
export function probe(a: lib.Tensor, b: lib.Tensor): { allowed: string[]; forbidden: string[]; values: string[]; other: string[] } {
  const tries: Record<string, () => unknown> = {
    "relu add sub neg mul": () => b.add(a.sub(b).relu()).neg().mul(2),
    "torch.relu torch.add torch.mul": () => torch.mul(torch.add(torch.relu(a), b), 2),
    "conv2d F.conv2d F.relu": () => F.relu(F.conv2d(conv2d(a.reshape(1, 1, 2, 2), torch.ones(1, 1, 1, 1)), torch.ones(1, 1, 1, 1))),
    "a constant times an input": () => torch.ones(2, 2).mul(a).add(torch.full([2, 2], 3)),
    "shaping": () => torch.cat([a, b]).view(2, 4).flatten().reshape(4, 2).to("float64").float().clone(),
    "shape questions": () => a.dim() + a.numel() + a.size(0) + a.ndim + (torch.isTensor(a) ? 1 : 0) + a.shape[0],
    "constants are free": () => torch.tensor([[1, -2], [3, 4]]).abs().max().item() + torch.tensor([1]).tolist().length,
    "pow sqrt": () => a.sub(b).pow(2).sqrt(),
    "abs": () => a.sub(b).abs(),
    "max": () => a.max(),
    "maximum": () => a.maximum(b),
    "exp": () => a.exp(),
    "div": () => a.div(2),
    "gt": () => a.gt(b),
    "index": () => a.index(0),
    "torch.maximum": () => torch.maximum(a, b),
    "F.maxPool2d": () => F.maxPool2d(a.reshape(1, 1, 2, 2), 2),
    "nn.functional.maxPool2d": () => (lib.nn as any).functional.maxPool2d(a.reshape(1, 1, 2, 2), 2),
    "corr2d": () => lib.corr2d(a, b),
    "data": () => a.data,
    "destructuring": () => { const { data } = a as any; return data; },
    "tolist": () => a.tolist(),
    "item": () => a.item(),
    "get": () => a.get(0, 0),
    "toString": () => String(a),
    "template": () => \`\${a}\`,
    "as a number": () => (a as any) + 1,
    "Tensor.prototype.tolist, called on it": () => (lib.Tensor.prototype.tolist as any).call(a),
    "set (an input)": () => a.set([0, 0], 1),
  };
  const out = { allowed: [] as string[], forbidden: [] as string[], values: [] as string[], other: [] as string[] };
  for (const [name, run] of Object.entries(tries)) {
    try {
      run();
      out.allowed.push(name);
    } catch (e) {
      const text = String(e);
      (/is not allowed in this exercise/.test(text) ? out.forbidden : /needs the values of the grader's inputs/.test(text) ? out.values : out.other).push(name + (/is not allowed|needs the values/.test(text) ? "" : ": " + text));
    }
  }
  return out;
}
`;

/**
 * Keeps what it is given, then searches everything reachable in its realm — the globals, the module,
 * what it kept, prototypes, getters' results are not called — for numbers and typed arrays.
 */
const KEEPER = `
import * as lib from "d2l-pooling";
const kept: unknown[] = [];
export function keep(X: unknown): unknown {
  kept.push(X);
  try {
    const t = X as lib.Tensor;
    kept.push(t.relu(), t.reshape(-1), (lib.F as any).conv2d?.(t, lib.torch.ones(1, 1, 1, 1)));
  } catch {
    // not allowed here
  }
  (globalThis as any).stash = kept;
  return 0;
}
export function numbers(): number[] {
  const seen = new Set<unknown>();
  const found: number[] = [];
  const queue: unknown[] = [lib, globalThis, kept];
  while (queue.length && seen.size < 300000) {
    const v = queue.pop();
    if (typeof v === "number") { found.push(v); continue; }
    if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (!(v instanceof DataView)) for (const x of v as unknown as ArrayLike<number>) found.push(Number(x));
      continue;
    }
    queue.push(Object.getPrototypeOf(v));
    for (const key of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if ("value" in d) queue.push(d.value);
    }
  }
  return found;
}
`;

let work: WorkFolder;
let sandbox: Sandbox;

beforeAll(() => {
  work = WorkFolder.create(projectRoot());
  const src = path.join(work.dir, "walker-src");
  fs.mkdirSync(src);
  // One walker in the shared realm (softmax-pool has no capability), one in max-pool-as-conv's.
  fs.writeFileSync(path.join(src, "softmax-pool.ts"), WALKER);
  fs.writeFileSync(path.join(src, "max-pool-as-conv.ts"), WALKER);
  fs.writeFileSync(path.join(src, "max-via-relu.ts"), PROBE);
  // Traced (min-pool, avg-pool-as-conv) and given values (max-pool-as-conv's keeper is the walker's neighbour).
  fs.writeFileSync(path.join(src, "min-pool.ts"), KEEPER);
  fs.writeFileSync(path.join(src, "avg-pool-as-conv.ts"), KEEPER);
  fs.writeFileSync(path.join(src, "pooling-cost.ts"), KEEPER);
  const prepared = work.prepare(0, src);
  sandbox = new Sandbox({ runDir: prepared.runDir, libDir: work.libDir, display: "exercises", callTimeoutMs: hang(60_000) });
});

afterAll(async () => {
  await sandbox.close();
  work.remove();
});

async function walk(module: string) {
  const reply = await sandbox.endpoint(module).call("walk", []);
  if (!reply.ok) throw new Error(reply.failure.message.en);
  return decode(reply.value, lib) as { objects: number; foreign: string[]; functions: string[]; evalWorks: boolean };
}

describe("sandbox realms", () => {
  it("nothing of the sandbox process is reachable from an exercise's code; eval and Function are off", async () => {
    for (const module of ["softmax-pool", "max-pool-as-conv"]) {
      const r = await walk(module);
      expect(r.objects, module).toBeGreaterThan(500); // the walk saw the library
      expect(r.foreign, module).toEqual([]);
      expect(r.evalWorks, module).toBe(false);
    }
  }, hang(600_000));

  it("in an exercise with a capability, no real pooling function is reachable at all", async () => {
    const shared = await walk("softmax-pool");
    const limited = await walk("max-pool-as-conv");
    expect(shared.functions).toContain("maxPool2d"); // the walk finds it where it is allowed
    for (const f of ["maxPool2d", "avgPool2d", "lpPool2d", "adaptiveMaxPool2d", "maxPool2dWithIndices", "pool2d", "MaxPool2d"]) expect(limited.functions, f).not.toContain(f);
    expect(limited.functions).toContain("not allowed: F.maxPool2d"); // its stand-in
  }, hang(600_000));

  it("max-via-relu's traced inputs: relu, add, sub, neg, mul, conv2d and shaping are recorded; everything else is refused", async () => {
    const inputs = [{ shape: [2, 2], dtype: "float32" as const }, { shape: [2, 2], dtype: "float32" as const }];
    const reply = await sandbox.endpoint("max-via-relu").trace!("probe", [{ $ref: { node: 0 } }, { $ref: { node: 1 } }], inputs);
    if (!reply.ok) throw new Error(reply.failure.message.en);
    const r = decode((reply.value as { result: unknown }).result, lib) as { allowed: string[]; forbidden: string[]; values: string[]; other: string[] };
    expect(r.other).toEqual(["set (an input): InputChanged: Tensor.set on an input: a function must not modify its inputs — work on a copy (X.clone())"]);
    expect(r.allowed).toEqual(["relu add sub neg mul", "torch.relu torch.add torch.mul", "conv2d F.conv2d F.relu", "a constant times an input", "shaping", "shape questions", "constants are free"]);
    expect(r.forbidden).toEqual(["pow sqrt", "abs", "max", "maximum", "exp", "div", "gt", "index", "torch.maximum", "F.maxPool2d", "nn.functional.maxPool2d", "corr2d"]);
    expect(r.values).toEqual(["data", "destructuring", "tolist", "item", "get", "toString", "template", "as a number", "Tensor.prototype.tolist, called on it"]);
  }, hang(600_000));

  // Values no float32 input of the chapter holds by chance.
  const secret = [1.2578125, -2.5390625, 3.7734375, 4.12890625, -5.00390625, 6.0078125];
  const X = () => lib.torch.tensor(secret).reshape(1, 1, 2, 3);

  it("after a traced call, no number of the grader's input is anywhere in the exercise's realm", async () => {
    for (const module of ["min-pool", "avg-pool-as-conv"]) {
      const kept = await sandbox.endpoint(module).trace!("keep", [{ $ref: { node: 0 } }], [{ shape: [1, 1, 2, 3], dtype: "float32" }]);
      expect(kept.ok, module).toBe(true);
      const reply = await sandbox.endpoint(module).call("numbers", []);
      if (!reply.ok) throw new Error(reply.failure.message.en);
      const found = decode(reply.value, lib) as number[];
      expect(found.length, module).toBeGreaterThan(100); // the search saw the library's numbers
      expect(found.filter((v) => secret.includes(v)), module).toEqual([]);
    }
  }, hang(600_000));

  it("the same search finds the input's numbers where the code is given values (so it would see a leak)", async () => {
    const kept = await sandbox.endpoint("pooling-cost").call("keep", encode([X()], lib));
    expect(kept.ok).toBe(true);
    const reply = await sandbox.endpoint("pooling-cost").call("numbers", []);
    if (!reply.ok) throw new Error(reply.failure.message.en);
    expect(new Set((decode(reply.value, lib) as number[]).filter((v) => secret.includes(v)))).toEqual(new Set(secret));
  }, hang(600_000));
});
