/**
 * PyTorch's tensor `repr`, character for character.
 *
 * A port of `torch/_tensor_str.py` (dense CPU tensors, default print options). The functions
 * keep PyTorch's names in their comments so the two can be read side by side:
 *   _Formatter                  -> makeFormatter / chooseFloatMode / formatFloat
 *   _scalar_str, _vector_str    -> formatScalar, formatVector
 *   _tensor_str_with_formatter  -> formatBlock
 *   get_summarized_data         -> visibleElements
 *   _add_suffixes, _str_intern  -> addSuffixes, formatTensor
 *
 * PyTorch 1.13 (installed locally) and 2.x share every function ported here line for line. The
 * 2.x file only changes paths we do not model: FakeTensor and meta nested tensors print as "...",
 * `mtia` tensors are copied to the CPU first, `_str` also disables Python dispatch modes, and
 * `torch._six.inf` became `torch.inf`. The fixtures in test/fixtures/repr.json come from real 1.13.
 */
import { formatExponential, formatFixed } from "./decimal";

import type { DType } from "./dtype";
export type { DType };

/** torch's default print options (`torch.set_printoptions(profile="default")`). */
export const PRINT_OPTIONS = {
  precision: 4,
  threshold: 1000, // more elements than this -> summarize with "..."
  edgeitems: 3, // elements kept at each end of a summarized dimension
  linewidth: 80,
} as const;

/** float32 is torch's default dtype; int64 and bool are recognisable from their printed values. */
const DTYPES_WITHOUT_SUFFIX: readonly DType[] = ["float32", "int64", "bool"];

const PREFIX = "tensor(";

// ---------------------------------------------------------------------------------------------
// A tensor as a flat row-major array plus a shape; sub-tensors are views at an offset.

interface TensorView {
  readonly values: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly offset: number;
}

function numelOf(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** `self[i]`: the i-th slice along the first dimension. */
function slice(view: TensorView, index: number): TensorView {
  const inner = view.shape.slice(1);
  return { values: view.values, shape: inner, offset: view.offset + index * numelOf(inner) };
}

const ELLIPSIS = "...";
type ShownIndex = number | typeof ELLIPSIS;

/** Which indices of a dimension get printed: all of them, or edgeitems at each end around "...". */
function shownIndices(size: number, summarize: boolean): ShownIndex[] {
  const range = (start: number, end: number): number[] => Array.from({ length: end - start }, (_, i) => start + i);
  const { edgeitems } = PRINT_OPTIONS;
  if (!summarize || size <= 2 * edgeitems) return range(0, size);
  return [...range(0, edgeitems), ELLIPSIS, ...range(size - edgeitems, size)];
}

/**
 * get_summarized_data: the elements that will actually be printed. The formatter measures only
 * these, so a huge value hidden behind "..." does not widen the columns.
 */
function visibleElements(view: TensorView, summarize: boolean): number[] {
  if (view.shape.length === 0) return [view.values[view.offset]];
  const elements: number[] = [];
  for (const index of shownIndices(view.shape[0], summarize)) {
    if (index !== ELLIPSIS) elements.push(...visibleElements(slice(view, index), summarize));
  }
  return elements;
}

// ---------------------------------------------------------------------------------------------
// _Formatter: one shared width (and, for floats, one notation) for every element of the tensor.

interface ElementFormatter {
  /** max_width: every element is right-aligned to this many characters. */
  readonly width: number;
  format(value: number): string;
}

/** How _Formatter prints floats: "1.", "1.0000" or "1.0000e+00". */
type FloatMode = "integer" | "fixed" | "scientific";

/** The notation is chosen from the non-zero finite elements only (zeros, inf and nan fit any). */
function chooseFloatMode(nonzeroFinite: readonly number[]): FloatMode {
  if (nonzeroFinite.length === 0) return "integer";
  const magnitudes = nonzeroFinite.map(Math.abs);
  const min = Math.min(...magnitudes);
  const max = Math.max(...magnitudes);
  // Spread over more than three orders of magnitude, or too large, cannot share a fixed column.
  const needsExponent = max / min > 1000 || max > 1e8;
  if (nonzeroFinite.every(Number.isInteger)) return needsExponent ? "scientific" : "integer";
  // With only 4 decimals, numbers below 1e-4 would print as 0.0000.
  return needsExponent || min < 1e-4 ? "scientific" : "fixed";
}

function formatFloat(value: number, mode: FloatMode): string {
  const { precision } = PRINT_OPTIONS;
  switch (mode) {
    case "scientific":
      return formatExponential(value, precision);
    case "fixed":
      return formatFixed(value, precision);
    case "integer":
      // The trailing "." tells a float tensor from an int64 one; "inf" and "nan" need no marker.
      return formatFixed(value, 0) + (Number.isFinite(value) ? "." : "");
  }
}

function makeFloatFormatter(elements: readonly number[]): ElementFormatter {
  const nonzeroFinite = elements.filter((v) => Number.isFinite(v) && v !== 0);
  const mode = chooseFloatMode(nonzeroFinite);
  const lengths = nonzeroFinite.map((v) => formatFloat(v, mode).length);
  const width = Math.max(1, ...lengths);
  return { width, format: (value) => formatFloat(value, mode).padStart(width) };
}

/** Integers and booleans print as Python's str(): 42, -7, True, False. */
function makeTextFormatter(elements: readonly number[], toText: (value: number) => string): ElementFormatter {
  const width = Math.max(1, ...elements.map((v) => toText(v).length));
  return { width, format: (value) => toText(value).padStart(width) };
}

// BigInt keeps integers beyond 1e21 out of JavaScript's exponent notation.
const int64Text = (value: number): string => BigInt(value).toString();
const boolText = (value: number): string => (value !== 0 ? "True" : "False");

function makeFormatter(elements: readonly number[], dtype: DType): ElementFormatter {
  switch (dtype) {
    case "float32":
    case "float64":
      return makeFloatFormatter(elements);
    case "int64":
      return makeTextFormatter(elements, int64Text);
    case "bool":
      return makeTextFormatter(elements, boolText);
  }
}

// ---------------------------------------------------------------------------------------------
// Laying the formatted elements out: rows wrap at linewidth, dimensions nest with brackets.

/** _scalar_str: a 0-d tensor is just its one element. */
function formatScalar(view: TensorView, formatter: ElementFormatter): string {
  return formatter.format(view.values[view.offset]);
}

/** _vector_str: a 1-d row, wrapped so each line fits in linewidth after the indent. */
function formatVector(view: TensorView, indent: number, summarize: boolean, formatter: ElementFormatter): string {
  const elementLength = formatter.width + 2; // ", " between elements
  const elementsPerLine = Math.max(1, Math.floor((PRINT_OPTIONS.linewidth - indent) / elementLength));
  const items = shownIndices(view.shape[0], summarize).map((index) =>
    index === ELLIPSIS ? " ..." : formatter.format(view.values[view.offset + index]),
  );
  const lines: string[] = [];
  for (let start = 0; start < items.length; start += elementsPerLine) {
    lines.push(items.slice(start, start + elementsPerLine).join(", "));
  }
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

/**
 * _tensor_str_with_formatter: brackets nest one column deeper per dimension, and slices of a
 * d-dimensional tensor are separated by d - 1 newlines (a blank line between matrices).
 */
function formatBlock(view: TensorView, indent: number, summarize: boolean, formatter: ElementFormatter): string {
  const dim = view.shape.length;
  if (dim === 0) return formatScalar(view, formatter);
  if (dim === 1) return formatVector(view, indent, summarize, formatter);
  const slices = shownIndices(view.shape[0], summarize).map((index) =>
    index === ELLIPSIS ? ELLIPSIS : formatBlock(slice(view, index), indent + 1, summarize, formatter),
  );
  return "[" + slices.join("," + "\n".repeat(dim - 1) + " ".repeat(indent + 1)) + "]";
}

/** _tensor_str: the bracketed contents, without "tensor(" and the suffixes. */
function formatContents(view: TensorView, dtype: DType, indent: number): string {
  const summarize = numelOf(view.shape) > PRINT_OPTIONS.threshold;
  const formatter = makeFormatter(visibleElements(view, summarize), dtype);
  return formatBlock(view, indent, summarize, formatter);
}

// ---------------------------------------------------------------------------------------------
// The whole repr: "tensor(" + contents + suffixes such as ", dtype=torch.float64" + ")".

/** Python's str(tuple(shape)): "(2, 3)", and "(0,)" for one element. */
function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** _add_suffixes: append ", suffix" on the last line, or on a new line if it would pass linewidth. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  let result = text;
  // Ported as is: without a newline lastIndexOf is -1, so this is length + 2, not length.
  let lastLineLength = text.length - text.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > PRINT_OPTIONS.linewidth) {
      result += ",\n" + " ".repeat(indent) + suffix;
      lastLineLength = indent + suffix.length;
    } else {
      result += ", " + suffix;
      lastLineLength += suffix.length + 2;
    }
  }
  return result + ")";
}

/** The "size=..." and "dtype=..." suffixes that a tensor's printed contents cannot show. */
function suffixesFor(shape: readonly number[], dtype: DType): string[] {
  const suffixes: string[] = [];
  if (numelOf(shape) === 0) {
    // "[]" cannot show the shape unless it is (0,), nor tell int64 from float32.
    if (shape.length !== 1) suffixes.push(`size=${pythonTuple(shape)}`);
    if (dtype !== "float32") suffixes.push(`dtype=torch.${dtype}`);
  } else if (!DTYPES_WITHOUT_SUFFIX.includes(dtype)) {
    suffixes.push(`dtype=torch.${dtype}`);
  }
  return suffixes;
}

/**
 * repr(t) for a tensor with these row-major `values`, `shape` and `dtype`, exactly as PyTorch
 * prints it, e.g. formatTensor([1, 2.5], [2], "float32") === "tensor([1.0000, 2.5000])".
 * int64 values must be exact integers, bool values 0 or 1.
 */
export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  const numel = numelOf(shape);
  if (values.length !== numel) {
    throw new RangeError(`formatTensor: shape [${shape.join(", ")}] needs ${numel} values, got ${values.length}`);
  }
  const indent = PREFIX.length;
  const contents = numel === 0 ? "[]" : formatContents({ values, shape, offset: 0 }, dtype, indent);
  return addSuffixes(PREFIX + contents, suffixesFor(shape, dtype), indent);
}
