/**
 * A realm (a `vm` context: its own globals, its own `Object`, `Function`, `Array`…) with its own copy
 * of the d2l-pooling library, for one exercise with a capability (./manifest.ts `library`), or one
 * shared by the exercises without. Inside it runs ./in-realm.ts, which loads the submission's modules
 * and answers requests; this side only passes it strings. Code generation from strings (`eval`,
 * `Function`) is off in the realm.
 *
 * Why realms: an exercise must not reach a function the manifest takes from it — not through an
 * alias, a computed name or a global set by another of the student's files. Each restricted exercise
 * has its own realm, its own library (whose Tensor.prototype lacks what it may not use) and its own
 * copies of the files it imports; nothing of the process, and so nothing of another realm, is
 * reachable from it.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import type { Capability } from "../manifest";
import type { RealmConfig, RealmHooks } from "./in-realm";

const BUILTIN = (Module as unknown as { isBuiltin(id: string): boolean }).isBuiltin;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hostRequire = require;

/** The library's environment inside a realm (its modules read process.env). */
const LIBRARY_ENV = ["D2L_POOL_THREADS", "D2L_HEAP_LIMIT_MB", "D2L_POOL_FAST"];

export interface RealmOptions {
  /** The library copy (index.js) and the grader's sandbox files (grader/…) below it. */
  libDir: string;
  /** The compiled submission files. */
  runDir: string;
  display: string;
  /** What the exercise may not use; null for the shared realm of the exercises without limits. */
  capability: Capability | null;
  name: string;
}

export interface Realm {
  /** One request as JSON; resolves with the reply as JSON. */
  serve(request: string): Promise<string>;
}

const timers = new Map<number, NodeJS.Timeout>();
let nextTimer = 1;

/** V8's compiled code of each trusted file, made by the first realm that loads it, reused by the next. */
const codeCache = new Map<string, Buffer>();

/** Loads trusted CommonJS files (the library, the grader's in-realm modules) into the realm. */
function moduleLoader(context: vm.Context, libDir: string) {
  const cache = new Map<string, { exports: unknown }>();
  const env: Record<string, string> = {};
  for (const k of LIBRARY_ENV) if (process.env[k] !== undefined) env[k] = String(process.env[k]);
  const makeProcess = vm.runInContext(`(env) => Object.freeze({ env: Object.freeze(JSON.parse(env)), platform: "linux" })`, context) as (env: string) => object;
  const libraryProcess = makeProcess(JSON.stringify(env));
  // Node's Buffer would hand the realm this process's ArrayBuffers: the library gets the realm's own
  // bytes instead (it uses Buffer only for uninitialised storage).
  const libraryBuffer = vm.runInContext(
    `Object.freeze({ alloc: (n) => new Uint8Array(n), allocUnsafe: (n) => new Uint8Array(n), allocUnsafeSlow: (n) => new Uint8Array(n) })`,
    context,
  ) as object;
  const makeModule = vm.runInContext("() => ({ exports: {} })", context) as () => { exports: unknown };
  const load = (file: string): unknown => {
    const known = cache.get(file);
    if (known) return known.exports;
    const module = makeModule();
    cache.set(file, module);
    const cachedData = codeCache.get(file);
    const fn = vm.compileFunction(fs.readFileSync(file, "utf8"), ["exports", "require", "module", "__filename", "__dirname", "process", "Buffer"], {
      parsingContext: context,
      filename: file,
      cachedData,
      produceCachedData: cachedData === undefined,
    }) as ReturnType<typeof vm.compileFunction> & { cachedData?: Buffer };
    if (cachedData === undefined && fn.cachedData) codeCache.set(file, fn.cachedData);
    // Node hangs its bookkeeping (Buffers of this process) on the function: take it off.
    for (const key of ["cachedData", "cachedDataProduced", "cachedDataRejected"]) delete (fn as unknown as Record<string, unknown>)[key];
    const dir = path.dirname(file);
    const requireHere = (id: string): unknown => {
      if (BUILTIN(id)) return hostRequire(id);
      let target = path.resolve(dir, id);
      if (!target.startsWith(libDir + path.sep)) throw new Error(`the library may not load ${id}`);
      if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, "index.js");
      else if (!target.endsWith(".js")) target += ".js";
      return load(target);
    };
    fn(module.exports, requireHere, module, file, dir, libraryProcess, libraryBuffer);
    return module.exports;
  };
  return load;
}

export function createRealm(o: RealmOptions): Realm {
  const context = vm.createContext(Object.create(null), { name: `sandbox realm: ${o.name}`, codeGeneration: { strings: false, wasm: true } });
  const load = moduleLoader(context, path.resolve(o.libDir));
  const library = load(path.join(o.libDir, "index.js")) as Record<string, unknown>;
  const entry = load(path.join(o.libDir, "grader", "sandbox", "in-realm.js")) as typeof import("./in-realm");
  const config: RealmConfig = { runDir: o.runDir, display: o.display, capability: o.capability };
  const hooks: RealmHooks = {
    library: () => library,
    readModule: (name) => {
      if (!/^[\w.-]+$/.test(name) || name.includes("..")) return null;
      try {
        return fs.readFileSync(path.join(o.runDir, `${name}.js`), "utf8");
      } catch {
        return null;
      }
    },
    compile: (code, filename) =>
      vm.compileFunction(String(code), ["exports", "require", "module", "__filename", "__dirname"], { parsingContext: context, filename: String(filename) }) as (...a: unknown[]) => unknown,
    now: () => performance.now(),
    setTimer: (callback, ms, repeat) => {
      const id = nextTimer++;
      const run = () => {
        if (!repeat) timers.delete(id);
        try {
          callback();
        } catch {
          // a throwing timer is the submission's own business
        }
      };
      timers.set(id, repeat ? setInterval(run, Math.max(1, ms)) : setTimeout(run, ms));
      return id;
    },
    clearTimer: (id) => {
      const t = timers.get(id);
      if (t) clearTimeout(t);
      timers.delete(id);
    },
  };
  entry.init(JSON.stringify(config), hooks);
  return {
    serve: (request) =>
      new Promise<string>((resolve) => {
        entry.serve(request, (reply) => resolve(typeof reply === "string" ? reply : '{"ok":false,"failure":{"kind":"codec","message":"the reply could not be read"}}'));
      }),
  };
}
