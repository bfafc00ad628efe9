/**
 * Calling into a graded module: the ONE place that turns a request (call a function, read a
 * constant) on a module's exports into a Reply, on whichever side of whatever boundary — in the
 * sandbox process (./sandbox/child.ts) and in the in-process target (./target.ts) alike. So the two
 * say the same things in the same words, and every failure leaves here as a structured `Failure`.
 *
 * It imports nothing at run time: the caller passes its own copies of the library and the codec (a
 * sandbox decodes arguments with the Tensor class the submission sees).
 */
import type { CodecLibrary, Wire } from "./codec";

export type FailureKind =
  | "missing-file"
  | "load"
  | "missing-export"
  | "threw"
  | "codec"
  | "timeout"
  | "memory"
  | "crashed"
  /** A function the exercise may not use (the manifest's `forbid`). */
  | "forbidden"
  /** The function changed a tensor it was given. */
  | "mutated";

/** Why a request did not give a value: data, never prose to be parsed again. */
export interface Failure {
  kind: FailureKind;
  message: string;
  /** `exercises/x.ts:12:9`: where in the student's file the error was thrown, when known. */
  location?: string;
  /** The student's function threw the stub's "not implemented yet" error. */
  notImplemented?: boolean;
  /** Not run, or stopped, because the submission's time for all its code is used up. */
  budgetUsedUp?: boolean;
}

export type Reply = { ok: true; value: Wire } | { ok: false; failure: Failure };

/** What the invocation needs of the codec module (../codec.ts), as loaded on the caller's side. */
export interface CodecApi {
  encode(value: unknown, lib: CodecLibrary, root?: string): Wire;
  decode(wire: unknown, lib: CodecLibrary): unknown;
  CodecError: new (message: string) => Error;
}

export interface Side {
  lib: CodecLibrary;
  codec: CodecApi;
  /** How the module is named in messages: `exercises/min-pool.ts`. */
  shown: string;
  /** Where in the student's file an error was thrown (`exercises/min-pool.ts:12:3`), if known. */
  locate(e: unknown): string | undefined;
}

export type Request = { op: "call"; name: string; args: Wire } | { op: "get"; name: string };

/** Longest error text kept from a thrown value (a message can be megabytes long). */
export const MAX_ERROR_TEXT = 4000;

/** "RangeError: message" for Errors, "thrown value: …" for anything else; never throws. */
export function errorText(e: unknown): string {
  try {
    if (e instanceof Error || (e !== null && typeof e === "object" && "message" in e && "name" in e)) {
      const err = e as { name: unknown; message: unknown };
      return `${String(err.name)}: ${String(err.message)}`.slice(0, MAX_ERROR_TEXT);
    }
    return `thrown value: ${String(e)}`.slice(0, MAX_ERROR_TEXT);
  } catch {
    return "an unprintable thrown value";
  }
}

const firstLine = (s: string) => s.split("\n")[0];

/** The failure of a module that could not be loaded (a syntax error, a throw at its top level). */
export function loadFailure(shown: string, why: string, location?: string): Failure {
  return { kind: "load", message: `${shown} could not be loaded: ${firstLine(why)}`, location };
}

export async function invoke(exports: Record<string, unknown>, request: Request, side: Side): Promise<Reply> {
  const { name } = request;
  const fail = (failure: Failure): Reply => ({ ok: false, failure });
  if (!Object.prototype.hasOwnProperty.call(exports, name)) {
    const how = request.op === "call" ? `export function ${name}(...)` : `export const ${name} = ...`;
    return fail({ kind: "missing-export", message: `${side.shown} does not export '${name}' (keep the names of the stub: ${how})` });
  }
  let value: unknown;
  try {
    value = exports[name]; // may be a getter
  } catch (e) {
    return fail({ kind: "threw", message: firstLine(errorText(e)), location: side.locate(e) });
  }
  if (request.op === "call") {
    if (typeof value !== "function") return fail({ kind: "missing-export", message: `${side.shown}: '${name}' should be a function, but it is ${typeof value}` });
    let args: unknown[];
    try {
      args = side.codec.decode(request.args, side.lib) as unknown[];
    } catch (e) {
      return fail({ kind: "codec", message: `grader bug: the arguments could not be decoded: ${errorText(e)}` });
    }
    try {
      value = await (value as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      const text = errorText(e);
      return fail({ kind: "threw", message: firstLine(text), location: side.locate(e), notImplemented: /not implemented yet/i.test(text) });
    }
  }
  const what = request.op === "call" ? `${name} returned` : name;
  try {
    return { ok: true, value: side.codec.encode(value, side.lib, what) };
  } catch (e) {
    const message = e instanceof side.codec.CodecError ? e.message : errorText(e);
    return fail({ kind: "codec", message: `${what} something the grader cannot read: ${message}` });
  }
}
