/**
 * The element types a Tensor can hold, and how each is stored.
 *
 * PyTorch's default floating type is float32; integer results (indices, `arange` of
 * integers) are int64; comparisons give bool. We keep int64 values as exact integers in a
 * Float64Array (exact up to 2^53, far beyond any index here) so they behave like numbers.
 */
export type DType = "float32" | "float64" | "int64" | "bool";

export type Storage = Float32Array | Float64Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int64", "bool"];

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && (DTYPES as readonly string[]).includes(value);
}

export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** Convert one JS number to what `dtype` stores, the way PyTorch casts (ints truncate toward 0). */
export function castValue(value: number, dtype: DType): number {
  switch (dtype) {
    case "float32":
      return Math.fround(value);
    case "float64":
      return value;
    case "int64":
      if (!Number.isFinite(value)) {
        throw new Error(`cannot convert ${value} to int64: only finite numbers have an integer value`);
      }
      return Math.trunc(value);
    case "bool":
      return value !== 0 ? 1 : 0;
  }
}

/** PyTorch's name for a dtype, as printed in `dtype=torch.float64`. */
export function torchName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** PyTorch's short scalar-type name used in some error messages ("Float", "Long"). */
export function scalarTypeName(dtype: DType): string {
  return { float32: "Float", float64: "Double", int64: "Long", bool: "Bool" }[dtype];
}

/**
 * Type promotion for a binary op, following torch.result_type for the dtypes we have:
 * bool < int64 < float32 < float64. A plain JS number counts as int when it is an integer,
 * else as a float (and then only lifts an integer tensor to the default float32).
 */
export function promote(a: DType, b: DType): DType {
  const rank: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };
  return rank[a] >= rank[b] ? a : b;
}

export function promoteWithScalar(tensorType: DType, scalar: number | boolean): DType {
  if (typeof scalar === "boolean") return tensorType;
  if (Number.isInteger(scalar)) return tensorType === "bool" ? "int64" : tensorType;
  return isFloating(tensorType) ? tensorType : "float32";
}
