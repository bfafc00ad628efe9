import * as fs from "node:fs";
import * as codec from "./codec";
import { type CodecLibrary, type Wire, decode, encode } from "./codec";
import { errorText, invoke, loadFailure, readConstants, storageReader, type Failure, type Reply, type Side } from "./invoke";
import { displayPath, targetDir, targetFile } from "./paths";

/**
 * The ONE door between a graded spec and the module it grades (a student's exercise, or the reference
 * solution when the project tests itself).
 *
 *   const ex = await loadTarget("avg-pool-as-conv", lib);
 *   const Y = await ex.call("avgPoolAsConv", X, [2, 2]);       // always async
 *   const text = await ex.get("WHY_NOT_CONV");                  // an exported constant
 *
 * Arguments and results go through the codec (./codec.ts) as plain data, so the student's code can
 * neither mutate the spec's inputs nor hand back live objects; and the `Endpoint` behind a Target can
 * be the sandbox process (./sandbox/) or this process (a debugger), speaking the same wire format —
 * specs do not change. Expected values never come through here: specs compute them from the reference solution
 * on the trusted side.
 *
 * `loadTarget` never throws: a missing file, a syntax error or a missing export becomes a
 * `TargetError` from every `call`, so each graded part fails with that message and the rest of the
 * run goes on.
 */

export type { Failure, FailureKind, Reply } from "./invoke";

/** One loaded module, on whichever side of whatever boundary. Speaks wire values only. */
export interface Endpoint {
  call(fn: string, args: Wire): Promise<Reply>;
  get(name: string): Promise<Reply>;
  /** Reads the constants among `names` at once (each getter runs once); functions are left out. */
  constants?(names: readonly string[]): Promise<Record<string, Reply>>;
  close?(): Promise<void>;
}

/** Makes an Endpoint for one module file (the sandbox's, or the in-process one). */
export type Loader = (file: string, lib: CodecLibrary) => Promise<Endpoint>;

export class TargetError extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.message);
    this.name = "TargetError";
    this.failure = failure;
  }
}

export interface Target {
  /** The exercise id, e.g. "avg-pool-as-conv". */
  readonly name: string;
  /** Absolute path of the module file. */
  readonly file: string;
  /** Calls an exported function with codec'd copies of `args`; resolves to a codec'd copy of its result. */
  call(fn: string, ...args: unknown[]): Promise<unknown>;
  /** Reads an exported constant (e.g. a written answer). */
  get(name: string): Promise<unknown>;
  /** The module's source text, read on the trusted side (for source checks), or null if unreadable. */
  source(): Promise<string | null>;
  /**
   * Reads the module's constants among `names` now, once; later `get`s of them answer from this
   * reading (a written answer cannot show what a later call was given).
   */
  readConstants(names: readonly string[]): Promise<void>;
}

export interface LoadOptions {
  /** The folder holding the modules; default `targetDir()` (GRADE_TARGET or exercises/). */
  dir?: string;
  loader?: Loader;
  /** How the folder is named in messages (e.g. "exercises"); default: its path from the project root. */
  display?: string;
}

export async function loadTarget(name: string, lib: CodecLibrary, options: LoadOptions = {}): Promise<Target> {
  const file = targetFile(options.dir ?? targetDir(), name);
  const shown = options.display !== undefined ? `${options.display}/${name}.ts` : displayPath(file);
  let endpoint: Endpoint;
  if (!fs.existsSync(file)) {
    endpoint = failingEndpoint({ kind: "missing-file", message: `${shown} not found: the grader looks for this file (restore it from the course repository if you deleted or renamed it)` });
  } else {
    endpoint = await (options.loader ?? inProcessLoader)(file, lib);
  }
  const unwrap = (reply: Reply): unknown => {
    if (!reply.ok) throw new TargetError(reply.failure);
    return decode(reply.value, lib);
  };
  const constants = new Map<string, Reply>();
  return {
    name,
    file,
    async call(fn, ...args) {
      let wire: Wire;
      try {
        wire = encode(args, lib);
      } catch (e) {
        // The spec's own arguments: a bug in the spec, not the student's fault.
        throw new Error(`grader bug: cannot encode the arguments of ${fn}: ${(e as Error).message}`);
      }
      return unwrap(await endpoint.call(fn, wire));
    },
    async get(exportName) {
      return unwrap(constants.get(exportName) ?? (await endpoint.get(exportName)));
    },
    async readConstants(names) {
      const read = endpoint.constants ? await endpoint.constants(names) : {};
      for (const [name, reply] of Object.entries(read)) constants.set(name, reply);
    },
    async source() {
      try {
        return fs.readFileSync(file, "utf8");
      } catch {
        return null;
      }
    },
  };
}

function failingEndpoint(failure: Failure): Endpoint {
  return {
    call: async () => ({ ok: false, failure }),
    get: async () => ({ ok: false, failure }),
  };
}

/**
 * The in-process loader: `import()` the module (vitest compiles TypeScript on the fly) and call it
 * through the same invocation as the sandbox (./invoke.ts), with the codec on both sides all the same.
 * It serves a debugger (GRADE_IN_PROCESS=1) and the grader's own tests; grading runs in the sandbox.
 */
export const inProcessLoader: Loader = async (file, lib) => {
  const side: Side = { lib, codec, shown: displayPath(file), locate: (e) => locate(e, file), dataOf: storageReader(lib) };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(file)) as Record<string, unknown>;
  } catch (e) {
    return failingEndpoint(loadFailure(side.shown, errorText(e), locate(e, file)));
  }
  return {
    call: (fn, args) => invoke(mod, { op: "call", name: fn, args }, side),
    get: (name) => invoke(mod, { op: "get", name }, side),
    constants: (names) => readConstants(mod, names, side),
  };
};

/** The first stack frame inside `file`, as `exercises/x.ts:LINE:COL`. */
function locate(e: unknown, file: string): string | undefined {
  const stack = e instanceof Error ? e.stack : undefined;
  if (!stack) return undefined;
  for (const line of stack.split("\n")) {
    const i = line.indexOf(file);
    if (i >= 0) {
      const m = /^:(\d+):(\d+)/.exec(line.slice(i + file.length));
      if (m) return `${displayPath(file)}:${m[1]}:${m[2]}`;
    }
  }
  return undefined;
}
