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
import { deny } from "./deny";
import { forbiddenErrors, handedLibrary } from "../capabilities";
import type { CodecLibrary, Wire } from "../codec";
import * as codec from "../codec";
import { errorText, invoke, invokeTraced, loadFailure, readConstants, type Reply, type Side } from "../invoke";
import { same, text, type Text } from "../i18n";
import type { Capability } from "../manifest";
import type { TensorMeta } from "../trace/graph";
import type { Tracer } from "../trace/record";

export interface RealmConfig {
  /** Folder of the compiled submission files, as their stack frames name them. */
  runDir: string;
  /** How submission files are named in messages ("exercises"). */
  display: string;
  /** What this realm's exercise may use (null: the whole library). */
  capability: Capability | null;
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
  | { op: "trace"; module: string; name: string; args: Wire; inputs: TensorMeta[] }
  | { op: "get"; module: string; name: string }
  | { op: "constants"; module: string; names: string[] };

// Taken before any submission code runs here.
const stringify = JSON.stringify;
const parse = JSON.parse;
const promiseResolve = Promise.resolve.bind(Promise);
const moduleName = /^\.\/([\w.-]+?)(\.ts|\.js)?$/;

let config: RealmConfig;
let hooks: RealmHooks;
let lib: Record<string, unknown>;
/** What `require("d2l-pooling")` gives this realm's submission code. */
let handed: Record<string, unknown>;
/** The traced exercise's recorder (../trace/record.ts), or null. */
let tracer: Tracer | null = null;
/** Errors of what the exercise may not use, with their words: the grader says "not allowed", not "threw". */
const forbidden = forbiddenErrors();
const loaded = new Map<string, { exports: Record<string, unknown> } | { error: string; location?: string }>();

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
  const side: Side = { lib: lib as unknown as CodecLibrary, codec, shown, locate, forbidden: forbidden.wordsOf };
  if (req.op === "constants") return { ok: true, value: (await readConstants(r.exports, req.names, side)) as unknown as Wire };
  if (req.op === "trace") {
    if (!tracer) return { ok: false, failure: { kind: "crashed", message: text("评分器的问题：对没有追踪的练习做了追踪调用", "grader problem: a traced call to an exercise that is not traced") } };
    return invokeTraced(r.exports, { op: "trace", name: req.name, args: req.args, inputs: req.inputs }, side, tracer);
  }
  return invoke(r.exports, req.op === "call" ? { op: "call", name: req.name, args: req.args } : { op: "get", name: req.name }, side);
}

/** Called once by the sandbox process, before any submission code. */
export function init(configJson: string, realmHooks: RealmHooks): void {
  config = parse(configJson) as RealmConfig;
  hooks = realmHooks;
  lib = hooks.library();
  ({ library: handed, tracer } = handedLibrary(lib, config.capability, forbidden.error));
  installGlobals();
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
      text = stringify({ ok: false, failure: { kind: "codec", message: { zh: `结果无法发送：${errorText(e)}`, en: `the result could not be sent: ${errorText(e)}` } } });
    }
    reply(String(text));
  };
  let req: RealmRequest;
  try {
    req = parse(requestJson) as RealmRequest;
  } catch {
    return send({ ok: false, failure: { kind: "crashed", message: { zh: "评分器的问题：沙箱读不懂一个请求", en: "grader problem: a request the sandbox could not read" } } });
  }
  answer(req).then(send, (e) => send({ ok: false, failure: { kind: "threw", message: same(errorText(e).split("\n")[0]) } }));
}
