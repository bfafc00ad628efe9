import { hang } from "./hang";
import { ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createMainChannel, JupyterConnectionInfo } from "enchannel-zmq-backend";
import { Channels, executeRequest, JupyterMessage, kernelInfoRequest, shutdownRequest } from "@nteract/messaging";
import { Cell, CellRun, Notebook, Output, ROOT, readNotebook, text } from "./kernel-checks";

/**
 * A real tslab kernel driven from Node over the Jupyter messaging protocol, the way JupyterLab
 * drives it: a connection file with free ports, `tslab kernel --config-path FILE` started in the
 * notebook's folder, ZeroMQ sockets (enchannel-zmq-backend) carrying @nteract/messaging messages.
 *
 *   const kernel = await Kernel.start({ cwd: "notebooks/zh" });
 *   try { const r = await kernel.execute('console.log(1)'); } finally { await kernel.shutdown(); }
 */

export const TSLAB = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");

export interface KernelOptions {
  /** The kernel's working folder; JupyterLab uses the notebook's folder (tslab's rootDir). */
  cwd: string;
  /** How long the kernel may take to answer kernel_info (default 30 s). */
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ExecuteResult {
  status: "ok" | "error" | "abort" | "timeout";
  /** nbformat-4 outputs. Output that arrives after the cell finished (timers) is appended later. */
  outputs: Output[];
  executionCount: number | null;
  ms: number;
}

export class KernelError extends Error {}

/** Ports the OS says are free right now (held open together so they are distinct). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kernels still running, killed if the test process exits without shutting them down. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

interface Pending {
  outputs: Output[];
  reply: JupyterMessage | null;
  idle: boolean;
  done: () => void;
}

export class Kernel {
  /** The kernel process's own stdout/stderr (not the cells': those go over iopub). */
  log = "";
  private readonly pending = new Map<string, Pending>();
  private readonly finished = new Map<string, Output[]>();
  /** Outputs by display_id (tslab.newDisplay()), for update_display_data. */
  private readonly displays = new Map<string, Output[]>();
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private exitWaiters: (() => void)[] = [];
  private closed = false;

  private constructor(
    readonly options: KernelOptions,
    readonly child: ChildProcess,
    private readonly channel: Channels,
    private readonly connectionFile: string,
  ) {
    live.add(child);
    child.stdout?.on("data", (d) => (this.log += String(d)));
    child.stderr?.on("data", (d) => (this.log += String(d)));
    child.on("exit", (code, signal) => {
      live.delete(child);
      this.exited = { code, signal };
      for (const wake of this.exitWaiters.splice(0)) wake();
      for (const p of this.pending.values()) p.done();
    });
    channel.subscribe({ next: (msg) => this.receive(msg), error: () => undefined });
  }

  /** Start a tslab kernel in `cwd` and wait until both its shell and iopub sockets answer. */
  static async start(options: KernelOptions): Promise<Kernel> {
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    const config: JupyterConnectionInfo = {
      version: 5, transport: "tcp", ip: "127.0.0.1", signature_scheme: "hmac-sha256",
      key: randomBytes(16).toString("hex"),
      shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb,
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-kernel-"));
    const connectionFile = path.join(dir, "connection.json");
    fs.writeFileSync(connectionFile, JSON.stringify({ ...config, kernel_name: "d2l-pooling-typescript" }));
    const child = spawn(process.execPath, [TSLAB, "kernel", "--config-path", connectionFile], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const channel = await createMainChannel(config);
    const kernel = new Kernel(options, child, channel, connectionFile);
    try {
      await kernel.waitReady(options.startTimeoutMs ?? hang(300_000));
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    return kernel;
  }

  /**
   * Poll kernel_info until the kernel replies on shell AND publishes the request's status on
   * iopub: a SUB socket misses what is published before its subscription reaches the kernel, so
   * a reply on shell alone does not mean cell output would be seen.
   */
  private async waitReady(timeoutMs: number): Promise<void> {
    const started = Date.now();
    let shellOk = false;
    let iopubOk = false;
    const ours = new Set<string>();
    const sub = this.channel.subscribe((msg) => {
      const parent = (msg.parent_header as { msg_id?: string }).msg_id;
      if (!parent || !ours.has(parent)) return;
      if (msg.channel === "shell" && msg.header.msg_type === "kernel_info_reply") shellOk = true;
      if (msg.channel === "iopub" && msg.header.msg_type === "status") iopubOk = true;
    });
    try {
      while (!(shellOk && iopubOk)) {
        if (this.exited) throw new KernelError(`tslab kernel exited while starting (${this.exitText()}).\n${this.logTail()}`);
        if (Date.now() - started > timeoutMs) throw new KernelError(`tslab kernel did not answer kernel_info within ${timeoutMs} ms.\n${this.logTail()}`);
        const req = kernelInfoRequest();
        ours.add(req.header.msg_id);
        this.channel.next(req);
        await sleep(100);
      }
    } finally {
      sub.unsubscribe();
    }
  }

  private receive(msg: JupyterMessage): void {
    const parent = (msg.parent_header as { msg_id?: string }).msg_id;
    if (!parent) return;
    const p = this.pending.get(parent);
    const outputs = p?.outputs ?? this.finished.get(parent);
    if (!outputs) return;
    const c = msg.content as Record<string, any>;
    if (msg.channel === "shell" && msg.header.msg_type === "execute_reply" && p) {
      p.reply = msg;
    } else if (msg.channel === "iopub") {
      switch (msg.header.msg_type) {
        case "status":
          if (c.execution_state === "idle" && p) p.idle = true;
          break;
        case "stream":
          outputs.push({ output_type: "stream", name: c.name, text: c.text });
          break;
        case "display_data": {
          const output: Output = { output_type: "display_data", data: c.data, metadata: c.metadata ?? {} };
          outputs.push(output);
          const id = c.transient?.display_id;
          if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), output]);
          break;
        }
        case "update_display_data":
          // As Jupyter does: every output shown under that display_id takes the new data.
          for (const output of this.displays.get(c.transient?.display_id) ?? []) {
            output.data = c.data;
            output.metadata = c.metadata ?? {};
          }
          break;
        case "execute_result":
          outputs.push({ output_type: "execute_result", data: c.data, metadata: c.metadata ?? {}, execution_count: c.execution_count });
          break;
        case "error":
          outputs.push({ output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback });
          break;
        case "clear_output":
          outputs.length = 0;
          break;
      }
    }
    if (p && p.reply && p.idle) p.done();
  }

  /** Run one cell. Resolves when the kernel has replied and gone idle, or after `timeoutMs`. */
  async execute(code: string, timeoutMs = hang(300_000)): Promise<ExecuteResult> {
    if (this.closed || this.exited) throw new KernelError(`the kernel is not running (${this.exitText()}).\n${this.logTail()}`);
    const req = executeRequest(code, { allow_stdin: false, stop_on_error: true });
    const id = req.header.msg_id;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const outputs: Output[] = [];
    const entry: Pending = { outputs, reply: null, idle: false, done: () => undefined };
    const finished = new Promise<void>((resolve) => {
      entry.done = resolve;
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
    });
    this.pending.set(id, entry);
    this.channel.next(req);
    await finished;
    clearTimeout(timer);
    this.pending.delete(id);
    this.finished.set(id, outputs); // late output (timers, rejected promises) still lands here
    const ms = Date.now() - started;
    if (!entry.reply && !timedOut && this.exited) {
      throw new KernelError(`the kernel died while running a cell (${this.exitText()}).\n${this.logTail()}`);
    }
    const content = (entry.reply?.content ?? {}) as { status?: string; execution_count?: number };
    const status = timedOut ? "timeout" : ((content.status ?? "error") as ExecuteResult["status"]);
    return { status, outputs, executionCount: content.execution_count ?? null, ms };
  }

  /** A kernel_info round trip plus a short pause: output still in flight from earlier cells arrives. */
  async settle(pauseMs = 100): Promise<void> {
    if (this.closed || this.exited) return;
    await sleep(pauseMs);
    await this.waitReady(5_000).catch(() => undefined);
  }

  /** Stop this kernel (a new process) and start a fresh one in the same folder, as "Restart kernel" does. */
  async restart(): Promise<Kernel> {
    await this.shutdown();
    return Kernel.start(this.options);
  }

  /** shutdown_request on the control channel; if the process has not exited after `graceMs`, kill it. */
  async shutdown(graceMs = 2_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.exited) {
        const req = shutdownRequest({ restart: false });
        req.channel = "control";
        this.channel.next(req);
        await this.waitExit(graceMs);
      }
      if (!this.exited) {
        this.child.kill("SIGKILL");
        await this.waitExit(2_000);
      }
    } finally {
      this.channel.complete(); // closes the ZeroMQ sockets
      fs.rmSync(path.dirname(this.connectionFile), { recursive: true, force: true });
      live.delete(this.child);
    }
  }

  get exitedCleanly(): boolean {
    return this.exited !== null && this.exited.code === 0;
  }

  private waitExit(ms: number): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private exitText(): string {
    if (!this.exited) return "still running";
    return this.exited.signal ? `killed by ${this.exited.signal}` : `exit code ${this.exited.code}`;
  }

  logTail(lines = 20): string {
    const tail = this.log.trimEnd().split("\n").slice(-lines).join("\n");
    return tail ? `kernel log (last lines):\n${tail}` : "the kernel wrote nothing to its own stdout/stderr";
  }
}

export interface NotebookRun {
  file: string;
  /** The notebook with the outputs filled in, as Jupyter would save it. */
  notebook: Notebook;
  runs: CellRun[];
  /** Kernel start (until it answers) and the whole run, in ms. */
  startMs: number;
  totalMs: number;
  kernelLog: string;
}

export interface RunOptions {
  /** Per-cell hang limit (default 300 s, scaled: ./hang.ts). */
  cellTimeoutMs?: number;
  /** The kernel's working folder; default the notebook's folder, like JupyterLab. */
  cwd?: string;
  /** The kernel's environment; default this process's (e.g. D2L_EXERCISES_DIR=solutions). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Run every code cell of a notebook in order in a fresh kernel. Stops at the first cell that does
 * not end "ok" (later cells are reported "not run", as Jupyter's "Run All" does). The kernel is
 * always shut down, also when something throws.
 */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<NotebookRun> {
  const notebook = readNotebook(file);
  const started = Date.now();
  const kernel = await Kernel.start({ cwd: options.cwd ?? path.dirname(file), env: options.env });
  const startMs = Date.now() - started;
  const runs: CellRun[] = [];
  try {
    let failed = false;
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const code = text(cell.source);
      const executed: Cell = cell;
      if (failed || !code.trim()) {
        executed.outputs = [];
        executed.execution_count = null;
        if (failed) runs.push({ index, status: "not run" });
        continue;
      }
      const result = await kernel.execute(code, options.cellTimeoutMs ?? hang(300_000));
      executed.outputs = result.outputs;
      executed.execution_count = result.executionCount;
      runs.push({ index, status: result.status, ms: result.ms });
      if (result.status !== "ok") failed = true;
    }
    await kernel.settle();
  } finally {
    await kernel.shutdown();
  }
  return { file, notebook, runs, startMs, totalMs: Date.now() - started, kernelLog: kernel.log };
}
