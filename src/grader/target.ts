import * as fs from "node:fs";
import * as codec from "./codec";
import { type CodecLibrary, type Wire, decode, encode } from "./codec";
import { errorText, invoke, loadFailure, readConstants, type Failure, type Reply, type Side } from "./invoke";
import { exerciseById, type ExerciseId } from "./manifest";
import { displayPath, targetDir, targetFile } from "./paths";
import { text } from "./i18n";
import { EvaluationError, evaluate } from "./trace/evaluate";
import { GraphError, readGraph, type Graph, type TensorMeta } from "./trace/graph";
import { CALL_RULES, matcher } from "./trace/rules";

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
 *
 * A traced exercise (../manifest.ts `library.trace`) is called differently, behind the same `call`:
 * its tensors do not cross at all — only their shapes and dtypes — and what comes back is the graph
 * the function recorded (./trace/). It is checked and evaluated here, on the real arguments, and
 * kept: a later call of the same kind (same function, shapes, dtypes and other arguments — a fresh
 * case) is evaluated on the same graph without calling the submission again.
 */

export type { Failure, FailureKind, Reply } from "./invoke";

/** One loaded module, on whichever side of whatever boundary. Speaks wire values only. */
export interface Endpoint {
  call(fn: string, args: Wire): Promise<Reply>;
  /** A traced call: `args` refer to `inputs` (shapes and dtypes); the reply is the recorded graph. */
  trace?(fn: string, args: Wire, inputs: TensorMeta[]): Promise<Reply>;
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
    super(failure.message.en);
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
  /**
   * Reads the module's constants among `names` now, once; later `get`s of them answer from this
   * reading (a written answer cannot show what a later call was given).
   */
  readConstants(names: readonly string[]): Promise<void>;
  /** A traced exercise: the graph `fn` recorded for arguments like `args` (TargetError if it failed). */
  graph(fn: string, ...args: unknown[]): Promise<Graph>;
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
    endpoint = failingEndpoint({
      kind: "missing-file",
      message: text(`找不到 ${shown}：评分器要用这个文件（如果你删除或改名了它，请从课程仓库恢复）`, `${shown} not found: the grader looks for this file (restore it from the course repository if you deleted or renamed it)`),
    });
  } else {
    endpoint = await (options.loader ?? inProcessLoader)(file, lib);
  }
  const unwrap = (reply: Reply): unknown => {
    if (!reply.ok) throw new TargetError(reply.failure);
    return decode(reply.value, lib);
  };
  const constants = new Map<string, Reply>();
  const traced = tracedCalls(name, lib, endpoint);
  return {
    name,
    file,
    async call(fn, ...args) {
      if (traced) return traced.call(fn, args);
      let wire: Wire;
      try {
        wire = encode(args, lib);
      } catch (e) {
        // The spec's own arguments: a bug in the spec, not the student's fault.
        throw new Error(`grader bug: cannot encode the arguments of ${fn}: ${(e as Error).message}`);
      }
      return unwrap(await endpoint.call(fn, wire));
    },
    async graph(fn, ...args) {
      if (!traced) throw new Error(`grader bug: ${name} is not a traced exercise`);
      return (await traced.graphOf(fn, args)).graph;
    },
    async get(exportName) {
      return unwrap(constants.get(exportName) ?? (await endpoint.get(exportName)));
    },
    async readConstants(names) {
      const read = endpoint.constants ? await endpoint.constants(names) : {};
      for (const [name, reply] of Object.entries(read)) constants.set(name, reply);
    },
  };
}

/**
 * The calls of a traced exercise (see above), or null when the exercise is not traced or the
 * endpoint cannot trace (the in-process loader, a debugging aid: it calls the function with values).
 */
function tracedCalls(name: string, lib: CodecLibrary, endpoint: Endpoint) {
  let spec;
  try {
    spec = exerciseById(name as ExerciseId).library?.trace;
  } catch {
    return null; // not an exercise of the manifest (the grader's own tests)
  }
  const trace = endpoint.trace?.bind(endpoint);
  if (!spec || !trace) return null;
  const allows = matcher(spec.allow);
  const rules = CALL_RULES[name] ?? {};
  const graphs = new Map<string, Promise<{ graph: Graph } | { failure: Failure }>>();
  const fail = (failure: Failure): never => {
    throw new TargetError(failure);
  };

  /** The arguments with every tensor replaced by a reference to an input; the tensors in that order. */
  const abstract = (args: unknown[]) => {
    const inputs: object[] = [];
    const metas: TensorMeta[] = [];
    let wire: Wire;
    try {
      wire = encode(args, lib, "value", {
        refOf: (o) => {
          if (!(o instanceof lib.Tensor)) return undefined;
          const t = o as unknown as TensorMeta;
          inputs.push(o);
          metas.push({ shape: [...t.shape], dtype: t.dtype });
          return { node: inputs.length - 1 };
        },
      });
    } catch (e) {
      throw new Error(`grader bug: cannot encode the arguments: ${(e as Error).message}`);
    }
    return { wire, inputs, metas };
  };

  const graphOf = async (fn: string, args: unknown[]) => {
    const a = abstract(args);
    const key = JSON.stringify([fn, a.wire, a.metas]);
    let known = graphs.get(key);
    if (!known) {
      known = trace(fn, a.wire, a.metas).then((reply) => {
        if (!reply.ok) return { failure: reply.failure };
        try {
          return { graph: readGraph(reply.value) };
        } catch (e) {
          const why = (e as Error).message;
          return { failure: { kind: "codec", message: text(`${fn} 记录下的运算评分器读不了：${why}`, `${fn} recorded something the grader cannot read: ${why}`) } as Failure };
        }
      });
      graphs.set(key, known);
    }
    const got = await known;
    if ("failure" in got) fail(got.failure);
    return { graph: (got as { graph: Graph }).graph, inputs: a.inputs };
  };

  return {
    graphOf,
    async call(fn: string, args: unknown[]): Promise<unknown> {
      const { graph, inputs } = await graphOf(fn, args);
      const broken = rules[fn]?.(graph);
      if (broken) fail({ kind: "forbidden", message: broken });
      try {
        // On copies: the library's operations do not change their inputs, and the spec's stay as they were.
        return evaluate(graph, inputs.map((t) => decode(encode(t, lib), lib)), lib as never, { allows });
      } catch (e) {
        if (e instanceof EvaluationError) {
          const why = `${e.op.replace("#", ".")}: ${e.message.split("\n")[0]}`;
          fail({ kind: "threw", message: text(`${fn} 记录下的运算在评分输入上失败了：${why}`, `the operations ${fn} recorded failed on the grader's input: ${why}`) });
        }
        if (e instanceof GraphError) fail({ kind: "forbidden", message: text(`${fn}：${e.message}`, `${fn}: ${e.message}`) });
        throw e;
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
  const side: Side = { lib, codec, shown: displayPath(file), locate: (e) => locate(e, file) };
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
