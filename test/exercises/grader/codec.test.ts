/**
 * The grader's wire format (src/grader/codec.ts): what crosses between a spec and a student's module.
 */
import { describe, expect, it } from "vitest";
import * as lib from "d2l-pooling";
import { torch, Tensor } from "d2l-pooling";
import { CodecError, LIMITS, decode, encode, makePool, poolSpecOf } from "../../../src/grader/codec";

const roundTrip = <T>(v: T): T => decode(JSON.parse(JSON.stringify(encode(v, lib))), lib) as T;

describe("codec: values survive a JSON round trip", () => {
  it("numbers, including NaN, ±Infinity and -0", () => {
    const out = roundTrip([1.5, NaN, Infinity, -Infinity, -0, 0, 2 ** 53]);
    expect(out[0]).toBe(1.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Infinity);
    expect(out[3]).toBe(-Infinity);
    expect(Object.is(out[4], -0)).toBe(true);
    expect(Object.is(out[5], 0)).toBe(true);
    expect(out[6]).toBe(2 ** 53);
  });

  it("strings, booleans, null, undefined, nested arrays and plain objects", () => {
    const v = { a: "x", b: [true, false, null, undefined], c: { d: [[1], []] }, e: undefined };
    const out = roundTrip(v);
    expect(out).toEqual(v);
    expect("e" in out).toBe(true);
  });

  it("tensors of every dtype, with their shape, dtype and special values; a fresh copy each time", () => {
    const f = torch.tensor([[1.5, NaN], [-Infinity, -0]]);
    const d = torch.tensor([1e300, -2], { dtype: "float64" });
    const i = torch.tensor([3, -4], { dtype: "int64" });
    const b = torch.tensor([true, false]);
    const z = torch.zeros(0, 3);
    for (const t of [f, d, i, b, z]) {
      const out = roundTrip(t);
      expect(out).toBeInstanceOf(Tensor);
      expect(out).not.toBe(t);
      expect(out.dtype).toBe(t.dtype);
      expect(out.shape).toEqual(t.shape);
      expect(Array.from(out.data).map(String)).toEqual(Array.from(t.data).map(String));
      expect(Object.is(out.data[3], t.data[3])).toBe(true);
    }
    expect(String(roundTrip(f))).toBe(String(f));
  });

  it("a key named __proto__ stays a plain field (no prototype change)", () => {
    const v = JSON.parse('{"__proto__": {"polluted": 1}, "ok": 2}');
    const out = roundTrip(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__", "ok"]);
  });

  it("pooling functions made by makePool cross as their spec and still pool", () => {
    const p = makePool({ op: "max", kernelSize: 2, stride: 1 }, lib);
    const q = roundTrip(p) as (x: Tensor) => Tensor;
    expect(typeof q).toBe("function");
    expect(poolSpecOf(q)).toEqual({ op: "max", kernelSize: 2, stride: 1 });
    const X = torch.arange(9, { dtype: "float32" }).reshape(1, 1, 3, 3);
    expect(String(q(X))).toBe(String(lib.F.maxPool2d(X, 2, { stride: 1 })));
    const id = roundTrip(makePool({ op: "identity" }, lib)) as (x: Tensor) => Tensor;
    expect(id(X)).not.toBe(X);
    expect(String(id(X))).toBe(String(X));
  });
});

describe("codec: refuses what it cannot carry, saying what and where", () => {
  const refuse = (v: unknown, pattern: RegExp) => {
    expect(() => encode(v, lib)).toThrow(CodecError);
    expect(() => encode(v, lib)).toThrow(pattern);
  };
  it("functions, symbols, bigints, class instances, typed arrays, getters", () => {
    refuse({ f: () => 1 }, /value\.f: a function cannot be passed/);
    refuse([Symbol("s")], /value\[0\]: a symbol/);
    refuse(10n, /bigint/);
    refuse(new Map(), /an instance of Map/);
    refuse(new Float32Array(2), /typed array.*torch\.tensor/);
    refuse(
      Object.defineProperty({}, "x", { get: () => 1, enumerable: true }),
      /value\.x: a getter/,
    );
  });
  it("cycles and values nested too deep or too large", () => {
    const a: unknown[] = [];
    a.push(a);
    refuse(a, /contains itself/);
    let deep: unknown = 1;
    for (let i = 0; i < LIMITS.depth + 2; i++) deep = [deep];
    refuse(deep, /nested deeper/);
    refuse(new Array(LIMITS.numbers + 1).fill(0), /too large/);
  });
  it("malformed wire data", () => {
    expect(() => decode({ $tensor: { shape: [2, 2], dtype: "float32", data: [1, 2, 3] } }, lib)).toThrow(/shape \[2,2\] with 3 elements/);
    expect(() => decode({ $tensor: { shape: [1], dtype: "complex64", data: [1] } }, lib)).toThrow(/malformed tensor/);
    expect(() => decode({ $tensor: { shape: [1], dtype: "int64", data: [1.5] } }, lib)).toThrow(/int64 tensor holds 1.5/);
    expect(() => decode({ $num: "1e999" }, lib)).toThrow(/unknown number/);
    expect(() => decode({ a: 1, b: 2 }, lib)).toThrow(/exactly one \$-key/);
    expect(() => decode({ $pool: { op: "exec", kernelSize: 2 } }, lib)).toThrow(/unknown op/);
    expect(() => decode({ $pool: { op: "max", kernelSize: 2, extra: 1 } }, lib)).toThrow(/unexpected key 'extra'/);
  });
});
