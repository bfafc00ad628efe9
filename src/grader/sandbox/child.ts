/**
 * The sandbox process: the only place a submission's code runs.
 *
 *   [unshare -n] node --experimental-permission --allow-fs-read=LIB/* --allow-fs-read=RUN/* \
 *        --max-old-space-size=MB  LIB/grader/sandbox/child.js  '<ChildConfig as JSON>'
 *
 * Node's permission model lets it read only the library copy (LIB) and the submission's own compiled
 * files (RUN); it cannot write files, start processes or workers, load addons or open the inspector.
 * Before any submission code loads, this file drops root (when started as root), and takes away the
 * few process-wide powers the permission model leaves: signalling other processes, renicing them,
 * and exiting (a call that exits is reported as a call that threw).
 *
 * It speaks newline-delimited JSON on fd 3 (a socket the grader reads with a size cap): a request
 * `{ id, op: "load" | "call" | "get", module, fn?, args? }`, a reply `{ id, ok, value | failure }`.
 * Values cross as the codec's wire format (../codec.ts) and nothing else. The submission can of
 * course write to fd 3 itself: that is no more than returning a value, since everything it returns
 * is compared on the grader's side, with expected values it never sees.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import Module from "node:module";
import type { CodecLibrary, Wire } from "../codec";
import * as codec from "../codec";
import { errorText, invoke, loadFailure, type Failure, type Side } from "../invoke";

export interface ChildConfig {
  /** Folder of the compiled exercise modules (<name>.js). */
  runDir: string;
  /** The library's entry (index.js) in the library copy. */
  libIndex: string;
  /** How files are named in messages: `exercises` gives `exercises/min-pool.ts`. */
  display: string;
  /** Drop to this uid/gid when started as root. */
  uid?: number;
  gid?: number;
}

interface Request {
  id: number;
  op: "bind" | "load" | "call" | "get";
  display?: string;
  module: string;
  fn?: string;
  args?: Wire;
}

// Everything this file needs, taken before submission code can replace it.
const stringify = JSON.stringify;
const parse = JSON.parse;
const hasOwn = Object.prototype.hasOwnProperty;
const defineProperty = Object.defineProperty;
const promiseResolve = Promise.resolve.bind(Promise);
const exitNow = (process as unknown as { reallyExit(code: number): never }).reallyExit.bind(process);

const config = parse(process.argv[2] ?? "{}") as ChildConfig;

// ---------------------------------------------------------------------------------------------
// Lock-down

function deny(what: string, hint: string): () => never {
  return () => {
    throw new Error(`${what} is not available while grading: ${hint}`);
  };
}

function lockDown(): void {
  if (typeof process.getuid === "function" && process.getuid() === 0 && config.uid !== undefined) {
    process.setgroups?.([]);
    process.setgid!(config.gid ?? config.uid);
    process.setuid!(config.uid);
  }
  const frozen = (target: object, name: string, value: unknown) => {
    try {
      defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
    } catch {
      // already locked
    }
  };
  const noExit = deny("process.exit()", "return a value from your function instead");
  frozen(process, "exit", noExit);
  frozen(process, "reallyExit", noExit);
  frozen(process, "abort", deny("process.abort()", "return a value from your function instead"));
  const noKill = deny("process.kill()", "exercises do not signal processes");
  frozen(process, "kill", noKill);
  frozen(process, "_kill", noKill);
  for (const name of ["setuid", "setgid", "seteuid", "setegid", "setgroups", "initgroups", "chdir", "dlopen", "_debugProcess", "_startProfilerIdleNotifier"]) {
    if (name in process) frozen(process, name, deny(`process.${name}()`, "exercises do not need it"));
  }
  frozen(os, "setPriority", deny("os.setPriority()", "exercises do not need it"));
  // V8 flags at run time (e.g. --allow-natives-syntax) would reach below the permission model.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  frozen(require("node:v8"), "setFlagsFromString", deny("v8.setFlagsFromString()", "exercises do not need it"));
  // A rejected promise or an error thrown later must not end the process between calls.
  process.on("unhandledRejection", () => undefined);
  process.on("uncaughtException", () => undefined);
}

// ---------------------------------------------------------------------------------------------
// Loading the submission's modules

type Exports = Record<string, unknown>;
const loaded = new Map<string, { exports: Exports } | { error: string; location?: string }>();
let lib: CodecLibrary & Exports;

const BUILTIN = (Module as unknown as { isBuiltin(id: string): boolean }).isBuiltin;
const nativeRequire = require;

function cannotImport(id: string): Error {
  return new Error(
    `cannot import '${id}' while grading: an exercise may import only "d2l-pooling", Node's built-in modules and the other exercise files (./name)`,
  );
}

function requireFor(id: string): unknown {
  if (id === "d2l-pooling") return lib;
  if (BUILTIN(id)) return nativeRequire(id);
  const m = /^\.\/([\w.-]+?)(\.ts|\.js)?$/.exec(id);
  if (m && !m[1].includes("..")) {
    const r = loadModule(m[1]);
    if ("exports" in r) return r.exports;
    throw new Error(`./${m[1]} could not be loaded: ${r.error}`);
  }
  throw cannotImport(id);
}

function loadModule(name: string): { exports: Exports } | { error: string; location?: string } {
  const cached = loaded.get(name);
  if (cached) return cached;
  const file = path.join(config.runDir, `${name}.js`);
  let code: string;
  try {
    code = fs.readFileSync(file, "utf8");
  } catch {
    const r = { error: `${config.display}/${name}.ts is not in the submission` };
    loaded.set(name, r);
    return r;
  }
  const mod = new Module(file) as Module & { _compile(code: string, file: string): void };
  mod.filename = file;
  mod.paths = [];
  (mod as unknown as { require: (id: string) => unknown }).require = requireFor;
  // Registered before it runs, so two exercise files may import each other.
  loaded.set(name, { exports: mod.exports as Exports });
  try {
    mod._compile(code, file);
  } catch (e) {
    const r = { error: errorText(e), location: locate(e) };
    loaded.set(name, r);
    return r;
  }
  const r = { exports: mod.exports as Exports };
  loaded.set(name, r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Where an error was thrown

/**
 * The first stack frame in a submission file, as `min-pool:12:3` (a position in the compiled file:
 * the grader maps it back to the .ts source with the source map it kept).
 */
function locate(e: unknown): string | undefined {
  try {
    const stack = e instanceof Error ? String(e.stack) : "";
    const dir = config.runDir.endsWith(path.sep) ? config.runDir : config.runDir + path.sep;
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

// ---------------------------------------------------------------------------------------------
// Serving requests

type Reply = { id: number; ok: true; value: Wire } | { id: number; ok: false; failure: Failure };

let bound = false;

async function handle(req: Request): Promise<Reply> {
  const { id } = req;
  if (req.op === "bind") {
    // Sent once by the grader before any submission code loads: how files are named in messages.
    if (!bound && typeof req.display === "string") config.display = req.display;
    bound = true;
    return { id, ok: true, value: null };
  }
  const shown = `${config.display}/${req.module}.ts`;
  const r = loadModule(req.module);
  if ("error" in r) return { id, ok: false, failure: loadFailure(shown, r.error, r.location) };
  if (req.op === "load") return { id, ok: true, value: null };
  const side: Side = { lib, codec, shown, locate };
  const reply = await invoke(r.exports, req.op === "call" ? { op: "call", name: String(req.fn), args: req.args ?? [] } : { op: "get", name: String(req.fn) }, side);
  return { id, ...reply };
}

function main(): void {
  try {
    lockDown();
    lib = nativeRequire(config.libIndex) as CodecLibrary & Exports;
  } catch (e) {
    // The grader's problem (a folder the sandbox cannot read, a broken build): say so and stop.
    process.stderr.write(`sandbox: cannot start: ${errorText(e)}\n`);
    exitNow(1);
  }
  const channel = new net.Socket({ fd: 3, readable: true, writable: true });
  let buffer = "";
  let queue: Promise<void> = promiseResolve();
  channel.setEncoding("utf8");
  channel.on("data", (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let req: Request;
      try {
        req = parse(line) as Request;
      } catch {
        continue;
      }
      queue = queue.then(async () => {
        let reply: Reply;
        try {
          reply = await handle(req);
        } catch (e) {
          reply = { id: req.id, ok: false, failure: { kind: "threw", message: errorText(e).split("\n")[0] } };
        }
        let text: string;
        try {
          text = stringify(reply);
        } catch (e) {
          text = stringify({ id: req.id, ok: false, failure: { kind: "codec", message: `the result could not be sent: ${errorText(e)}` } });
        }
        channel.write(`${text}\n`);
      });
    }
  });
  // The grader closing the channel means: stop.
  channel.on("end", () => exitNow(0));
  channel.on("error", () => undefined);
  channel.write(`${stringify({ ready: true })}\n`);
}

main();
