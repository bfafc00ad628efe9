/**
 * Tasks enforced by capability, not by a search of the source: an exercise's code gets a d2l-pooling
 * module without what the manifest forbids it (./manifest.ts `library`). This runs inside the
 * exercise's own realm (./sandbox/realm.ts), on the realm's own copy of the library, so
 *
 * - `F.maxPool2d`, `nn.MaxPool2d`, `pool2d`, … are functions that throw "`F.maxPool2d` is not allowed
 *   in this exercise: build the window yourself" — however they are reached: `F["max" + "Pool2d"]`,
 *   `nn.functional`, an alias made at load time, a helper file the exercise imports (it is loaded in
 *   the same realm);
 * - a forbidden Tensor method (`Tensor#max`) is replaced on this copy's Tensor.prototype, which every
 *   tensor the exercise sees has — the ones the grader passes in and the ones it makes.
 *
 * Names: `F.<name>`, `nn.<name>`, `torch.<name>`, a top-level export (`pool2d`), or `Tensor#<method>`;
 * `*` matches any run of characters. Other exercises run in other realms with their own copies.
 *
 * A list of what is forbidden misses what nobody thought of (`a.sub(b).pow(2).sqrt()` is |a − b|,
 * and so a max without ReLU); an exercise whose whole point is "only these operations" gives an
 * `allow` list instead, and everything else of the module is forbidden.
 *
 * Without the numbers, no way round: with `hideValues`, the exercise's code cannot read a tensor's
 * values at all — the `data` getter throws when submission code calls it (whoever the caller is
 * comes from the realm's stack, which submission code cannot rewrite: ./sandbox/in-realm.ts), and
 * the methods that hand values back as JS numbers or text (`tolist`, `item`, `get`, `toString`,
 * `all`, `any`, printing) are forbidden. So `const { data } = X` followed by a loop with `>`, or
 * `Object.values(X)`, has nothing to work on: the result must come from the library's operations.
 */

export interface CapabilitySpec {
  forbid: readonly string[];
  /** When given, only these names may be used: the rest of F, nn, torch, the top level and Tensor's methods is forbidden. */
  allow?: readonly string[];
  /** The exercise's code may not read tensor values (see above). */
  hideValues?: boolean;
  /** What to do instead (the error says it). */
  instead: string;
}

/**
 * What hands values back as JS numbers, booleans or text — or answers a question about them through
 * an error: converting to int64 throws for ±inf and NaN (so `x.sub(t).mul(Infinity).long()` compares x
 * with t), `pow` checks its exponents, `maxUnpool2d` its indices. Forbidden where values are hidden;
 * `to` and `set` are kept, but not towards int64 (see hideData's neighbours below).
 */
const VALUE_READERS = [
  ...["tolist", "item", "get", "scalarAt", "toString", "all", "any", "long", "pow"].map((m) => `Tensor#${m}`),
  "F.maxUnpool2d*",
  "nn.MaxUnpool2d",
  "torch.Tensor", // the class: `new torch.Tensor(ownArray, …)` would let the library write values into the submission's array
];

/** A property submission code can neither change nor redefine. */
const sealed = (value: unknown): PropertyDescriptor => ({ value, writable: false, configurable: false, enumerable: false });

/**
 * `data` that throws when submission code reads it: the library's own code (and the grader's) still
 * reads it, through the getter it had.
 */
function hideData(proto: object, refuse: () => never, calledFromSubmission: (callee: (...args: never[]) => unknown) => boolean): void {
  const original = Object.getOwnPropertyDescriptor(proto, "data")?.get;
  if (!original) throw new Error("grader problem: the library's Tensor has no data getter");
  const apply = Reflect.apply;
  const data = function (this: object): unknown {
    if (calledFromSubmission(data)) refuse();
    return apply(original, this, []);
  };
  Object.defineProperty(proto, "data", { get: data, configurable: false, enumerable: false });
}

/** `to("int64")`, and `set` into an int64 tensor, forbidden (the conversion's error depends on the values). */
function noInt64(proto: object, standIn: (name: string) => () => never): void {
  const apply = Reflect.apply;
  /** `name` wrapped so that it refuses when `refuses(this, args)`; left alone when an allow list took it already. */
  const guard = (name: "to" | "set", refuses: (self: { dtype: string }, args: unknown[]) => boolean, refusal: string) => {
    const d = Object.getOwnPropertyDescriptor(proto, name) as { value: (...args: unknown[]) => unknown; configurable: boolean };
    if (!d.configurable) return;
    const refuse = standIn(refusal);
    Object.defineProperty(
      proto,
      name,
      sealed(function (this: { dtype: string }, ...args: unknown[]) {
        if (refuses(this, args)) refuse();
        return apply(d.value, this, args);
      }),
    );
  };
  guard("to", (_, [dtype]) => dtype === "int64" || dtype === "long", 'Tensor.to("int64")');
  guard("set", (self) => self.dtype === "int64", "Tensor.set on an int64 tensor");
}

/** The namespaces of the module whose entries can be forbidden one by one. */
const NAMESPACES = ["F", "nn", "torch"] as const;

function matcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  return (name) => re.test(name);
}

/**
 * The module the exercise's code gets. `lib` is this realm's own copy (its Tensor.prototype is
 * changed in place); `forbidden` collects the errors the stand-ins throw, so the grader can say
 * "forbidden" rather than "threw".
 */
export function restrictLibrary(
  lib: Record<string, unknown>,
  spec: CapabilitySpec,
  forbidden: WeakSet<object>,
  calledFromSubmission: (callee: (...args: never[]) => unknown) => boolean,
): Record<string, unknown> {
  const forbidRules = [...spec.forbid, ...(spec.hideValues ? VALUE_READERS : [])].map(matcher);
  const allowRules = spec.allow?.map(matcher);
  const banned = (name: string) => forbidRules.some((test) => test(name)) || (allowRules !== undefined && !allowRules.some((test) => test(name)));
  const standIn = (name: string) => {
    const fn = function notAllowed(): never {
      const e = new Error(`\`${name}\` is not allowed in this exercise: ${spec.instead}`);
      forbidden.add(e);
      throw e;
    };
    Object.defineProperty(fn, "name", { value: `not allowed: ${name}` });
    return fn;
  };
  const namespace = (ns: string, source: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) out[key] = banned(`${ns}.${key}`) ? standIn(`${ns}.${key}`) : source[key];
    return Object.freeze(Object.assign(out, extra));
  };
  const F = namespace("F", lib.F as Record<string, unknown>);
  const views: Record<string, unknown> = {
    F,
    // nn.functional is F, as in PyTorch: the restricted one.
    nn: namespace("nn", lib.nn as Record<string, unknown>, "functional" in (lib.nn as object) ? { functional: F } : {}),
    torch: namespace("torch", lib.torch as Record<string, unknown>),
  };
  const Tensor = lib.Tensor as { prototype: object };
  const replaced = new Set<string>();
  for (let proto: object | null = Tensor.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor" || key === "data" || replaced.has(key) || !banned(`Tensor#${key}`)) continue;
      replaced.add(key);
      Object.defineProperty(Tensor.prototype, key, sealed(standIn(`Tensor.${key}`)));
    }
    // Symbol-keyed methods (util.inspect's printing) read values too; only Symbol.dispose stays.
    if (spec.hideValues) {
      for (const key of Object.getOwnPropertySymbols(proto)) {
        if (key === (Symbol as { dispose?: symbol }).dispose) continue;
        Object.defineProperty(Tensor.prototype, key, sealed(standIn(`Tensor[${String(key.description)}]`)));
      }
    }
  }
  // No tensors of the submission's own making around its own arrays (the library would write values
  // into them): `new Tensor(...)` and `x.constructor` are stand-ins; `instanceof Tensor` still works.
  let TensorExport: unknown = lib.Tensor;
  if (spec.hideValues) {
    hideData(Tensor.prototype, standIn("Tensor.data"), calledFromSubmission);
    noInt64(Tensor.prototype, standIn);
    const construct = standIn("new Tensor(...)");
    Object.defineProperty(construct, "prototype", { value: Tensor.prototype });
    Object.defineProperty(Tensor.prototype, "constructor", sealed(construct));
    TensorExport = construct;
  }
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(lib)) {
    if ((NAMESPACES as readonly string[]).includes(key)) view[key] = views[key];
    else if (key === "Tensor") view[key] = TensorExport; // the class (its forbidden methods are replaced above)
    else view[key] = banned(key) ? standIn(key) : lib[key];
  }
  return Object.freeze(view);
}
