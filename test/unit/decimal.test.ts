/**
 * formatFixed / formatExponential against Python. Every expected string was printed by CPython;
 * the Python expression is in the comment or in the test name ('{:.4f}'.format(x) is written
 * f"{x:.4f}" there).
 */
import { describe, it, expect } from "vitest";
import { formatExponential, formatFixed } from "../../src/tensor/decimal";

/** The double nearest to a float32 value, as PyTorch hands float32 elements to Python. */
const f32 = (x: number): number => Math.fround(x);

describe("formatFixed matches Python's '{:.Nf}'", () => {
  it.each([
    // [x, digits, Python's '{:.<digits>f}'.format(x)]
    [1.0, 4, "1.0000"],
    [0.1, 4, "0.1000"],
    [1 / 3, 4, "0.3333"], // '{:.4f}'.format(1/3)
    [123456789.0, 0, "123456789"],
    [1e22, 0, "10000000000000000000000"], // JS: (1e22).toFixed(0) === "1e+22"
    [0.1, 20, "0.10000000000000000555"], // the exact binary value shows through
    [f32(0.1), 10, "0.1000000015"], // '{:.10f}'.format(numpy.float32(0.1).item())
    [2 ** -20, 10, "0.0000009537"],
    [5e-324, 4, "0.0000"], // smallest subnormal
  ] as const)("f\"{%s:.%if}\" -> %s", (x, digits, expected) => {
    expect(formatFixed(x, digits)).toBe(expected);
  });

  it.each([
    // Exact binary ties round half to even: '{:.4f}'.format(0.03125) == '0.0312'.
    [0.03125, 4, "0.0312"], // JS toFixed gives "0.0313"
    [0.15625, 4, "0.1562"],
    [0.84375, 4, "0.8438"],
    [-0.03125, 4, "-0.0312"],
    [2.5, 0, "2"], // '{:.0f}'.format(2.5); JS (2.5).toFixed(0) === "3"
    [3.5, 0, "4"],
    [0.5, 0, "0"],
    // Decimal-looking "ties" are not ties in binary: 1.00005 is stored slightly above.
    [1.00005, 4, "1.0001"],
    [0.00005, 4, "0.0001"],
    [9.99996, 4, "10.0000"], // rounding carries into a new digit
  ] as const)("tie or near-tie f\"{%s:.%if}\" -> %s", (x, digits, expected) => {
    expect(formatFixed(x, digits)).toBe(expected);
  });

  it.each([
    // Python keeps the minus sign of -0.0 and of negatives that round to zero.
    [-0.0, 4, "-0.0000"], // '{:.4f}'.format(-0.0)
    [-0.0, 0, "-0"],
    [0.0, 4, "0.0000"],
    [-0.5, 0, "-0"],
    [-0.00004, 4, "-0.0000"],
  ] as const)("signed zero f\"{%s:.%if}\" -> %s", (x, digits, expected) => {
    expect(formatFixed(x, digits)).toBe(expected);
  });

  it("spells non-finite values like Python", () => {
    expect(formatFixed(Number.NaN, 4)).toBe("nan"); // '{:.4f}'.format(float('nan'))
    expect(formatFixed(Number.POSITIVE_INFINITY, 4)).toBe("inf");
    expect(formatFixed(Number.NEGATIVE_INFINITY, 0)).toBe("-inf");
  });

  it("differs from JavaScript's toFixed exactly where the brief warned", () => {
    expect((0.03125).toFixed(4)).toBe("0.0313");
    expect(formatFixed(0.03125, 4)).toBe("0.0312");
  });
});

describe("formatExponential matches Python's '{:.Ne}'", () => {
  it.each([
    // [x, digits, Python's '{:.<digits>e}'.format(x)]
    [1e8, 4, "1.0000e+08"], // two-digit exponent; JS toExponential gives "1.0000e+8"
    [0.03125, 4, "3.1250e-02"],
    [1e-5, 4, "1.0000e-05"],
    [123456789.0, 4, "1.2346e+08"],
    [1e100, 4, "1.0000e+100"],
    [1e-300, 4, "1.0000e-300"],
    [5e-324, 4, "4.9407e-324"], // smallest subnormal
    [1.7976931348623157e308, 4, "1.7977e+308"], // largest double
    [f32(3e38), 4, "3.0000e+38"],
    [12345.0, 2, "1.23e+04"],
    [0.1, 20, "1.00000000000000005551e-01"],
  ] as const)("f\"{%s:.%ie}\" -> %s", (x, digits, expected) => {
    expect(formatExponential(x, digits)).toBe(expected);
  });

  it.each([
    [1.03125, 4, "1.0312e+00"], // exact tie, to even; JS toExponential gives "1.0313e+0"
    [1.09375e-8, 4, "1.0937e-08"],
    [-2.40625e-5, 4, "-2.4062e-05"],
    [1.5, 0, "2e+00"], // no decimal point with 0 digits
    [2.5, 0, "2e+00"],
    [9.99996, 4, "1.0000e+01"], // carry bumps the exponent
    [9999.95, 4, "1.0000e+04"], // stored slightly above the decimal tie
  ] as const)("tie or carry f\"{%s:.%ie}\" -> %s", (x, digits, expected) => {
    expect(formatExponential(x, digits)).toBe(expected);
  });

  it("formats zeros and non-finite values like Python", () => {
    expect(formatExponential(0.0, 4)).toBe("0.0000e+00"); // '{:.4e}'.format(0.0)
    expect(formatExponential(-0.0, 4)).toBe("-0.0000e+00");
    expect(formatExponential(Number.NaN, 4)).toBe("nan");
    expect(formatExponential(Number.POSITIVE_INFINITY, 4)).toBe("inf");
    expect(formatExponential(Number.NEGATIVE_INFINITY, 4)).toBe("-inf");
  });
});
