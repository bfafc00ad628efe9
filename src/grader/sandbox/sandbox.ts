/**
 * The grader's side of a sandbox process (./child.ts): starts it under Node's permission model,
 * sends it one request at a time, and enforces the limits a submission cannot change from inside:
 *
 * - time: every call has a limit (`callTimeoutMs`; after a function has timed out once, its later
 *   calls get `retryTimeoutMs`), and all calls of one submission share its wall-clock deadline;
 *   a call over its limit is stopped by killing the process (a busy loop ignores everything else);
 * - memory: the V8 heap is capped with --max-old-space-size, and the whole process (typed arrays
 *   live outside the heap) is stopped when its resident size passes twice that;
 * - size: a reply larger than `MAX_REPLY_BYTES` stops the process before it fills our memory;
 * - isolation: reads only of the library copy and the submission's own compiled files; no writes,
 *   no processes, no workers; as root, no network (a fresh network namespace) and another uid.
 *
 * A stopped or crashed process is started again for the next call, and a module whose loading
 * failed (syntax error, a throw or an endless loop at the top level) is not loaded again: its
 * failure is the answer to every later call.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SourceMap } from "node:module";
import type { Wire } from "../codec";
import type { Failure, FailureKind, Reply } from "../invoke";
import { join, text, type Text } from "../i18n";
import type { TensorMeta } from "../trace/graph";
import type { Endpoint, Loader } from "../target";
import { launch, MAX_REPLY_BYTES, type Proc } from "./launch";
import { residentMb } from "./probes";
import { takeSpare, warmSpare } from "./spares";

export { MAX_REPLY_BYTES } from "./launch";
export { stopSpares } from "./spares";

export interface SandboxOptions {
  /** Folder of the submission's compiled modules (<name>.js). */
  runDir: string;
  /** The library copy, with the sandbox's script in grader/ (see ./prepare.ts). */
  libDir: string;
  /** How the submission's files are named in messages ("exercises"). */
  display: string;
  /** Limit of one call (and of loading one module), ms. */
  callTimeoutMs?: number;
  /** Limit of a call to a function that already timed out once, ms. */
  retryTimeoutMs?: number;
  /** The submission's wall-clock deadline (Date.now() value), shared by all calls; null: none. */
  deadline?: number | null;
  /** What the deadline was, in seconds (for messages). */
  budgetSeconds?: number;
  /** V8 heap limit, MB; the process is stopped above twice this resident size. */
  memoryMb?: number;
  /** Take a warm process if this worker has one, and warm the next (batch grading). */
  warmSpare?: boolean;
}

interface Pending {
  id: number;
  resolve: (reply: Reply) => void;
  timer: NodeJS.Timeout | null;
  /** What to say if the process is stopped for taking too long. */
  onTimeout: Failure;
}

/** Why the grader stopped the process: the failure every waiting call gets. */
type StopReason = Failure;

const CHILD_KINDS: ReadonlySet<string> = new Set(["load", "missing-export", "threw", "codec", "forbidden", "mutated"]);

/** A reply from the process is untrusted data: keep only well-formed fields, shortened. */
function sanitize(raw: unknown, id: number, locate: (raw: string) => string | undefined): Reply | null {
  if (!raw || typeof raw !== "object" || (raw as { id?: unknown }).id !== id) return null;
  return sanitizeReply(raw, locate);
}

function sanitizeReply(raw: unknown, locate: (raw: string) => string | undefined): Reply | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.ok !== "boolean") return null;
  if (r.ok) return { ok: true, value: (r.value ?? null) as Wire };
  const f = r.failure as Record<string, unknown> | undefined;
  if (!f || typeof f !== "object") return null;
  const kind = typeof f.kind === "string" && CHILD_KINDS.has(f.kind) ? (f.kind as FailureKind) : "threw";
  const cut = (v: unknown) => (typeof v === "string" ? v.slice(0, 4000) : "?");
  const m = f.message as Record<string, unknown> | null | undefined;
  return {
    ok: false,
    failure: {
      kind,
      message: m && typeof m === "object" ? { zh: cut(m.zh), en: cut(m.en) } : text("失败", "failed"),
      location: typeof f.location === "string" ? locate(f.location.slice(0, 300)) : undefined,
      notImplemented: f.notImplemented === true,
      argument: typeof f.argument === "number" && Number.isInteger(f.argument) && f.argument >= 0 ? f.argument : undefined,
    },
  };
}

export class Sandbox {
  readonly options: Required<Omit<SandboxOptions, "deadline">> & { deadline: number | null };
  private proc: Proc | null = null;
  private starting: Promise<Failure | null> | null = null;
  /** The folder the process reads the submission from: runDir, or the folder of the spare it took. */
  private childDir: string;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private stopReason: StopReason | null = null;
  private memoryTimer: NodeJS.Timeout | null = null;
  private loadedHere = new Set<string>();
  private moduleFailures = new Map<string, Failure>();
  private timedOut = new Set<string>();
  private closed = false;
  /** Processes started so far (for tests and the report). */
  starts = 0;

  constructor(options: SandboxOptions) {
    this.options = {
      callTimeoutMs: 10_000,
      retryTimeoutMs: 2_000,
      budgetSeconds: 0,
      memoryMb: 512,
      warmSpare: false,
      ...options,
      deadline: options.deadline ?? null,
    };
    this.childDir = this.options.runDir;
  }

  /** An Endpoint per module, for loadTarget (../target.ts). */
  loader(): Loader {
    return async (file) => {
      const module = path.basename(file).replace(/\.ts$/, "");
      return this.endpoint(module);
    };
  }

  endpoint(module: string): Endpoint {
    return {
      call: (fn, args) => this.serial(() => this.request(module, "call", fn, args)),
      trace: (fn, args, inputs) => this.serial(() => this.request(module, "trace", fn, args, undefined, inputs)),
      get: (name) => this.serial(() => this.request(module, "get", name)),
      constants: async (names) => {
        const reply = await this.serial(() => this.request(module, "constants", "constants", undefined, names));
        if (!reply.ok) return Object.fromEntries(names.map((n) => [n, reply]));
        const out: Record<string, Reply> = {};
        const value = reply.value as Record<string, unknown> | null;
        for (const n of names) {
          if (!value || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, n)) continue;
          const r = sanitizeReply(value[n], (loc) => this.mapLocation(loc));
          if (r) out[n] = r;
        }
        return out;
      },
    };
  }

  /** Stops the process (if any); later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.kill(null);
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  // -------------------------------------------------------------------------------------------

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private remainingMs(): number {
    return this.options.deadline === null ? Infinity : this.options.deadline - Date.now();
  }

  /** "the submission's time limit (300 s for all its code) is used up" */
  private budgetText(): Text {
    const s = this.options.budgetSeconds;
    return text(`这份提交的时间限额（所有代码共 ${s} 秒）已用完`, `the submission's time limit (${s} s for all its code) is used up`);
  }

  private budgetFailure(): Failure {
    return { kind: "timeout", message: join([text("没有运行：", "not run: "), this.budgetText()]), budgetUsedUp: true };
  }

  private async request(module: string, op: "call" | "trace" | "get" | "constants", fn: string, args?: Wire, names?: readonly string[], inputs?: readonly TensorMeta[]): Promise<Reply> {
    if (this.closed) return { ok: false, failure: { kind: "timeout", message: text("没有运行：这份提交的评分已经结束", "not run: grading of this submission has ended") } };
    const known = this.moduleFailures.get(module);
    if (known) return { ok: false, failure: known };
    if (this.remainingMs() <= 0) return { ok: false, failure: this.budgetFailure() };
    const shown = `${this.options.display}/${module}.ts`;
    const key = `${module}.${fn}`;
    const limitFor = (base: number) => Math.max(1, Math.min(base, this.remainingMs()));
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

    if (!this.loadedHere.has(module)) {
      const limit = limitFor(this.options.callTimeoutMs);
      const cutByBudget = limit < this.options.callTimeoutMs;
      const reply = await this.send({ op: "load", module }, limit, {
        kind: "timeout",
        message: cutByBudget
          ? join([text(`加载 ${shown} 被中止：`, `loading ${shown} was stopped: `), this.budgetText()])
          : text(`加载 ${shown} 在 ${seconds(limit)} 内没有完成——文件顶层有死循环？`, `loading ${shown} did not finish within ${seconds(limit)} — an endless loop at the top level of the file?`),
        budgetUsedUp: cutByBudget,
      });
      if (!reply.ok) {
        // Loading is the same every time: do not pay for it again.
        if (reply.failure.kind !== "timeout" || limit >= this.options.callTimeoutMs) this.moduleFailures.set(module, reply.failure);
        return reply;
      }
      this.loadedHere.add(module);
    }

    const base = this.timedOut.has(key) ? this.options.retryTimeoutMs : this.options.callTimeoutMs;
    const limit = limitFor(base);
    // Calls are named by the spec (it knows the arguments); reading a constant is named here.
    const what = op === "call" || op === "trace" ? text("", "") : op === "constants" ? text(`读取 ${shown} 的常量：`, `reading the constants of ${shown}: `) : text(`读取 ${fn}：`, `reading ${fn}: `);
    const again = base === this.options.retryTimeoutMs ? text("（它之前超时过，所以这次时间更短）", " (it timed out before, so it gets less time now)") : text("", "");
    const reply = await this.send({ op, module, fn, args, names, inputs }, limit, {
      kind: "timeout",
      message:
        limit < base
          ? join([what, text("被中止：", "stopped: "), this.budgetText()])
          : join([what, text(`在 ${seconds(limit)} 内没有完成，被中止了——有死循环？`, `did not finish within ${seconds(limit)} and was stopped — an endless loop?`), again]),
      budgetUsedUp: limit < base,
    });
    if (!reply.ok && reply.failure.kind === "timeout") this.timedOut.add(key);
    return reply;
  }

  private async send(body: Record<string, unknown>, limitMs: number, onTimeout: Failure): Promise<Reply> {
    const started = this.starting ?? (this.starting = this.start());
    // Starting the process counts against the call's limit too.
    let startTimer: NodeJS.Timeout | undefined;
    const startFailure = await Promise.race([started, new Promise<Failure>((resolve) => (startTimer = setTimeout(() => resolve(onTimeout), limitMs)))]);
    clearTimeout(startTimer);
    if (startFailure) {
      this.kill(null);
      return { ok: false, failure: startFailure };
    }
    const id = this.nextId++;
    return new Promise<Reply>((resolve) => {
      this.pending = { id, resolve, timer: null, onTimeout };
      this.pending.timer = setTimeout(() => this.kill(onTimeout), limitMs);
      this.proc!.channel.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  private async start(): Promise<Failure | null> {
    const o = this.options;
    this.stopReason = null;
    this.loadedHere.clear();
    this.starts++;
    let proc = this.starts === 1 && o.warmSpare ? takeSpare(o.libDir, o.memoryMb, o.runDir) : null;
    if (proc) {
      this.childDir = proc.dir;
    } else {
      proc = launch(o.libDir, this.childDir, o.memoryMb);
    }
    if (o.warmSpare) warmSpare(o.libDir, o.memoryMb);
    this.proc = proc;
    const mine = proc;
    proc.attach(
      (line) => {
        if (this.proc === mine) this.onLine(line);
      },
      () => this.kill({ kind: "codec", message: text(`结果太大，无法评分（数据超过 ${MAX_REPLY_BYTES / 1024 / 1024} MB）`, `the result is too large to grade (more than ${MAX_REPLY_BYTES / 1024 / 1024} MB as data)`) }),
    );
    // "close", not "exit": by then stderr has been read to the end (an out-of-memory report is there).
    proc.child.on("close", (code, signal) => {
      if (this.proc === mine) {
        this.proc = null;
        this.starting = null;
      }
      this.stopMemoryWatch();
      this.settle({ ok: false, failure: this.exitFailure(code, signal, mine) });
    });
    this.startMemoryWatch(proc.child);
    const failure = await proc.ready;
    if (failure) return failure;
    // Tell it how the submission's files are named in its messages.
    return new Promise<Failure | null>((resolve) => {
      const id = this.nextId++;
      this.pending = {
        id,
        resolve: (r) => resolve(r.ok ? null : r.failure),
        timer: null,
        onTimeout: { kind: "crashed", message: text("评分器的问题：沙箱没有回应", "grader problem: the sandbox did not answer") },
      };
      mine.channel.write(`${JSON.stringify({ id, op: "bind", display: o.display })}\n`);
    });
  }

  private exitFailure(code: number | null, signal: NodeJS.Signals | null, proc: Proc): Failure {
    if (this.stopReason) return this.stopReason;
    if (/heap limit|heap out of memory|Allocation failed/i.test(proc.stderrTail())) {
      return { kind: "memory", message: text(`内存用完了（上限 ${this.options.memoryMb} MB），被中止`, `ran out of memory (the limit is ${this.options.memoryMb} MB) and was stopped`) };
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    return { kind: "crashed", message: text(`运行提交的进程在调用中停止了（${how}）`, `the process running the submission stopped during the call (${how})`) };
  }

  private onLine(line: string): void {
    const p = this.pending;
    const refuse = () => this.kill({ kind: "crashed", message: text("提交写入了评分器的通道（不允许）", "the submission wrote to the grader's channel (not allowed)") });
    if (!p) return refuse(); // nothing was asked: the submission wrote to the channel itself
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return refuse();
    }
    const reply = sanitize(raw, p.id, (loc) => this.mapLocation(loc));
    if (!reply) return refuse();
    this.settle(reply);
  }

  private maps = new Map<string, SourceMap | null>();

  /** `min-pool:12:3` in the compiled file → `exercises/min-pool.ts:10:9` in the submission's source. */
  private mapLocation(raw: string): string | undefined {
    const m = /^([\w.-]+):(\d+):(\d+)$/.exec(raw);
    if (!m) return undefined;
    const [, module, line, column] = m;
    if (!this.maps.has(module)) {
      let map: SourceMap | null = null;
      try {
        map = new SourceMap(JSON.parse(fs.readFileSync(path.join(path.dirname(this.options.runDir), "maps", `${module}.js.map`), "utf8")));
      } catch {
        map = null;
      }
      this.maps.set(module, map);
    }
    const shown = `${this.options.display}/${module}.ts`;
    const entry = this.maps.get(module)?.findEntry(Number(line) - 1, Number(column) - 1) as { originalLine?: number; originalColumn?: number } | undefined;
    if (!entry || entry.originalLine === undefined || entry.originalColumn === undefined) return shown;
    return `${shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  }

  private settle(reply: Reply): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    if (p.timer) clearTimeout(p.timer);
    p.resolve(reply);
  }

  private kill(reason: StopReason | null): void {
    const proc = this.proc;
    if (!proc) return;
    this.stopReason = reason;
    try {
      proc.child.kill("SIGKILL");
    } catch {
      // gone
    }
    if (!reason) {
      // Closing: nothing is waiting.
      this.proc = null;
      this.starting = null;
    }
  }

  private startMemoryWatch(child: ChildProcess): void {
    if (process.platform !== "linux") return;
    const capMb = 2 * this.options.memoryMb;
    this.stopMemoryWatch();
    this.memoryTimer = setInterval(() => {
      if (!child.pid || this.proc?.child !== child) return;
      const rss = residentMb(child.pid);
      if (rss !== null && rss > capMb) {
        this.kill({ kind: "memory", message: text(`用了超过 ${capMb} MB 内存，被中止（堆的上限是 ${this.options.memoryMb} MB）`, `used more than ${capMb} MB of memory and was stopped (the limit is ${this.options.memoryMb} MB of heap)`) });
      }
    }, 50);
    this.memoryTimer.unref();
  }

  private stopMemoryWatch(): void {
    if (this.memoryTimer) clearInterval(this.memoryTimer);
    this.memoryTimer = null;
  }
}
