/**
 * The sandbox process: the only place a submission's code runs.
 *
 *   [unshare -n] node --experimental-permission --allow-fs-read=LIB/* --allow-fs-read=RUN/* \
 *        --max-old-space-size=MB --single-threaded --disallow-code-generation-from-strings \
 *        LIB/grader/sandbox/child.js  '<ChildConfig as JSON>'
 *
 * Node's permission model lets it read only the library copy (LIB) and the submission's own compiled
 * files (RUN); it cannot write files, start processes or workers, load addons or open the inspector.
 * Before any submission code loads, this file drops root (when started as root), and takes away the
 * few process-wide powers the permission model leaves: signalling other processes, renicing them,
 * exiting, V8 flags.
 *
 * The submission's code does not run in this process's own realm at all: each exercise with a
 * capability (../manifest.ts `library`) gets a realm of its own, the others share one (./realm.ts),
 * each with its own copy of the library and with Node's modules out of reach. This file only passes
 * strings between the grader and the realms.
 *
 * It speaks newline-delimited JSON on fd 3 (a socket the grader reads with a size cap): a request
 * `{ id, op: "bind" | "load" | "call" | "trace" | "get" | "constants", module, fn?, args?, inputs?, names? }`,
 * a reply `{ id, ok, value | failure }`.
 * Values cross as the codec's wire format (../codec.ts) and nothing else. The submission cannot
 * write to fd 3 itself (it has no `fs`); even if it could, that is no more than returning a value:
 * everything it returns is compared on the grader's side, with expected values it never sees.
 */
import { deny } from "./deny";
import * as net from "node:net";
import * as os from "node:os";
import type { Capability } from "../manifest";
import { createRealm, type Realm } from "./realm";

export interface ChildConfig {
  /** Folder of the compiled exercise modules (<name>.js). */
  runDir: string;
  /** The library copy (index.js), with the grader's sandbox files in grader/. */
  libDir: string;
  /** How files are named in messages: `exercises` gives `exercises/min-pool.ts`. */
  display: string;
  /** Exercise → what it may not use (from the manifest). */
  capabilities: Record<string, Capability>;
  /** Drop to this uid/gid when started as root. */
  uid?: number;
  gid?: number;
}

interface Request {
  id: number;
  op: "bind" | "load" | "call" | "trace" | "get" | "constants";
  display?: string;
  module: string;
  fn?: string;
  args?: unknown;
  names?: unknown;
  inputs?: unknown;
}

// Everything this file needs, taken before anything else runs.
const stringify = JSON.stringify;
const parse = JSON.parse;
const defineProperty = Object.defineProperty;
const promiseResolve = Promise.resolve.bind(Promise);
const exitNow = (process as unknown as { reallyExit(code: number): never }).reallyExit.bind(process);

const config = parse(process.argv[2] ?? "{}") as ChildConfig;

/** Process-wide powers the permission model leaves, taken away (the realms cannot reach them anyway). */
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

const realms = new Map<string, Realm>();

/** The realm of a module: its own when its exercise has a capability, else the shared one. */
function realmOf(module: string): Realm {
  const capability = Object.prototype.hasOwnProperty.call(config.capabilities, module) ? config.capabilities[module] : null;
  const key = capability ? `exercise:${module}` : "shared";
  let realm = realms.get(key);
  if (!realm) {
    realm = createRealm({ libDir: config.libDir, runDir: config.runDir, display: config.display, capability, name: key });
    realms.set(key, realm);
  }
  return realm;
}

let bound = false;

async function handle(req: Request): Promise<string> {
  if (req.op === "bind") {
    // Sent once by the grader before any submission code loads: how files are named in messages.
    if (!bound && typeof req.display === "string") config.display = req.display;
    bound = true;
    return stringify({ ok: true, value: null });
  }
  const module = String(req.module);
  const body =
    req.op === "load"
      ? { op: "load", module }
      : req.op === "call"
        ? { op: "call", module, name: String(req.fn), args: req.args ?? [] }
        : req.op === "trace"
          ? { op: "trace", module, name: String(req.fn), args: req.args ?? [], inputs: Array.isArray(req.inputs) ? req.inputs : [] }
        : req.op === "constants"
          ? { op: "constants", module, names: Array.isArray(req.names) ? req.names.map(String) : [] }
          : { op: "get", module, name: String(req.fn) };
  return realmOf(module).serve(stringify(body));
}

function main(): void {
  try {
    lockDown();
    realmOf("_preload"); // the shared realm, with its library copy, before any submission code
  } catch (e) {
    // The grader's problem (a folder the sandbox cannot read, a broken build): say so and stop.
    process.stderr.write(`sandbox: cannot start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
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
        let reply: string;
        try {
          reply = await handle(req);
        } catch (e) {
          reply = stringify({ ok: false, failure: { kind: "crashed", message: `grader problem: ${e instanceof Error ? e.message : String(e)}` } });
        }
        // The reply is a JSON object from a realm: prefix the request's id.
        channel.write(reply.startsWith("{") && reply.length > 2 ? `{"id":${Number(req.id)},${reply.slice(1)}\n` : `{"id":${Number(req.id)},"ok":false,"failure":{"kind":"crashed","message":"no reply"}}\n`);
      });
    }
  });
  // The grader closing the channel means: stop.
  channel.on("end", () => exitNow(0));
  channel.on("error", () => undefined);
  channel.write(`${stringify({ ready: true })}\n`);
}

main();
