/**
 * The Tensor core, by hand-worked cases. Every expected value was checked against real PyTorch
 * 1.13 (/usr/bin/python3); the Python expression is in the comment next to the literal.
 *
 * JS has one number type, so `torch.tensor([1, 2])` is float32 here (PyTorch would say int64
 * for Python ints); pass `{ dtype: "int64" }` for integer tensors. The Python comments use
 * `1.`-style literals wherever that matters.
 */
import { Writable } from "node:stream";
import { Console } from "node:console";
import { inspect } from "node:util";
import { describe, it, expect } from "vitest";
import { Tensor, torch } from "../../src/index";

const long = (data: Parameters<typeof torch.tensor>[0]) => torch.tensor(data, { dtype: "int64" });

/** What console.log prints, captured from a real Console. */
function consoleLog(...args: unknown[]): string {
  let text = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  new Console({ stdout: sink, stderr: sink }).log(...args);
  return text;
}

describe("torch.tensor", () => {
  it("nested arrays: shape, float32 by default", () => {
    const t = torch.tensor([[[1, 2], [3, 4]]]);
    expect(t.shape).toEqual([1, 2, 2]); // torch.tensor([[[1.,2.],[3.,4.]]]).shape == torch.Size([1, 2, 2])
    expect(t.dtype).toBe("float32"); // torch.tensor([1., 2.]).dtype
    expect(String(t)).toBe("tensor([[[1., 2.],\n         [3., 4.]]])");
    expect(String(torch.tensor([1.5, 2]))).toBe("tensor([1.5000, 2.0000])"); // repr(torch.tensor([1.5, 2]))
  });

  it("a plain number makes a 0-d tensor", () => {
    const t = torch.tensor(3.5);
    expect(t.shape).toEqual([]);
    expect(String(t)).toBe("tensor(3.5000)"); // repr(torch.tensor(3.5))
    expect(String(torch.tensor(3))).toBe("tensor(3.)"); // repr(torch.tensor(3.))
  });

  it("flat arrays and typed arrays", () => {
    expect(String(torch.tensor([0.5, 1, 2]))).toBe("tensor([0.5000, 1.0000, 2.0000])");
    const f64 = torch.tensor(new Float64Array([1.5, 2]));
    expect(f64.dtype).toBe("float64");
    expect(String(f64)).toBe("tensor([1.5000, 2.0000], dtype=torch.float64)"); // repr(torch.tensor([1.5, 2], dtype=torch.float64))
    const f32 = torch.tensor(new Float32Array([0.1]));
    expect(f32.dtype).toBe("float32");
    expect(f32.item()).toBe(Math.fround(0.1));
    const i = torch.tensor(new Int32Array([1, 2]));
    expect(i.dtype).toBe("int64");
    expect(String(i)).toBe("tensor([1, 2])");
  });

  it("dtype option converts (int64 truncates toward zero)", () => {
    expect(String(torch.tensor([1, 2], { dtype: "float64" }))).toBe("tensor([1., 2.], dtype=torch.float64)");
    // torch.tensor([1.7, -1.7]).to(torch.int64) == tensor([ 1, -1])
    expect(String(torch.tensor([1.7, -1.7], { dtype: "int64" }))).toBe("tensor([ 1, -1])");
  });

  it("booleans give a bool tensor", () => {
    const b = torch.tensor([true, false]);
    expect(b.dtype).toBe("bool");
    expect(String(b)).toBe("tensor([ True, False])"); // repr(torch.tensor([True, False]))
    expect(String(torch.tensor([[true, false]]))).toBe("tensor([[ True, False]])");
    expect(b.tolist()).toEqual([true, false]);
  });

  it("ragged arrays are rejected with PyTorch's message", () => {
    // torch.tensor([[1, 2], [3]]) -> ValueError: expected sequence of length 2 at dim 1 (got 1)
    expect(() => torch.tensor([[1, 2], [3]])).toThrow("expected sequence of length 2 at dim 1 (got 1)");
    // torch.tensor([[1., 2], [3, 4, 5]]) -> ValueError: expected sequence of length 2 at dim 1 (got 3)
    expect(() => torch.tensor([[1, 2], [3, 4, 5]])).toThrow("expected sequence of length 2 at dim 1 (got 3)");
  });
});

describe("torch.arange", () => {
  it("integers give int64", () => {
    const t = torch.arange(5);
    expect(t.dtype).toBe("int64");
    expect(String(t)).toBe("tensor([0, 1, 2, 3, 4])"); // repr(torch.arange(5))
    expect(String(torch.arange(2, 8, 2))).toBe("tensor([2, 4, 6])"); // repr(torch.arange(2, 8, 2))
  });

  it("{ dtype } gives floats; a fractional bound or step gives float32", () => {
    const t = torch.arange(5, { dtype: "float32" });
    expect(t.dtype).toBe("float32");
    expect(String(t)).toBe("tensor([0., 1., 2., 3., 4.])"); // repr(torch.arange(5, dtype=torch.float32))
    expect(String(torch.arange(3, { dtype: "float64" }))).toBe("tensor([0., 1., 2.], dtype=torch.float64)");
    expect(String(torch.arange(1, 2, 0.25))).toBe("tensor([1.0000, 1.2500, 1.5000, 1.7500])"); // repr(torch.arange(1, 2, 0.25))
    expect(String(torch.arange(0.5, 2))).toBe("tensor([0.5000, 1.5000])"); // repr(torch.arange(0.5, 2))
  });

  it("negative step", () => {
    expect(String(torch.arange(5, 0, -1))).toBe("tensor([5, 4, 3, 2, 1])"); // repr(torch.arange(5, 0, -1))
    expect(String(torch.arange(10, 0, -3))).toBe("tensor([10,  7,  4,  1])"); // repr(torch.arange(10, 0, -3))
  });

  it("errors", () => {
    expect(() => torch.arange(0, 5, 0)).toThrow("step must be nonzero"); // torch.arange(0, 5, 0)
    // torch.arange(0, 5, -1)
    expect(() => torch.arange(0, 5, -1)).toThrow("upper bound and larger bound inconsistent with step sign");
  });
});

describe("zeros / ones / full", () => {
  it("zeros(2, 3) and zeros([2, 3])", () => {
    const expected = "tensor([[0., 0., 0.],\n        [0., 0., 0.]])"; // repr(torch.zeros(2, 3))
    expect(String(torch.zeros(2, 3))).toBe(expected);
    expect(String(torch.zeros([2, 3]))).toBe(expected);
    expect(torch.zeros(2, 3).dtype).toBe("float32");
  });

  it("ones in both forms, with a dtype", () => {
    expect(String(torch.ones([2], { dtype: "int64" }))).toBe("tensor([1, 1])"); // repr(torch.ones((2,), dtype=torch.int64))
    expect(String(torch.ones(2, 2))).toBe("tensor([[1., 1.],\n        [1., 1.]])");
    // repr(torch.zeros(2, 3, dtype=torch.int64))
    expect(String(torch.zeros(2, 3, { dtype: "int64" }))).toBe("tensor([[0, 0, 0],\n        [0, 0, 0]])");
  });

  it("full: numbers give float32 (JS cannot tell 7 from 7.0, as for torch.tensor), booleans bool, dtype on request", () => {
    expect(String(torch.full([2, 2], 7))).toBe("tensor([[7., 7.],\n        [7., 7.]])"); // repr(torch.full((2, 2), 7.))
    expect(String(torch.full([2, 2], -1e4))).toBe("tensor([[-10000., -10000.],\n        [-10000., -10000.]])"); // repr(torch.full((2, 2), -1e4))
    expect(String(torch.full([2, 2], 7, { dtype: "int64" }))).toBe("tensor([[7, 7],\n        [7, 7]])"); // repr(torch.full((2, 2), 7))
    expect(String(torch.full([2], 0.5))).toBe("tensor([0.5000, 0.5000])");
    expect(String(torch.full([2], true))).toBe("tensor([True, True])"); // repr(torch.full((2,), True))
  });

  it("empty shapes print their size", () => {
    expect(String(torch.zeros(0))).toBe("tensor([])"); // repr(torch.zeros(0))
    expect(String(torch.zeros(2, 0))).toBe("tensor([], size=(2, 0))"); // repr(torch.zeros(2, 0))
  });
});

describe("reshape", () => {
  it("infers one -1", () => {
    const t = torch.arange(6).reshape(-1, 2);
    expect(t.shape).toEqual([3, 2]);
    expect(String(t)).toBe("tensor([[0, 1],\n        [2, 3],\n        [4, 5]])"); // repr(torch.arange(6).reshape(-1, 2))
    expect(torch.arange(6).reshape([2, -1]).shape).toEqual([2, 3]);
    expect(torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4).shape).toEqual([1, 1, 4, 4]);
  });

  it("errors with PyTorch's messages", () => {
    // torch.arange(6).reshape(4, -1)
    expect(() => torch.arange(6).reshape(4, -1)).toThrow("shape '[4, -1]' is invalid for input of size 6");
    expect(() => torch.arange(6).reshape(4, 2)).toThrow("shape '[4, 2]' is invalid for input of size 6");
    // torch.arange(6).reshape(-1, -1)
    expect(() => torch.arange(6).reshape(-1, -1)).toThrow("only one dimension can be inferred");
  });
});

describe("index / get / set", () => {
  const x = () => torch.arange(12).reshape(3, 4); // tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])

  it("numbers drop a dimension; negative numbers count from the end", () => {
    expect(String(x().index(1))).toBe("tensor([4, 5, 6, 7])"); // x[1]
    expect(String(x().index(-1))).toBe("tensor([ 8,  9, 10, 11])"); // x[-1]
    expect(String(x().index(1, 2))).toBe("tensor(6)"); // x[1, 2]
  });

  it("[start, end] slices, steps, null bounds and null for ':'", () => {
    expect(String(x().index([0, 2], [1, 3]))).toBe("tensor([[1, 2],\n        [5, 6]])"); // x[0:2, 1:3]
    expect(String(x().index(null, [null, null, 2]))).toBe("tensor([[ 0,  2],\n        [ 4,  6],\n        [ 8, 10]])"); // x[:, ::2]
    expect(String(x().index([0, null, 2]))).toBe("tensor([[ 0,  1,  2,  3],\n        [ 8,  9, 10, 11]])"); // x[0::2]
    expect(String(x().index([-2, null], -1))).toBe("tensor([ 7, 11])"); // x[-2:, -1]
    expect(String(x().index(1, [1, null]))).toBe("tensor([5, 6, 7])"); // x[1, 1:]
    expect(String(x().index(-1, [null, null, 3]))).toBe("tensor([ 8, 11])"); // x[-1, ::3]
    expect(String(x().index(null, [-3, -1]))).toBe("tensor([[ 1,  2],\n        [ 5,  6],\n        [ 9, 10]])"); // x[:, -3:-1]
    expect(String(x().index(null, 2))).toBe("tensor([ 2,  6, 10])"); // x[:, 2]
    expect(x().index([0, 10]).shape).toEqual([3, 4]); // x[0:10]: slices clamp to the edges
  });

  it("out-of-bounds numbers throw PyTorch's IndexError message", () => {
    expect(() => x().index(5)).toThrow("index 5 is out of bounds for dimension 0 with size 3"); // x[5]
    expect(() => x().index(-4)).toThrow("index -4 is out of bounds for dimension 0 with size 3"); // x[-4]
    expect(() => x().index(1, 7)).toThrow("index 7 is out of bounds for dimension 1 with size 4"); // x[1, 7]
  });

  it("index returns a copy", () => {
    const t = x();
    const row = t.index(0);
    row.set([0], 100);
    expect(t.get(0, 0)).toBe(0);
  });

  it("get reads one element as a number", () => {
    expect(x().get(1, 2)).toBe(6); // x[1, 2].item()
    expect(x().get(-1, -1)).toBe(11); // x[-1, -1].item()
    expect(torch.tensor([[0.5]]).get(0, 0)).toBe(0.5);
  });

  it("set a number: y[0] = 5", () => {
    const y = torch.zeros(2, 3);
    expect(y.set([0], 5)).toBe(y); // in place, returns the tensor
    expect(String(y)).toBe("tensor([[5., 5., 5.],\n        [0., 0., 0.]])");
  });

  it("set a tensor, broadcasting it to the selection", () => {
    const y = torch.zeros(2, 3);
    y.set([0], 5);
    y.set([null, 1], torch.tensor([1, 2])); // y[:, 1] = torch.tensor([1., 2.])
    expect(String(y)).toBe("tensor([[5., 1., 5.],\n        [0., 2., 0.]])");
    y.set([1], torch.tensor([7, 8, 9])); // y[1] = torch.tensor([7., 8., 9.])
    expect(String(y)).toBe("tensor([[5., 1., 5.],\n        [7., 8., 9.]])");
    y.set([null], torch.tensor([1, 2, 3])); // y[:] = torch.tensor([1., 2., 3.]) (row broadcast to both rows)
    expect(String(y)).toBe("tensor([[1., 2., 3.],\n        [1., 2., 3.]])");
    y.set([[0, 2], [0, 2]], torch.tensor(9)); // y[0:2, 0:2] = torch.tensor(9.)
    expect(String(y)).toBe("tensor([[9., 9., 3.],\n        [9., 9., 3.]])");
  });

  it("set with a value that does not broadcast throws, naming both shapes", () => {
    // y[0] = torch.tensor([1., 2.]) -> RuntimeError: The expanded size of the tensor (3) must match the
    // existing size (2) at non-singleton dimension 0.  Target sizes: [3].  Tensor sizes: [2]
    const y = torch.zeros(2, 3);
    expect(() => y.set([0], torch.tensor([1, 2]))).toThrow(/\[2\][\s\S]*\[3\]|\[3\][\s\S]*\[2\]/);
    expect(() => y.set([[0, 2], [0, 2]], torch.tensor([1, 2, 3]))).toThrow(/\[3\][\s\S]*\[2, 2\]|\[2, 2\][\s\S]*\[3\]/);
    expect(String(y)).toBe("tensor([[0., 0., 0.],\n        [0., 0., 0.]])"); // unchanged
  });
});

describe("elementwise arithmetic: broadcasting and type promotion", () => {
  const a = () => long([1, 2, 3]);
  const b = () => long([[10], [20]]);

  it("int64 + int64 broadcasts and stays int64", () => {
    const s = a().add(b());
    expect(s.dtype).toBe("int64"); // (a + b).dtype == torch.int64
    expect(String(s)).toBe("tensor([[11, 12, 13],\n        [21, 22, 23]])"); // a + b
    expect(String(a().sub(b()))).toBe("tensor([[ -9,  -8,  -7],\n        [-19, -18, -17]])"); // a - b
    expect(String(a().mul(b()))).toBe("tensor([[10, 20, 30],\n        [20, 40, 60]])"); // a * b
    expect(String(a().add(1))).toBe("tensor([2, 3, 4])"); // a + 1
  });

  it("int64 / int64 is true division in float32", () => {
    const q = a().div(b());
    expect(q.dtype).toBe("float32");
    expect(String(q)).toBe("tensor([[0.1000, 0.2000, 0.3000],\n        [0.0500, 0.1000, 0.1500]])"); // a / b
    expect(String(long([7, -7]).div(long([2, 2])))).toBe("tensor([ 3.5000, -3.5000])"); // torch.tensor([7, -7]) / torch.tensor([2, 2])
    expect(String(a().div(2))).toBe("tensor([0.5000, 1.0000, 1.5000])"); // a / 2
  });

  it("int64 with a fractional scalar gives float32", () => {
    const t = a().add(1.5);
    expect(t.dtype).toBe("float32");
    expect(String(t)).toBe("tensor([2.5000, 3.5000, 4.5000])"); // a + 1.5
    expect(String(a().mul(2.5))).toBe("tensor([2.5000, 5.0000, 7.5000])"); // a * 2.5
  });

  it("float32 + int64 tensor gives float32; float64 wins over float32", () => {
    const f = torch.tensor([0.5, 1.5, 2.5]);
    const t = f.add(a());
    expect(t.dtype).toBe("float32");
    expect(String(t)).toBe("tensor([1.5000, 3.5000, 5.5000])"); // f + a
    const d = torch.tensor([1, 2], { dtype: "float64" }).add(torch.tensor([1, 2]));
    expect(String(d)).toBe("tensor([2., 4.], dtype=torch.float64)");
    expect(String(torch.tensor([1, 2], { dtype: "float64" }).mul(1.5))).toBe("tensor([1.5000, 3.0000], dtype=torch.float64)");
  });

  it("float broadcasting of a column against a row", () => {
    const col = torch.tensor([[1], [2]]);
    // torch.tensor([[1.], [2.]]) - torch.tensor([10., 20., 30.])
    expect(String(col.sub(torch.tensor([10, 20, 30])))).toBe("tensor([[ -9., -19., -29.],\n        [ -8., -18., -28.]])");
    // torch.tensor([[1.], [2.]]) / torch.tensor([4., 8.])
    expect(String(col.div(torch.tensor([4, 8])))).toBe("tensor([[0.2500, 0.1250],\n        [0.5000, 0.2500]])");
    expect(String(torch.ones(2, 2).mul(torch.tensor([1, 2])))).toBe("tensor([[1., 2.],\n        [1., 2.]])");
  });

  it("shapes that do not broadcast throw PyTorch's message", () => {
    // torch.tensor([1., 2.]) + torch.tensor([1., 2., 3.])
    expect(() => torch.tensor([1, 2]).add(torch.tensor([1, 2, 3]))).toThrow(
      "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
    );
  });

  it("bool with a number: int64 for an integer, float32 for a fraction", () => {
    const b = torch.tensor([true, false]);
    expect(String(b.add(1))).toBe("tensor([2, 1])"); // torch.tensor([True, False]) + 1
    expect(String(b.mul(2.5))).toBe("tensor([2.5000, 0.0000])"); // torch.tensor([True, False]) * 2.5
    expect(String(long([1, 2]).add(true))).toBe("tensor([2, 3])"); // torch.tensor([1, 2]) + True
  });

  it("bool with bool stays bool: + is logical or, * is logical and", () => {
    const b = torch.tensor([true, false]);
    // expect.soft: report every case that differs
    expect.soft(String(b.add(torch.tensor([true, true])))).toBe("tensor([True, True])"); // torch.tensor([True, False]) + torch.tensor([True, True])
    expect.soft(String(b.mul(b))).toBe("tensor([ True, False])"); // b * b
    expect.soft(String(b.add(true))).toBe("tensor([True, True])"); // b + True
  });

  it("subtracting or negating bool tensors throws PyTorch's message", () => {
    const b = torch.tensor([true, false]);
    // b - b -> RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
    expect.soft(() => b.sub(b)).toThrow("Subtraction, the `-` operator, with two bool tensors is not supported");
    // torch.tensor([3, 4]) - torch.tensor([True, False]) -> RuntimeError: Subtraction, the `-` operator, with a bool
    // tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
    expect.soft(() => long([3, 4]).sub(b)).toThrow("Subtraction, the `-` operator, with a bool tensor is not supported");
    expect.soft(() => b.neg()).toThrow("Negation, the `-` operator, on a bool tensor is not supported"); // b.neg()
  });
});

describe("pow, relu, exp", () => {
  it("pow keeps int64 for integer exponents, float32 for fractional ones", () => {
    expect(String(long([1, 2, 3]).pow(2))).toBe("tensor([1, 4, 9])"); // torch.tensor([1, 2, 3]) ** 2
    expect(String(long([1, 2]).pow(0))).toBe("tensor([1, 1])"); // torch.tensor([1, 2]) ** 0
    expect(String(long([1, 2, 3]).pow(0.5))).toBe("tensor([1.0000, 1.4142, 1.7321])"); // torch.tensor([1, 2, 3]).pow(0.5)
    expect(String(torch.tensor([0.5, 1.5, 2.5]).pow(2))).toBe("tensor([0.2500, 2.2500, 6.2500])"); // f ** 2
    expect(String(torch.tensor([4, 9]).pow(0.5))).toBe("tensor([2., 3.])"); // torch.tensor([4., 9.]) ** 0.5
  });

  it("tensor exponents broadcast and promote", () => {
    expect(String(torch.tensor([2, 3]).pow(torch.tensor([3, 2])))).toBe("tensor([8., 9.])"); // torch.tensor([2., 3.]).pow(torch.tensor([3., 2.]))
    expect(String(long([2, 3]).pow(torch.tensor([2, 3])))).toBe("tensor([ 4., 27.])"); // torch.tensor([2, 3]) ** torch.tensor([2., 3.])
  });

  it("integers to negative integer powers throw", () => {
    // torch.tensor([1, 2, 3]) ** -1
    expect(() => long([1, 2, 3]).pow(-1)).toThrow("Integers to negative integer powers are not allowed.");
  });

  it("relu keeps the dtype; exp of int64 is float32", () => {
    expect(String(torch.tensor([-1, 0, 2]).relu())).toBe("tensor([0., 0., 2.])"); // torch.tensor([-1., 0., 2.]).relu()
    expect(String(long([-1, 0, 2]).relu())).toBe("tensor([0, 0, 2])"); // torch.tensor([-1, 0, 2]).relu()
    expect(String(torch.relu(torch.tensor([-0.5, 0.5])))).toBe("tensor([0.0000, 0.5000])");
    expect(String(torch.tensor([0, 1]).exp())).toBe("tensor([1.0000, 2.7183])"); // torch.tensor([0., 1.]).exp()
    const e = long([1, 2]).exp();
    expect(e.dtype).toBe("float32");
    expect(String(e)).toBe("tensor([2.7183, 7.3891])"); // torch.tensor([1, 2]).exp()
  });
});

describe("reductions", () => {
  const m = () => torch.tensor([[1, 5, 3], [4, 2, 6]]);

  it("over everything give 0-d tensors", () => {
    expect(String(m().sum())).toBe("tensor(21.)"); // m.sum()
    expect(m().sum().shape).toEqual([]);
    expect(String(m().mean())).toBe("tensor(3.5000)"); // m.mean()
    expect(String(m().max())).toBe("tensor(6.)"); // m.max()
    expect(String(m().min())).toBe("tensor(1.)"); // m.min()
    expect(String(m().argmax())).toBe("tensor(5)"); // m.argmax()
    expect(String(long([1, 2]).sum())).toBe("tensor(3)"); // torch.tensor([1, 2]).sum()
    expect(String(torch.tensor([true, true, false]).sum())).toBe("tensor(2)"); // torch.tensor([True, True, False]).sum()
    expect(String(long([3, 1, 2]).max())).toBe("tensor(3)"); // torch.tensor([3, 1, 2]).max()
  });

  it("along a dim, with and without keepdim", () => {
    expect(String(m().sum(0))).toBe("tensor([5., 7., 9.])"); // m.sum(0)
    expect(String(m().sum(1, true))).toBe("tensor([[ 9.],\n        [12.]])"); // m.sum(1, keepdim=True)
    expect(String(m().sum(-1))).toBe("tensor([ 9., 12.])"); // m.sum(-1)
    expect(String(m().mean(0))).toBe("tensor([2.5000, 3.5000, 4.5000])"); // m.mean(0)
    expect(String(m().mean(-1, true))).toBe("tensor([[3.],\n        [4.]])"); // m.mean(-1, keepdim=True)
    expect(String(m().max(1))).toBe("tensor([5., 6.])"); // m.max(1).values
    expect(String(m().max(1, true))).toBe("tensor([[5.],\n        [6.]])"); // m.max(1, keepdim=True).values
    expect(String(m().min(0))).toBe("tensor([1., 2., 3.])"); // m.min(0).values
    expect(String(m().argmax(1))).toBe("tensor([1, 2])"); // m.argmax(1)
    expect(String(long([[1, 2], [3, 4]]).sum(0))).toBe("tensor([4, 6])"); // torch.tensor([[1, 2], [3, 4]]).sum(0)
    // torch.arange(12).reshape(3, 4).sum(1, keepdim=True)
    expect(String(torch.arange(12).reshape(3, 4).sum(1, true))).toBe("tensor([[ 6],\n        [22],\n        [38]])");
    expect(torch.ones(1, 2, 2).sum(0, true).shape).toEqual([1, 2, 2]);
  });

  it("max / min propagate NaN; argmax points at the NaN", () => {
    const n = torch.tensor([1, NaN, 3]);
    expect(String(n.max())).toBe("tensor(nan)"); // torch.tensor([1., nan, 3.]).max()
    expect(String(n.min())).toBe("tensor(nan)"); // .min()
    expect(String(n.sum())).toBe("tensor(nan)"); // .sum()
    expect(String(n.argmax())).toBe("tensor(1)"); // .argmax()
    expect(String(torch.tensor([2, NaN, 1]).min())).toBe("tensor(nan)"); // torch.tensor([2., nan, 1.]).min()
    // torch.tensor([[1., nan], [2., 0.]]).max(0).values
    expect(String(torch.tensor([[1, NaN], [2, 0]]).max(0))).toBe("tensor([2., nan])");
    expect(String(torch.tensor([NaN, 1]).max(0))).toBe("tensor(nan)"); // torch.tensor([nan, 1.]).max(0).values
  });

  it("mean of int64 throws PyTorch's message", () => {
    // torch.tensor([1, 2]).mean()
    expect(() => long([1, 2]).mean()).toThrow(
      "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long",
    );
  });

  it("a dim out of range throws PyTorch's message", () => {
    // torch.zeros(2, 3).sum(2)
    expect(() => torch.zeros(2, 3).sum(2)).toThrow("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  });
});

describe("cat / stack", () => {
  it("cat along dims, negative dims too, with type promotion", () => {
    // torch.cat([torch.zeros(2, 3), torch.ones(2, 3)], 1)
    expect(String(torch.cat([torch.zeros(2, 3), torch.ones(2, 3)], 1))).toBe(
      "tensor([[0., 0., 0., 1., 1., 1.],\n        [0., 0., 0., 1., 1., 1.]])",
    );
    // torch.cat([torch.zeros(1, 2), torch.ones(1, 2)], -2)
    expect(String(torch.cat([torch.zeros(1, 2), torch.ones(1, 2)], -2))).toBe("tensor([[0., 0.],\n        [1., 1.]])");
    expect(torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape).toEqual([3, 3]); // default dim 0
    // torch.cat([torch.arange(2), torch.tensor([0.5])])
    expect(String(torch.cat([torch.arange(2), torch.tensor([0.5])]))).toBe("tensor([0.0000, 1.0000, 0.5000])");
  });

  it("cat errors with PyTorch's messages", () => {
    // torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], 0)
    expect(() => torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)], 0)).toThrow(
      "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.",
    );
    // torch.cat([torch.zeros(2, 3), torch.zeros(3)], 0)
    expect(() => torch.cat([torch.zeros(2, 3), torch.zeros(3)], 0)).toThrow(
      "Tensors must have same number of dimensions: got 2 and 1",
    );
    // torch.cat([torch.zeros(2)], 2)
    expect(() => torch.cat([torch.zeros(2)], 2)).toThrow("Dimension out of range (expected to be in range of [-1, 0], but got 2)");
    // torch.cat([], 0)
    expect(() => torch.cat([], 0)).toThrow("torch.cat(): expected a non-empty list of Tensors");
  });

  it("stack adds a dimension", () => {
    const p = torch.arange(2);
    const q = torch.arange(2, 4);
    expect(String(torch.stack([p, q]))).toBe("tensor([[0, 1],\n        [2, 3]])"); // torch.stack([torch.arange(2), torch.arange(2, 4)])
    expect(String(torch.stack([p, q], 1))).toBe("tensor([[0, 2],\n        [1, 3]])"); // ..., 1)
    expect(String(torch.stack([p, q], -1))).toBe("tensor([[0, 2],\n        [1, 3]])"); // ..., -1)
  });

  it("stack errors with PyTorch's message", () => {
    // torch.stack([torch.zeros(2, 3), torch.zeros(2, 4)])
    expect(() => torch.stack([torch.zeros(2, 3), torch.zeros(2, 4)])).toThrow(
      "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1",
    );
  });
});

describe("tolist / item", () => {
  it("tolist gives nested numbers (booleans for bool)", () => {
    expect(long([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]); // torch.tensor([[1, 2], [3, 4]]).tolist()
    expect(torch.tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]); // [[1.0, 2.0], [3.0, 4.0]]
    expect(torch.tensor([true]).tolist()).toEqual([true]); // torch.tensor([True]).tolist()
    expect(torch.tensor(2.5).tolist()).toBe(2.5);
    expect(torch.tensor([0.1]).tolist()).toEqual([Math.fround(0.1)]); // the float32 value, as PyTorch's
  });

  it("item gives the single value", () => {
    expect(torch.tensor(2.5).item()).toBe(2.5); // torch.tensor(2.5).item()
    expect(torch.tensor([[7]]).item()).toBe(7);
    expect(torch.tensor([false]).item()).toBe(false);
    // torch.tensor([1, 2]).item(): PyTorch 2.x words it "a Tensor with 2 elements cannot be converted to Scalar"
    expect(() => long([1, 2]).item()).toThrow("a Tensor with 2 elements cannot be converted to Scalar");
  });
});

describe("printing: toString, util.inspect and console.log give PyTorch's repr", () => {
  const X = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
  // repr(torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4))
  const reprX =
    "tensor([[[[ 0.,  1.,  2.,  3.],\n" +
    "          [ 4.,  5.,  6.,  7.],\n" +
    "          [ 8.,  9., 10., 11.],\n" +
    "          [12., 13., 14., 15.]]]])";

  it("toString", () => {
    expect(X().toString()).toBe(reprX);
    expect(`${X()}`).toBe(reprX);
    expect(String(torch.tensor([1e-5, 1]))).toBe("tensor([1.0000e-05, 1.0000e+00])"); // repr(torch.tensor([1e-5, 1.]))
    expect(String(torch.tensor([NaN, Infinity, -1]))).toBe("tensor([nan, inf, -1.])"); // repr(torch.tensor([nan, inf, -1.]))
    expect(String(long([[1, -20], [300, 4]]))).toBe("tensor([[  1, -20],\n        [300,   4]])"); // repr(torch.tensor([[1, -20], [300, 4]]))
  });

  it("util.inspect (what tslab shows) is the repr", () => {
    expect(inspect(X())).toBe(reprX);
    expect(inspect(torch.tensor([true, false]))).toBe("tensor([ True, False])");
  });

  it("console.log prints the repr", () => {
    expect(consoleLog(X())).toBe(reprX + "\n");
    expect(consoleLog(torch.tensor(3.5))).toBe("tensor(3.5000)\n");
  });

  it("a Tensor is a Tensor", () => {
    expect(torch.isTensor(X())).toBe(true);
    expect(X()).toBeInstanceOf(Tensor);
    expect(torch.isTensor([1, 2])).toBe(false);
  });
});
