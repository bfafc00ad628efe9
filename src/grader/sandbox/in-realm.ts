/**
 * The code that runs INSIDE a sandbox realm (./realm.ts): it loads the exercise's modules, hands them
 * their d2l-pooling module (restricted by the exercise's capability, ../capabilities.ts), and serves
 * the grader's requests through ../invoke.ts — all with this realm's own objects.
 *
 * Between the sandbox process and the realm only strings (JSON) and this realm's own objects cross:
 * the process gives `init` a few functions of its own (read a compiled file, compile it here, the
 * clock, timers), and this module keeps them to itself, passing them nothing but strings, numbers and
 * functions made here. So no object of the process — nothing that leads to its `Function`, its
 * `require` or another exercise's realm — is ever within reach of submission code.
 */
import { restrictLibrary, type CapabilitySpec } from "../capabilities";
import type { CodecLibrary, Wire } from "../codec";
import * as codec from "../codec";
import { errorText, invoke, loadFailure, readConstants, storageReader, type Reply, type Side } from "../invoke";

export interface RealmConfig {
  /** Folder of the compiled submission files, as their stack frames name them. */
  runDir: string;
  /** How submission files are named in messages ("exercises"). */
  display: string;
  /** What this realm's exercise may not use (null: the whole library). */
  capability: CapabilitySpec | null;
}

/** What the sandbox process lends this realm: functions that take and give strings and numbers. */
export interface RealmHooks {
  /** This realm's own copy of the library (loaded here by the process). */
  library(): Record<string, unknown>;
  /** The compiled code of submission module `name`, or null when there is none. */
  readModule(name: string): string | null;
  /** `code` compiled here as a CommonJS module function (exports, require, module, __filename, __dirname). */
  compile(code: string, filename: string): (...args: unknown[]) => unknown;
  now(): number;
  setTimer(callback: () => void, ms: number, repeat: boolean): number;
  clearTimer(id: number): void;
}

export type RealmRequest =
  | { op: "load"; module: string }
  | { op: "call"; module: string; name: string; args: Wire }
  | { op: "get"; module: string; name: string }
  | { op: "constants"; module: string; names: string[] };

// Taken before any submission code runs here.
const stringify = JSON.stringify;
const parse = JSON.parse;
const { apply } = Reflect;
const { create, defineProperty, freeze, getPrototypeOf } = Object;
const StringOf = String;
const promiseResolve = Promise.resolve.bind(Promise);
const moduleName = /^\.\/([\w.-]+?)(\.ts|\.js)?$/;

let config: RealmConfig;
let hooks: RealmHooks;
let lib: Record<string, unknown>;
/** What `require("d2l-pooling")` gives this realm's submission code. */
let handed: Record<string, unknown>;
/** A tensor's storage through the library's own getter (../invoke.ts `Side.dataOf`). */
let dataOf: (t: object) => ArrayBufferView | undefined;
const forbidden = new WeakSet<object>();
const loaded = new Map<string, { exports: Record<string, unknown> } | { error: string; location?: string }>();

function deny(what: string, hint: string): () => never {
  return () => {
    throw new Error(`${what} is not available while grading: ${hint}`);
  };
}

/** The globals submission code may expect of Node, made here: a silent console, timers, a process that cannot exit. */
function installGlobals(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const quiet = () => undefined;
  g.console = Object.freeze({ log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet, dir: quiet, table: quiet, time: quiet, timeEnd: quiet, assert: quiet });
  const timer = (repeat: boolean) => (fn: unknown, ms?: unknown, ...args: unknown[]) => {
    if (typeof fn !== "function") throw new TypeError("the callback must be a function");
    return hooks.setTimer(() => void (fn as (...a: unknown[]) => unknown)(...args), Number(ms) || 0, repeat);
  };
  const clear = (id: unknown) => hooks.clearTimer(Number(id));
  Object.assign(g, {
    global: globalThis,
    setTimeout: timer(false),
    setInterval: timer(true),
    setImmediate: (fn: unknown, ...args: unknown[]) => timer(false)(fn, 0, ...args),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    queueMicrotask: (fn: () => void) => void promiseResolve().then(fn),
    performance: Object.freeze({ now: () => hooks.now() }),
  });
  const stream = Object.freeze({ write: () => true, isTTY: false });
  const proc: Record<string, unknown> = {
    env: {},
    argv: [],
    platform: "linux",
    version: "v20",
    versions: {},
    pid: 1,
    ppid: 0,
    exitCode: undefined,
    stdout: stream,
    stderr: stream,
    cwd: () => "/",
    hrtime: Object.assign(() => [0, 0], { bigint: () => BigInt(Math.round(hooks.now() * 1e6)) }),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => void promiseResolve().then(() => fn(...args)),
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    on: () => undefined,
    once: () => undefined,
  };
  // What would end or signal a process cannot be replaced either.
  const fixed = (value: unknown) => ({ value, writable: false, configurable: false, enumerable: true });
  Object.defineProperties(proc, {
    exit: fixed(deny("process.exit()", "return a value from your function instead")),
    reallyExit: fixed(deny("process.exit()", "return a value from your function instead")),
    abort: fixed(deny("process.abort()", "return a value from your function instead")),
    kill: fixed(deny("process.kill()", "exercises do not signal processes")),
  });
  g.process = proc;
}

function cannotImport(id: string): Error {
  return new Error(`cannot import '${id}' while grading: an exercise may import only "d2l-pooling" and the other exercise files (./name)`);
}

type CallSite = { getFileName(): string | null | undefined; toString(): string };

/**
 * Stack traces in this realm, fixed before any submission code runs: `Error.prepareStackTrace` and
 * `Error.stackTraceLimit` can no longer be changed, so a submission cannot forge what the grader
 * reads from a stack. Returns `calledFromSubmission(callee)`: whether the nearest caller of `callee`
 * that is a file (built-ins such as `Reflect.apply` or `Array.prototype.map` are skipped) is one of
 * the submission's files. File names come from the compiler, not from the code (a `//# sourceURL`
 * comment does not change them).
 */
function lockStackTraces(): (callee: (...args: never[]) => unknown) => boolean {
  const E = Error as unknown as { captureStackTrace(holder: object, callee?: unknown): void };
  const capture = E.captureStackTrace;
  const errorToString = Error.prototype.toString;
  const dir = config.runDir.endsWith("/") ? config.runDir : `${config.runDir}/`;
  let wantFiles = false;
  // No array methods here: submission code could have replaced them on Array.prototype.
  const prepare = (error: unknown, sites: CallSite[]): unknown => {
    if (wantFiles) {
      for (let i = 0; i < sites.length; i++) {
        const file = sites[i].getFileName();
        if (typeof file === "string" && file.length > 0) return file;
      }
      return "";
    }
    let text: string;
    try {
      text = StringOf(apply(errorToString, error, []));
    } catch {
      text = "Error";
    }
    for (let i = 0; i < sites.length; i++) text += `\n    at ${sites[i]}`;
    return text;
  };
  defineProperty(Error, "prepareStackTrace", { value: prepare, writable: false, configurable: false, enumerable: false });
  defineProperty(Error, "stackTraceLimit", { value: 20, writable: false, configurable: false, enumerable: false });
  return (callee) => {
    const holder = create(null) as { stack?: unknown };
    wantFiles = true;
    try {
      apply(capture, Error, [holder, callee]);
      const file = holder.stack;
      return typeof file !== "string" || file === "" || file.startsWith(dir);
    } finally {
      wantFiles = false;
    }
  };
}

/**
 * The built-ins the library's code uses on tensor storage, frozen: otherwise a submission could
 * replace `TypedArray.prototype.set` (or an iterator's `next`, or put a setter on
 * `Object.prototype`) and be handed the values by the library itself. Only in exercises whose code
 * may not read values (../capabilities.ts `hideValues`); honest code does not patch built-ins.
 */
function hardenIntrinsics(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const typed = getPrototypeOf(Float32Array) as object;
  const arrayIterator = getPrototypeOf([][Symbol.iterator]()) as object;
  const targets: unknown[] = [Object.prototype, Object, Array.prototype, Array, Function.prototype, Reflect, Math, JSON, typed, (typed as { prototype: object }).prototype, arrayIterator, getPrototypeOf(arrayIterator)];
  for (const name of ["ArrayBuffer", "SharedArrayBuffer", "DataView", "Number", "Float32Array", "Float64Array", "Uint8Array", "Int32Array", "Uint32Array", "BigInt64Array", "Int8Array", "Int16Array", "Uint16Array", "Uint8ClampedArray", "BigUint64Array"]) {
    const ctor = g[name] as { prototype?: object } | undefined;
    if (ctor) targets.push(ctor, ctor.prototype);
  }
  for (const t of targets) if (t) freeze(t);
  // The global names too: the library looks them up when it runs (`Array.from(...)`), and Node reads
  // `globalThis.Error.prepareStackTrace` when it formats a stack: a replaced `Error` or `Array`
  // would be handed values, or forge the caller check.
  for (const name of Object.getOwnPropertyNames(g)) {
    const d = Object.getOwnPropertyDescriptor(g, name);
    if (!d || !d.configurable || !/^[A-Z]/.test(name) || typeof d.value !== "function" && typeof d.value !== "object") continue;
    defineProperty(g, name, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
  }
}

/** The first stack frame in a submission file, as `min-pool:12:3` (the grader maps it back to the .ts source). */
function locate(e: unknown): string | undefined {
  try {
    const stack = e !== null && typeof e === "object" && "stack" in e ? String((e as { stack: unknown }).stack) : "";
    const dir = config.runDir.endsWith("/") ? config.runDir : `${config.runDir}/`;
    for (const line of stack.split("\n")) {
      const i = line.indexOf(dir);
      if (i < 0) continue;
      const m = /^([\w.-]+?)\.js:(\d+):(\d+)/.exec(line.slice(i + dir.length));
      if (m) return `${m[1]}:${m[2]}:${m[3]}`;
    }
  } catch {
    // no location
  }
  return undefined;
}

function requireFor(id: string): unknown {
  if (id === "d2l-pooling") return handed;
  const m = moduleName.exec(id);
  if (m && !m[1].includes("..")) {
    const r = loadModule(m[1]);
    if ("exports" in r) return r.exports;
    throw new Error(`./${m[1]} could not be loaded: ${r.error}`);
  }
  throw cannotImport(String(id));
}

function loadModule(name: string): { exports: Record<string, unknown> } | { error: string; location?: string } {
  const cached = loaded.get(name);
  if (cached) return cached;
  const code = hooks.readModule(name);
  if (code === null) {
    const r = { error: `${config.display}/${name}.ts is not in the submission` };
    loaded.set(name, r);
    return r;
  }
  const filename = `${config.runDir}/${name}.js`;
  const module = { exports: {} as Record<string, unknown> };
  // Registered before it runs, so two exercise files may import each other.
  loaded.set(name, module);
  try {
    const fn = hooks.compile(code, filename);
    fn(module.exports, (id: unknown) => requireFor(String(id)), module, filename, config.runDir);
  } catch (e) {
    const r = { error: errorText(e), location: locate(e) };
    loaded.set(name, r);
    return r;
  }
  const r = { exports: module.exports };
  loaded.set(name, r);
  return r;
}

async function answer(req: RealmRequest): Promise<Reply> {
  const shown = `${config.display}/${req.module}.ts`;
  const r = loadModule(req.module);
  if ("error" in r) return { ok: false, failure: loadFailure(shown, r.error, r.location) };
  if (req.op === "load") return { ok: true, value: null };
  const side: Side = { lib: lib as unknown as CodecLibrary, codec, shown, locate, dataOf, isForbidden: (e) => e !== null && typeof e === "object" && forbidden.has(e) };
  if (req.op === "constants") return { ok: true, value: (await readConstants(r.exports, req.names, side)) as unknown as Wire };
  return invoke(r.exports, req.op === "call" ? { op: "call", name: req.name, args: req.args } : { op: "get", name: req.name }, side);
}

/** Called once by the sandbox process, before any submission code. */
export function init(configJson: string, realmHooks: RealmHooks): void {
  config = parse(configJson) as RealmConfig;
  hooks = realmHooks;
  lib = hooks.library();
  dataOf = storageReader(lib as unknown as CodecLibrary);
  const calledFromSubmission = lockStackTraces();
  handed = config.capability ? restrictLibrary(lib, config.capability, forbidden, calledFromSubmission) : lib;
  // Whatever the capability, a submission may not replace how tensors hand out their storage.
  const proto = (lib.Tensor as { prototype: object }).prototype;
  const getter = Object.getOwnPropertyDescriptor(proto, "data");
  if (getter?.configurable) defineProperty(proto, "data", { ...getter, configurable: false });
  installGlobals();
  if (config.capability?.hideValues) hardenIntrinsics();
}

/** One request (JSON) → one reply (JSON), given to `reply` once. */
export function serve(requestJson: string, reply: (json: string) => void): void {
  let done = false;
  const send = (r: Reply) => {
    if (done) return;
    done = true;
    let text: string;
    try {
      text = stringify(r);
    } catch (e) {
      text = stringify({ ok: false, failure: { kind: "codec", message: `the result could not be sent: ${errorText(e)}` } });
    }
    reply(String(text));
  };
  let req: RealmRequest;
  try {
    req = parse(requestJson) as RealmRequest;
  } catch {
    return send({ ok: false, failure: { kind: "crashed", message: "grader problem: a request the sandbox could not read" } });
  }
  answer(req).then(send, (e) => send({ ok: false, failure: { kind: "threw", message: errorText(e).split("\n")[0] } }));
}
