/**
 * Starting one sandbox process (./child.ts) under Node's permission model: it may read the library
 * copy and one folder (`dir`) of compiled submission files, nothing else; as root it also gets a
 * network namespace of its own (`unshare -n`) and drops to another uid before any submission code.
 * The process says `{ ready: true }` on its channel once the library is loaded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import * as path from "node:path";
import type { Failure } from "../invoke";
import { same, text } from "../i18n";
import type { ChildConfig } from "./child";
import { readLines } from "./framing";
import { canIsolateNetwork, sandboxUid } from "./probes";
import { MARKER_VAR } from "../lifetime";
import { EXERCISES, type Capability } from "../manifest";

/** Largest reply line the grader reads from a sandbox; a larger one stops the process. */
export const MAX_REPLY_BYTES = 32 * 1024 * 1024;

export interface Proc {
  child: ChildProcess;
  channel: Socket;
  /** The folder this process may read the submission's files from. */
  dir: string;
  /** Resolves when the process said it is ready (null), or failed to start. */
  ready: Promise<Failure | null>;
  /** The last few KB the process wrote to stderr (V8's out-of-memory report lands there). */
  stderrTail(): string;
  /** Where reply lines go after the ready line; `oversize` is called when a line passes the cap. */
  attach(onLine: (line: string) => void, oversize: () => void): void;
}

/** Exercise → what its code may not use (../manifest.ts). */
function capabilities(): Record<string, Capability> {
  const out: Record<string, Capability> = {};
  for (const e of EXERCISES) if (e.library) out[e.id] = e.library;
  return out;
}

/** The grading run's marker, passed on (../lifetime.ts). */
function marker(): Record<string, string> {
  const value = process.env[MARKER_VAR];
  return value ? { [MARKER_VAR]: value } : {};
}

export function launch(libDir: string, dir: string, memoryMb: number): Proc {
  const config: ChildConfig = {
    runDir: dir,
    libDir,
    display: "exercises",
    capabilities: capabilities(),
    uid: sandboxUid(path.dirname(libDir)),
  };
  const nodeArgs = [
    "--experimental-permission",
    `--allow-fs-read=${path.join(libDir, "*")}`,
    `--allow-fs-read=${path.join(dir, "*")}`,
    `--max-old-space-size=${memoryMb}`,
    // One core: no V8 background threads (concurrent GC, background compilation).
    "--single-threaded",
    // No eval or new Function, in the process or any realm.
    "--disallow-code-generation-from-strings",
    "--no-warnings",
    path.join(libDir, "grader", "sandbox", "child.js"),
    JSON.stringify(config),
  ];
  const isolate = canIsolateNetwork();
  const child = spawn(isolate ? "unshare" : process.execPath, isolate ? ["-n", process.execPath, ...nodeArgs] : nodeArgs, {
    cwd: dir,
    // Nothing of the grader's environment but the run's marker (../lifetime.ts). One core: the
    // library's kernels on one thread (workers are denied anyway) and one libuv thread (crypto,
    // zlib and fs calls would otherwise run four at a time).
    env: { D2L_POOL_THREADS: "1", D2L_HEAP_LIMIT_MB: String(memoryMb), UV_THREADPOOL_SIZE: "1", ...marker() },
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  const channel = child.stdio[3] as Socket;
  let tail = "";
  child.stderr!.on("data", (c: Buffer) => {
    tail = (tail + c.toString()).slice(-8000);
  });
  channel.on("error", () => undefined);
  let handler: ((line: string) => void) | null = null;
  let tooBig: (() => void) | null = null;
  let ready = false;
  let resolveReady!: (f: Failure | null) => void;
  const readyPromise = new Promise<Failure | null>((r) => (resolveReady = r));
  readLines(
    channel,
    MAX_REPLY_BYTES,
    (line) => {
      if (ready) return handler?.(line);
      ready = true;
      resolveReady(null);
    },
    () => tooBig?.(),
  );
  child.on("error", (e) => resolveReady({ kind: "crashed", message: text(`评分器的问题：沙箱无法启动：${e.message}`, `grader problem: the sandbox could not start: ${e.message}`) }));
  child.on("exit", (code, signal) =>
    resolveReady({ kind: "crashed", message: same(`grader problem / 评分器的问题: the sandbox stopped while starting (${signal ?? `exit ${code}`})${tail.trim() ? `: ${tail.trim().split("\n").slice(-3).join(" ")}` : ""}`) }),
  );
  return {
    child,
    channel,
    dir,
    ready: readyPromise,
    stderrTail: () => tail,
    attach(onLine, oversize) {
      handler = onLine;
      tooBig = oversize;
    },
  };
}
