/**
 * formatTensor against real PyTorch: every case in test/fixtures/repr.json holds a tensor and the
 * exact repr() that PyTorch printed for it. Regenerate with
 *   /usr/bin/python3 scripts/make_repr_fixtures.py
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { formatTensor, type DType } from "../../src/tensor/format";

/** JSON has no nan/inf, so the generator writes non-finite floats as strings. */
type EncodedValue = number | "nan" | "inf" | "-inf";

interface ReprCase {
  name: string;
  dtype: DType;
  shape: number[];
  values: EncodedValue[];
  repr: string;
}

function decodeValue(value: EncodedValue): number {
  switch (value) {
    case "nan":
      return Number.NaN;
    case "inf":
      return Number.POSITIVE_INFINITY;
    case "-inf":
      return Number.NEGATIVE_INFINITY;
    default:
      return value;
  }
}

const cases: ReprCase[] = JSON.parse(readFileSync(join(__dirname, "../fixtures/repr.json"), "utf8"));

describe("formatTensor matches PyTorch's repr", () => {
  it("has a meaningful number of fixture cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases)("$name", ({ dtype, shape, values, repr }) => {
    expect(formatTensor(values.map(decodeValue), shape, dtype)).toBe(repr);
  });

  it("accepts typed arrays (float32 data as a Float32Array)", () => {
    const data = Float32Array.from({ length: 16 }, (_, i) => i);
    // repr(torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4))
    expect(formatTensor(data, [1, 1, 4, 4], "float32")).toBe(
      "tensor([[[[ 0.,  1.,  2.,  3.],\n" +
        "          [ 4.,  5.,  6.,  7.],\n" +
        "          [ 8.,  9., 10., 11.],\n" +
        "          [12., 13., 14., 15.]]]])",
    );
  });

  it("rejects values that do not fill the shape", () => {
    expect(() => formatTensor([1, 2, 3], [2, 2], "float32")).toThrow(RangeError);
  });
});
