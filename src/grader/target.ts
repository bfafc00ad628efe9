import * as fs from "node:fs";
import { CodecLibrary, CodecError, Wire, decode, encode } from "./codec";
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
 * be this in-process one or, later, a sandboxed child process speaking the same wire format — specs do
 * not change. Expected values never come through here: specs compute them from the reference solution
 * on the trusted side.
 *
 * `loadTarget` never throws: a missing file, a syntax error or a missing export becomes a
 * `TargetError` from every `call`, so each graded part fails with that message and the rest of the
 * run goes on.
 */

export type FailureKind = "missing-file" | "load" | "missing-export" | "threw" | "codec" | "timeout" | "memory" | "crashed";

export interface Failure {
  kind: FailureKind;
  message: string;
  /** `exercises/x.ts:12:9`: where in the student's file the error was thrown, when known. */
  location?: string;
  /** The student's function threw the stub's "not implemented yet" error. */
  notImplemented?: boolean;
}

export type Reply = { ok: true; value: Wire } | { ok: false; failure: Failure };

/** One loaded module, on whichever side of whatever boundary. Speaks wire values only. */
export interface Endpoint {
  call(fn: string, args: Wire): Promise<Reply>;
  get(name: string): Promise<Reply>;
  close?(): Promise<void>;
}

/** Makes an Endpoint for one module file (in-process here; a child-process loader later). */
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
      return unwrap(await endpoint.get(exportName));
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
 * directly, with the codec on both sides all the same.
 */
export const inProcessLoader: Loader = async (file, lib) => {
  const shown = displayPath(file);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(file)) as Record<string, unknown>;
  } catch (e) {
    return failingEndpoint({
      kind: "load",
      message: `${shown} could not be loaded: ${firstLine(errorText(e))}`,
      location: locate(e, file),
    });
  }
  const lookup = (name: string): Failure | null => {
    if (!Object.prototype.hasOwnProperty.call(mod, name)) {
      return { kind: "missing-export", message: `${shown} does not export '${name}' (keep the names of the stub: export function ${name}(...))` };
    }
    return null;
  };
  return {
    async call(fn, wireArgs) {
      const missing = lookup(fn);
      if (missing) return { ok: false, failure: missing };
      const f = mod[fn];
      if (typeof f !== "function") return { ok: false, failure: { kind: "missing-export", message: `${shown}: '${fn}' should be a function, but it is ${typeof f}` } };
      const args = decode(wireArgs, lib) as unknown[];
      let result: unknown;
      try {
        result = await (f as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        const text = errorText(e);
        return {
          ok: false,
          failure: { kind: "threw", message: firstLine(text), location: locate(e, file), notImplemented: /not implemented yet/i.test(text) },
        };
      }
      return encodeResult(result, lib, `${fn} returned`);
    },
    async get(name) {
      const missing = lookup(name);
      if (missing) return { ok: false, failure: missing };
      return encodeResult(mod[name], lib, name);
    },
  };
};

function encodeResult(value: unknown, lib: CodecLibrary, what: string): Reply {
  try {
    return { ok: true, value: encode(value, lib) };
  } catch (e) {
    const message = e instanceof CodecError ? e.message.replace(/^value/, what) : String(e);
    return { ok: false, failure: { kind: "codec", message: `${what} something the grader cannot read: ${message}` } };
  }
}

/** "Error: message" for Errors, String(x) for anything else that was thrown. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return `thrown value: ${String(e)}`;
  } catch {
    return "an unprintable thrown value";
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0];
}

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
