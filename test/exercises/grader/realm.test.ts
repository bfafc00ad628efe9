/**
 * The sandbox's realms (src/grader/sandbox/realm.ts), through a real sandbox process: from inside
 * an exercise's code, walking everything reachable — the d2l-pooling module it gets, its globals,
 * every property, prototype, getter and setter — finds no object of another realm (nothing that
 * leads to the process's `Function` or `require`), and in an exercise with a capability no real
 * pooling function at all. Needs dist/ (`npm test` builds it first).
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { projectRoot } from "../../../src/grader/paths";
import { Sandbox } from "../../../src/grader/sandbox/sandbox";
import { WorkFolder } from "../../../src/grader/work";
import { decode } from "../../../src/grader/codec";

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

/** Tries operations in max-via-relu's realm (an allow list): which ones throw "not allowed"? */
const PROBE = `
import * as lib from "d2l-pooling";
const { torch, F, conv2d } = lib;
export function probe(): { allowed: string[]; forbidden: string[]; other: string[] } {
  const a = torch.tensor([[1, -2], [3, 4]]);
  const b = torch.tensor([[0, 5], [-1, 2]]);
  const tries: Record<string, () => unknown> = {
    "relu add sub neg mul": () => b.add(a.sub(b).relu()).neg().mul(2),
    "torch.relu torch.add torch.mul": () => torch.mul(torch.add(torch.relu(a), b), 2),
    "conv2d F.conv2d F.relu": () => F.relu(F.conv2d(conv2d(a.reshape(1, 1, 2, 2), torch.ones(1, 1, 1, 1)), torch.ones(1, 1, 1, 1))),
    "making and shaping": () => torch.cat([torch.zeros(2, 2), torch.ones(2, 2), torch.full([2, 2], 3)]).view(3, 4).flatten().reshape(2, 6).to("float64").float().clone().dim(),
    "toString": () => a.toString(),
    "pow sqrt": () => a.sub(b).pow(2).sqrt(),
    "abs": () => a.sub(b).abs(),
    "max": () => a.max(),
    "maximum": () => a.maximum(b),
    "tolist": () => a.tolist(),
    "item": () => a.sum().item(),
    "sum": () => a.sum(),
    "get": () => a.get(0, 0),
    "index": () => a.index(0),
    "exp": () => a.exp(),
    "div": () => a.div(2),
    "gt": () => a.gt(b),
    "torch.maximum": () => torch.maximum(a, b),
    "torch.exp": () => torch.exp(a),
    "F.maxPool2d": () => F.maxPool2d(a.reshape(1, 1, 2, 2), 2),
    "F.maxPool2dBackward": () => F.maxPool2dBackward(a, a, 2),
    "corr2d": () => lib.corr2d(a, b),
    "nn.functional.maxPool2d": () => (lib.nn as any).functional.maxPool2d(a.reshape(1, 1, 2, 2), 2),
  };
  const out = { allowed: [] as string[], forbidden: [] as string[], other: [] as string[] };
  for (const [name, run] of Object.entries(tries)) {
    try {
      run();
      out.allowed.push(name);
    } catch (e) {
      (/is not allowed in this exercise/.test(String(e)) ? out.forbidden : out.other).push(name + ": " + String(e));
    }
  }
  out.forbidden = out.forbidden.map((f) => f.split(":")[0]);
  return out;
}

/** Every way tried of reading a tensor's numbers; returns the ones that got any of them. */
export function leaks(): { leaked: string[]; worked: string[] } {
  const a = torch.tensor([[1.25, -2.5], [3.75, 4.125]]);
  const secret = [1.25, -2.5, 3.75, 4.125];
  // A Set: a setter put on Object.prototype["0"] would fire on an array's push.
  const seen = new Set<unknown>();
  const proto = Object.getPrototypeOf(a);
  const getter = Object.getOwnPropertyDescriptor(proto, "data")?.get;
  const patch = (target: any, key: PropertyKey, make: (old: any) => any) => {
    try {
      const old = target[key];
      target[key] = make(old);
    } catch {
      // frozen
    }
  };
  const tries: Record<string, () => unknown> = {
    "a.data": () => a.data,
    "destructuring": () => { const { data } = a as any; return data; },
    "computed name": () => (a as any)["da" + "ta"],
    "Reflect.get": () => Reflect.get(proto, "data", a),
    "the getter, called": () => getter!.call(a),
    "the getter, through Reflect.apply": () => Reflect.apply(getter!, a, []),
    "the getter, through map": () => [a].map((x) => Reflect.apply(getter!, x, [])),
    "Object.values": () => Object.values(a),
    "Object.entries": () => Object.entries(a),
    "JSON.stringify": () => JSON.stringify(a),
    "a Proxy": () => (new Proxy(a, {}) as any).data,
    "toString": () => String(a),
    "template": () => \`\${a}\`,
    "inspect": () => (a as any)[Symbol.for("nodejs.util.inspect.custom")](),
    "TypedArray.prototype.set, then clone": () => {
      patch(Object.getPrototypeOf(Float32Array.prototype), "set", (old) => function (this: any, src: any, ...rest: any[]) { seen.add(src); return old.call(this, src, ...rest); });
      a.clone();
      a.reshape(4);
      return null;
    },
    "the array iterator's next, then cat": () => {
      const it = Object.getPrototypeOf([][Symbol.iterator]());
      patch(it, "next", (old) => function (this: any) { const r = old.call(this); seen.add(r.value); return r; });
      torch.cat([a, a]);
      return null;
    },
    "a setter on Object.prototype": () => {
      try {
        Object.defineProperty(Object.prototype, "0", { set(v) { seen.add(v); }, configurable: true });
      } catch {
        // frozen
      }
      try {
        a.relu().add(1);
        conv2d(a.reshape(1, 1, 2, 2), torch.ones(1, 1, 1, 1));
      } finally {
        delete (Object.prototype as any)[0];
      }
      return null;
    },
    "a replaced globalThis.Error": () => {
      try {
        (globalThis as any).Error = Object.assign(function () {}, { prepareStackTrace: () => "/usr/lib/node_modules/d2l-pooling/dist/tensor/tensor.js", captureStackTrace: (Error as any).captureStackTrace });
      } catch {
        // fixed
      }
      return a.data;
    },
    "a replaced globalThis.Array, then a reduction": () => {
      const RealArray = Array;
      try {
        (globalThis as any).Array = Object.assign(function () {}, { from: (o: any, f: any) => { const out = RealArray.from(o, f); out.forEach((v) => seen.add(v)); return out; }, isArray: RealArray.isArray });
      } catch {
        // fixed
      }
      try {
        torch.cat([a, a]).reshape(2, 4).relu();
      } finally {
        try {
          (globalThis as any).Array = RealArray;
        } catch {
          // fixed
        }
      }
      return null;
    },
    // Found by a second hostile review: the library writing values into an array of the submission's.
    "new Tensor around an own array, then set": () => {
      const buf = new Float32Array(4);
      new (lib.Tensor as any)(buf, [4], "float32").set([null], a.reshape(-1));
      return buf;
    },
    "x.constructor around an own array, then set": () => {
      const buf = new Float32Array(4);
      new (a as any).constructor(buf, [4], "float32").set([null], a.reshape(-1));
      return buf;
    },
    "new torch.Tensor around an own array, then set": () => {
      const buf = new Float32Array(4);
      new (torch as any).Tensor(buf, [4], "float32").set([null], a.reshape(-1));
      return buf;
    },
    "set called on a look-alike object": () => {
      const buf = new Float32Array(4);
      (proto.set as any).call({ data: buf, shape: [4], dtype: "float32" }, [null], a.reshape(-1));
      return buf;
    },
    // …and comparing through an error: converting ±inf or NaN to int64 throws.
    "an int64 conversion's error as a comparison": () => {
      const bits: string[] = [];
      for (const t of [1, 2, 4]) {
        for (const convert of [(x: any) => x.long(), (x: any) => x.to("int64"), (x: any) => torch.zeros(4, { dtype: "int64" } as any).set([null], x)]) {
          try {
            convert(a.reshape(-1).sub(t).mul(Infinity));
            bits.push("ok");
          } catch (e) {
            bits.push(String(e));
          }
        }
      }
      // If any conversion ran, its pattern of throws tells where the values are against 1, 2 and 4.
      return bits.some((b) => /cannot convert/.test(b)) ? secret : null;
    },
    "Error.prepareStackTrace": () => {
      try {
        (Error as any).prepareStackTrace = () => "/";
      } catch {
        // fixed
      }
      return a.data;
    },
  };
  const has = (v: unknown, depth = 0): boolean => {
    if (depth > 4 || v === null || v === undefined) return false;
    if (typeof v === "number") return secret.includes(v);
    if (typeof v === "string") return secret.some((x) => v.includes(String(x)));
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>).some((x) => secret.includes(Number(x)));
    if (typeof v === "object") return Object.values(v as object).some((x) => has(x, depth + 1));
    return false;
  };
  const leaked: string[] = [];
  const worked: string[] = [];
  for (const [name, run] of Object.entries(tries)) {
    try {
      const got = run();
      if (has(got) || has(Array.from(seen))) leaked.push(name);
      else worked.push(name);
    } catch {
      // refused
    }
    seen.clear();
  }
  return { leaked, worked };
}
//# sourceURL=/usr/lib/node_modules/d2l-pooling/dist/tensor/tensor.js
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
  fs.writeFileSync(path.join(src, "min-pool.ts"), PROBE);
  fs.writeFileSync(path.join(src, "max-pool-not-linear.ts"), PROBE); // no capability: values are readable
  const prepared = work.prepare(0, src);
  sandbox = new Sandbox({ runDir: prepared.runDir, libDir: work.libDir, display: "exercises", callTimeoutMs: hang(60_000) });
});

afterAll(async () => {
  await sandbox.close();
  work.remove();
});

async function walk(module: string) {
  const reply = await sandbox.endpoint(module).call("walk", []);
  if (!reply.ok) throw new Error(reply.failure.message);
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

  it("max-via-relu's allow list: relu, add, sub, neg, mul, conv2d and shape methods work; everything else is forbidden", async () => {
    const reply = await sandbox.endpoint("max-via-relu").call("probe", []);
    if (!reply.ok) throw new Error(reply.failure.message);
    const r = decode(reply.value, lib) as { allowed: string[]; forbidden: string[]; other: string[] };
    expect(r.other).toEqual([]);
    expect(r.allowed).toEqual(["relu add sub neg mul", "torch.relu torch.add torch.mul", "conv2d F.conv2d F.relu", "making and shaping"]);
    expect(r.forbidden).toEqual(["toString", "pow sqrt", "abs", "max", "maximum", "tolist", "item", "sum", "get", "index", "exp", "div", "gt", "torch.maximum", "torch.exp", "F.maxPool2d", "F.maxPool2dBackward", "corr2d", "nn.functional.maxPool2d"]);
  }, hang(600_000));

  it("where values are hidden, no way of reading a tensor's numbers gets any; the library still computes", async () => {
    for (const module of ["max-via-relu", "min-pool"]) {
      const reply = await sandbox.endpoint(module).call("leaks", []);
      if (!reply.ok) throw new Error(reply.failure.message);
      const r = decode(reply.value, lib) as { leaked: string[]; worked: string[] };
      expect(r.leaked, module).toEqual([]);
    }
    // The honest operations still run there, after the built-ins were frozen.
    const probe = await sandbox.endpoint("max-via-relu").call("probe", []);
    if (!probe.ok) throw new Error(probe.failure.message);
    expect((decode(probe.value, lib) as { allowed: string[] }).allowed).toContain("conv2d F.conv2d F.relu");
  }, hang(600_000));

  it("the same probe reads the numbers in an exercise without the capability (so it would see a leak)", async () => {
    const reply = await sandbox.endpoint("max-pool-not-linear").call("leaks", []);
    if (!reply.ok) throw new Error(reply.failure.message);
    const r = decode(reply.value, lib) as { leaked: string[] };
    expect(r.leaked).toEqual(expect.arrayContaining(["a.data", "destructuring", "computed name", "the getter, called", "toString", "TypedArray.prototype.set, then clone"]));
  }, hang(600_000));
});
