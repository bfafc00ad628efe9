/**
 * `"..."` in `index` and `set`, as PyTorch's `X[..., 1:]`. Every expected text is what real PyTorch
 * 1.13 (/usr/bin/python3) printed for the Python expression in the test's name, with
 * X = torch.arange(24.).reshape(2, 3, 4).
 */
import { describe, expect, it } from "vitest";
import { torch } from "../../src/index";

const X = () => torch.arange(24, { dtype: "float32" }).reshape(2, 3, 4);

describe('index with "..." (PyTorch\'s Ellipsis)', () => {
  it("X[..., 1:] crops the last dimension, whatever comes before it", () => {
    expect(String(X().index("...", [1, null]))).toBe(
      [
        "tensor([[[ 1.,  2.,  3.],",
        "         [ 5.,  6.,  7.],",
        "         [ 9., 10., 11.]],",
        "",
        "        [[13., 14., 15.],",
        "         [17., 18., 19.],",
        "         [21., 22., 23.]]])",
      ].join("\n"),
    );
    // The same entry on a 4-D tensor: the ellipsis stands for three dimensions there.
    expect(X().reshape(1, 2, 3, 4).index("...", [1, null]).shape).toEqual([1, 2, 3, 3]);
  });

  it("X[0, ..., 1] and X[1, 2, ..., 3]: entries on both sides", () => {
    expect(String(X().index(0, "...", 1))).toBe("tensor([1., 5., 9.])");
    expect(String(X().index(1, 2, "...", 3))).toBe("tensor(23.)");
  });

  it("X[..., 0, 0, 0]: the ellipsis may stand for no dimension at all", () => {
    expect(String(X().index("...", 0, 0, 0))).toBe("tensor(0.)");
  });

  it("X[...] is all of X; X[..., ::2] keeps every second column", () => {
    expect(X().index("...").tolist()).toEqual(X().tolist());
    expect(X().index("...", [null, null, 2]).shape).toEqual([2, 3, 2]);
  });

  it("Y[..., 0] = 5 writes through set", () => {
    const Y = torch.zeros(2, 2, 3);
    Y.set(["...", 0], 5);
    expect(String(Y)).toBe(
      ["tensor([[[5., 0., 0.],", "         [5., 0., 0.]],", "", "        [[5., 0., 0.],", "         [5., 0., 0.]]])"].join("\n"),
    );
  });

  it("X[..., 0, 0, 0, 0] and X[0, 0, 0, ..., 0]: too many indices, PyTorch's message", () => {
    expect(() => X().index("...", 0, 0, 0, 0)).toThrow("too many indices for tensor of dimension 3");
    expect(() => X().index(0, 0, 0, "...", 0)).toThrow("too many indices for tensor of dimension 3");
  });

  it("two ellipses are an error, as in NumPy (PyTorch accepts them silently: pytorch/pytorch#59787)", () => {
    expect(() => X().index("...", 0, "...")).toThrow("an index can only have a single ellipsis ('...')");
  });

  it("another string says how to write an ellipsis", () => {
    expect(() => X().index("…" as never, 0)).toThrow(`index "…" is not understood: use "..." for an ellipsis`);
  });
});
