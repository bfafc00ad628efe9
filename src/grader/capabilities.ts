/**
 * An exercise that may not use part of the module (../manifest.ts `library.forbid`): its code gets a
 * d2l-pooling module without those names. This runs inside the exercise's own realm
 * (./sandbox/realm.ts), on the realm's own copy of the library, so
 *
 * - `F.maxPool2d`, `nn.MaxPool2d`, `pool2d`, … are functions that throw "`F.maxPool2d` is not allowed
 *   in this exercise: build the window yourself" — however they are reached: `F["max" + "Pool2d"]`,
 *   `nn.functional`, an alias made at load time, a helper file the exercise imports (it is loaded in
 *   the same realm);
 * - a forbidden Tensor method (`Tensor#max`) is replaced on this copy's Tensor.prototype, which every
 *   tensor the exercise sees has — the ones the grader passes in and the ones it makes.
 *
 * Names: `F.<name>`, `nn.<name>`, `torch.<name>`, a top-level export (`pool2d`), or `Tensor#<method>`;
 * `*` matches any run of characters. Only max-pool-as-conv is restricted this way: its work is loops
 * over the values, so it gets them. The exercises whose task is "use only these operations" never get
 * values at all (./trace/).
 */
import { join, text, type Text } from "./i18n";
import type { Capability } from "./manifest";
import { createTracer, type Tracer } from "./trace/record";
import { matcher } from "./trace/rules";

/**
 * The module the exercise's code gets. `lib` is this realm's own copy (its Tensor.prototype is
 * changed in place); `forbidden(message)` makes the error a stand-in throws, which the grader
 * reports as "not allowed" rather than as the code's own throw.
 */
export function restrictLibrary(lib: Record<string, unknown>, capability: Capability, forbidden: (message: Text) => Error): Record<string, unknown> {
  const banned = matcher(capability.forbid ?? []);
  const standIn = (name: string) => {
    const fn = function notAllowed(): never {
      throw forbidden(join([text(`这个练习不允许用 \`${name}\`：`, `\`${name}\` is not allowed in this exercise: `), capability.instead]));
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
  const proto = (lib.Tensor as { prototype: object }).prototype;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key !== "constructor" && banned(`Tensor#${key}`)) {
      Object.defineProperty(proto, key, { value: standIn(`Tensor.${key}`), writable: false, configurable: false, enumerable: false });
    }
  }
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(lib)) view[key] = key in views ? views[key] : key !== "Tensor" && banned(key) ? standIn(key) : lib[key];
  return Object.freeze(view);
}

/**
 * Errors of what an exercise may not use, each with its words in both languages: the grader reports
 * them as "not allowed", not as something the code threw. One per realm (the sandbox's, the browser's).
 */
export function forbiddenErrors(): { error: (message: Text) => Error; wordsOf: (e: unknown) => Text | undefined } {
  const words = new WeakMap<object, Text>();
  return {
    error(message) {
      const e = new Error(message.en);
      words.set(e, message);
      return e;
    },
    wordsOf: (e) => (e !== null && typeof e === "object" ? words.get(e) : undefined),
  };
}

/**
 * What `require("d2l-pooling")` gives an exercise's code: the tracer's library (a traced exercise,
 * with its recorder), the restricted one, or the whole module (no capability). The sandbox's realm
 * and the browser's grading (lite/src/grade/) both hand their exercise code this.
 */
export function handedLibrary(lib: Record<string, unknown>, capability: Capability | null | undefined, forbidden: (message: Text) => Error): { library: Record<string, unknown>; tracer: Tracer | null } {
  if (capability?.trace) {
    const tracer = createTracer(lib as never, { allows: matcher(capability.trace.allow), instead: capability.instead, forbidden });
    return { library: tracer.library, tracer };
  }
  return { library: capability ? restrictLibrary(lib, capability, forbidden) : lib, tracer: null };
}
