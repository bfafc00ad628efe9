/**
 * The backward passes check their arguments without running the forward just to check, and go
 * back through the forward's own steps. Values below are PyTorch 2.13's, printed by
 *   python -c 'import torch, torch.nn.functional as F; x = torch.tensor(..., requires_grad=True);
 *              y = F.lp_pool2d(x, p, 2); y.backward(g); print(y.tolist(), x.grad.tolist())'
 * (pip's torch 2.13.0+cpu; the fixture tests cover the rest against PyTorch).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { F, Tensor, torch } from "../../src/index";
import { poolingPaths, resetPoolingPaths } from "../../src/pooling/fast";

const SHAPE = [2, 8, 32, 32]; // big enough for the fast kernels

function expectValues(actual: Tensor, expected: number[]): void {
  expect(actual.data.length).toBe(expected.length);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) expect(actual.data[i], `[${i}]`).toBeNaN();
    else expect(actual.data[i], `[${i}]`).toBe(Math.fround(e));
  });
}

beforeEach(() => resetPoolingPaths());

describe("backward passes do not rerun the forward to check their arguments", () => {
  it("max_pool2d backward: only the backward kernel runs", () => {
    const x = torch.randn(SHAPE);
    const g = torch.randn(x.shape);
    F.maxPool2dBackward(g, x, 3, { stride: 1, padding: 1 });
    expect(Object.keys(poolingPaths())).toEqual(["max_pool2d_backward"]);
  });
  it("avg_pool2d backward: only the backward kernel runs", () => {
    const x = torch.randn(SHAPE);
    const g = torch.randn(F.avgPool2d(x, 2).shape);
    resetPoolingPaths();
    F.avgPool2dBackward(g, x, 2);
    expect(Object.keys(poolingPaths())).toEqual(["avg_pool2d_backward"]);
  });
  it("lp_pool2d backward: the forward chain once (one avg_pool2d), then its backward", () => {
    const x = torch.rand(SHAPE);
    const g = torch.ones(F.lpPool2d(x, 2, 2).shape);
    resetPoolingPaths();
    F.lpPool2dBackward(g, x, 2, 2);
    const paths = poolingPaths();
    expect(paths.avg_pool2d).toEqual({ fast: 1, copyIn: 0, reference: 0, copyOut: 0 });
    // Its gradient is small (an ordinary array), so the kernel copies it in.
    expect(paths.avg_pool2d_backward).toEqual({ fast: 0, copyIn: 1, reference: 0, copyOut: 0 });
  });
});

describe("lp_pool2d backward goes back through the forward's saved values (PyTorch 2.13)", () => {
  it("a NaN in a window with p = 0.5: the whole window's gradient is NaN", () => {
    // The forward's scaled value there is sign(NaN)·relu(|NaN|)·k = NaN, and autograd uses it.
    const x = torch.tensor([[[[NaN, 1, 2, 3], [1, 2, 3, 4]]]]);
    const y = F.lpPool2d(x, 0.5, 2);
    expectValues(y, [NaN, 47.31121826171875]);
    const grad = F.lpPool2dBackward(torch.onesLike(y), x, 0.5, 2);
    expectValues(grad, [NaN, NaN, 4.86370325088501, 3.9711968898773193, NaN, NaN, 3.9711968898773193, 3.439157485961914]);
  });
  it("p = 3 with a negative value and a zero", () => {
    const x = torch.tensor([[[[-1, 1, 2, 3], [0, 2, 3, 4]]]]);
    const y = F.lpPool2d(x, 3, 2);
    expectValues(y, [2.0, 5.013298034667969]);
    const grad = F.lpPool2dBackward(torch.tensor([[[[2, -1]]]]), x, 3, 2);
    const expected = [0.5, 0.5, -0.1591523140668869, -0.35809269547462463, 0.0, 2.0, -0.35809269547462463, -0.6366092562675476];
    expected.forEach((e, i) => expect(grad.data[i]).toBeCloseTo(e, 6));
  });
});

describe("one gradOutput shape check, with autograd's message", () => {
  const x = torch.randn([1, 2, 4, 4]);
  const wrong = torch.zeros([1, 2, 3, 3]);
  const message = /Mismatch in shape: grad_output\[0\] has a shape of torch.Size\(\[1, 2, 3, 3\]\) and output\[0\] has a shape of torch.Size\(\[1, 2, 2, 2\]\)/;
  it.each([
    ["max", () => F.maxPool2dBackward(wrong, x, 2)],
    ["avg", () => F.avgPool2dBackward(wrong, x, 2)],
    ["lp", () => F.lpPool2dBackward(wrong, x, 2, 2)],
    ["adaptive avg", () => F.adaptiveAvgPool2dBackward(wrong, x, 2)],
    ["adaptive max", () => F.adaptiveMaxPool2dBackward(wrong, x, 2)],
  ])("%s", (_name, call) => {
    expect(call).toThrow(message);
  });
  it("a wrong rank is a mismatch too, and a non-tensor gradOutput says what is expected", () => {
    expect(() => F.maxPool2dBackward(torch.zeros([2, 2, 2]), x, 2)).toThrow(/Mismatch in shape/);
    expect(() => F.maxPool2dBackward([[1]] as unknown as Tensor, x, 2)).toThrow("gradOutput must be a Tensor shaped like the forward output");
  });
  it("max_unpool2d backward checks indices without unpooling", () => {
    const [y, idx] = F.maxPool2d(x, 2, { returnIndices: true });
    const bad = idx.clone().set([0, 0, 0, 0], 99);
    expect(() => F.maxUnpool2dBackward(torch.zeros([1, 2, 4, 4]), y, bad, 2)).toThrow("Found an invalid max index: 99 (output volumes are of size 4x4)");
    expect(() => F.maxUnpool2dBackward(torch.zeros([1, 2, 3, 3]), y, idx, 2)).toThrow(/Mismatch in shape/);
    const grad = F.maxUnpool2dBackward(torch.arange(32, { dtype: "float32" }).reshape(1, 2, 4, 4), y, idx, 2);
    // Each pooled cell's gradient is the unpooled output's gradient at its index.
    for (let i = 0; i < 8; i++) expect(grad.data[i]).toBe(Math.floor(i / 4) * 16 + idx.data[i]);
  });
});
