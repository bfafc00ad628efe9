/**
 * Exact decimal formatting of doubles, matching Python's `'{:.Nf}'` and `'{:.Ne}'`.
 *
 * Why not `toFixed` / `toExponential`? Python rounds the EXACT binary value of the double
 * half-to-even, while JavaScript's methods may round ties differently:
 *   Python '{:.4f}'.format(0.03125) == '0.0312'   but   (0.03125).toFixed(4) == '0.0313'.
 * Python also writes exponents with at least two digits ('1.0000e+08', not '1.0000e+8').
 *
 * Every finite double is m · 2^e for integers m, e. When e < 0 this equals m · 5^-e / 10^-e,
 * so its decimal expansion is finite and BigInt can hold all of its digits. Rounding then
 * is plain integer arithmetic.
 */

/** A finite double as an exact decimal: (negative ? -1 : 1) · digits / 10^scale. */
interface ExactDecimal {
  negative: boolean;
  digits: bigint;
  scale: number;
}

/** Split a finite double into its sign, integer mantissa and power of two, reading its IEEE-754 bits. */
function decomposeDouble(x: number): { negative: boolean; mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biasedExponent === 0) {
    // Subnormal (or zero): no hidden leading 1.
    return { negative, mantissa: fraction, exponent: -1074 };
  }
  return { negative, mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

/** The exact decimal value of a finite double. */
function toExactDecimal(x: number): ExactDecimal {
  const { negative, mantissa, exponent } = decomposeDouble(x);
  if (exponent >= 0) {
    return { negative, digits: mantissa << BigInt(exponent), scale: 0 };
  }
  // m / 2^k == m · 5^k / 10^k
  const k = -exponent;
  return { negative, digits: mantissa * 5n ** BigInt(k), scale: k };
}

/** numerator / denominator rounded to the nearest integer, ties to the even neighbour. */
function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator) return quotient + 1n;
  if (twiceRemainder === denominator && quotient % 2n === 1n) return quotient + 1n;
  return quotient;
}

/** digits / 10^fromScale re-expressed with `toScale` decimals (rounding half-even if that drops digits). */
function rescale(digits: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return digits * 10n ** BigInt(toScale - fromScale);
  return divideRoundHalfEven(digits, 10n ** BigInt(fromScale - toScale));
}

/** Python spells non-finite numbers 'nan', 'inf' and '-inf' in both the f and e formats. */
function formatNonFinite(x: number): string {
  if (Number.isNaN(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}

/** Put a decimal point `decimals` digits from the right of an integer, e.g. (31n, 4) -> "0.0031". */
function insertDecimalPoint(scaled: bigint, decimals: number): string {
  if (decimals === 0) return scaled.toString();
  const text = scaled.toString().padStart(decimals + 1, "0");
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

/** Python's `'{:.<digits>f}'.format(x)`, e.g. formatFixed(0.03125, 4) === "0.0312". */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  const exact = toExactDecimal(x);
  const rounded = rescale(exact.digits, exact.scale, digits);
  // Python keeps the sign of negative numbers that round to zero, and of -0.0 itself.
  return (exact.negative ? "-" : "") + insertDecimalPoint(rounded, digits);
}

/** Python's `'{:.<digits>e}'.format(x)`, e.g. formatExponential(1e8, 4) === "1.0000e+08". */
export function formatExponential(x: number, digits: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  const exact = toExactDecimal(x);
  const sign = exact.negative ? "-" : "";
  if (exact.digits === 0n) return `${sign}${insertDecimalPoint(0n, digits)}e+00`;

  // value = digits · 10^-scale; its leading digit sits at 10^decimalExponent.
  const digitCount = exact.digits.toString().length;
  let decimalExponent = digitCount - 1 - exact.scale;
  // Keep 1 + `digits` significant digits: treat the leading digit as the units place.
  let significand = rescale(exact.digits, digitCount - 1, digits);
  if (significand === 10n ** BigInt(digits + 1)) {
    // Rounding carried into a new digit (9.99995 -> 10.0000): renormalise to 1.0000 and bump the exponent.
    significand /= 10n;
    decimalExponent += 1;
  }
  const exponentSign = decimalExponent < 0 ? "-" : "+";
  const exponentText = Math.abs(decimalExponent).toString().padStart(2, "0");
  return `${sign}${insertDecimalPoint(significand, digits)}e${exponentSign}${exponentText}`;
}
