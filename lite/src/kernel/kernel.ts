/**
 * The TypeScript kernel, page side: a JupyterLite kernel whose cells run in a Web Worker
 * (./worker.ts). It passes each request to the worker with the student's exercise files as they
 * are saved now, and turns what the worker sends back into Jupyter messages.
 */
import { BaseKernel, type IKernel } from "@jupyterlite/services";
import type { KernelMessage } from "@jupyterlab/services";
import type { FromWorker, ToWorker } from "./protocol";
import type { KernelWorker } from "./worker-handle";

export interface TypeScriptKernelOptions extends IKernel.IOptions {
  /** A worker of its own (possibly started before the kernel was asked for). */
  worker: KernelWorker;
  /** The student's exercises/*.ts (name without .ts → text), as saved now. */
  exercises: () => Promise<Record<string, string>>;
}

type Reply = KernelMessage.IExecuteReplyMsg["content"];

export class TypeScriptKernel extends BaseKernel {
  private readonly worker: Worker;
  private readonly started: Promise<void>;
  private readonly exercises: TypeScriptKernelOptions["exercises"];
  private requests = 0;
  /** Each request's parent header, so late output still lands under the cell that made it. */
  private readonly parents = new Map<number, KernelMessage.IHeader<KernelMessage.MessageType> | undefined>();
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  private lastError: { ename: string; evalue: string; traceback: string[] } | null = null;
  /** How pooling runs in the worker (its start-up check), shown in the banner. */
  private pooling = "starting";

  constructor(options: TypeScriptKernelOptions) {
    super(options);
    this.exercises = options.exercises;
    this.worker = options.worker.worker;
    options.worker.onMessage((m) => this.fromWorker(m));
    this.started = options.worker.ready.then((pooling) => {
      this.pooling = pooling;
    });
  }

  override get ready(): Promise<void> {
    return this.started;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.worker.terminate();
    super.dispose();
  }

  /** notebooks/zh → "zh", as the Node kernel's folder decides it under tslab. */
  private get lang(): "zh" | "en" {
    return /(^|\/)zh(\/|$)/.test(this.location) ? "zh" : "en";
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private request(m: ToWorker & { id: number }): Promise<FromWorker> {
    return new Promise((resolve) => {
      this.waiting.set(m.id, resolve);
      this.send(m);
    });
  }

  private fromWorker(m: FromWorker): void {
    if (m.type === "done" || m.type === "completions") {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
      return;
    }
    if (!("id" in m)) return;
    const parent = this.parents.get(m.id);
    switch (m.type) {
      case "stream":
        this.stream({ name: m.name, text: m.text }, parent);
        break;
      case "display": {
        if (m.update && m.displayId) this.updateDisplayData({ data: m.data, metadata: {}, transient: { display_id: m.displayId } }, parent);
        else this.displayData({ data: m.data, metadata: {}, transient: m.displayId ? { display_id: m.displayId } : {} }, parent);
        break;
      }
      case "result":
        this.publishExecuteResult({ execution_count: this.executionCount, data: m.data, metadata: {} }, parent);
        break;
      case "error":
        this.lastError = { ename: m.ename, evalue: m.evalue, traceback: m.traceback };
        this.publishExecuteError(this.lastError, parent);
        break;
    }
  }

  async kernelInfoRequest(): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    await this.started.catch(() => undefined); // the banner says how pooling runs, known once started
    return {
      implementation: "d2l-pooling-lite",
      implementation_version: "1.0.0",
      language_info: {
        name: "typescript",
        version: "5",
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: { name: "typescript" },
      },
      protocol_version: "5.3",
      status: "ok",
      banner: `TypeScript in your browser (d2l pooling): cells run as under tslab, with d2l-pooling built in. Pooling: ${this.pooling}.`,
      help_links: [],
    };
  }

  async executeRequest(content: KernelMessage.IExecuteRequestMsg["content"]): Promise<Reply> {
    const id = ++this.requests;
    this.parents.set(id, this.parentHeader);
    if (this.parents.size > 200) this.parents.delete(id - 200);
    this.lastError = null;
    try {
      await this.started;
    } catch (e) {
      const error = { ename: "Error", evalue: (e as Error).message, traceback: [(e as Error).message, "Reload the page to try again / 请刷新页面重试。"] };
      this.publishExecuteError(error, this.parentHeader);
      return { status: "error", execution_count: this.executionCount, ...error } as Reply;
    }
    const exercises = await this.exercises();
    const done = (await this.request({ type: "execute", id, code: content.code, exercises, lang: this.lang })) as Extract<FromWorker, { type: "done" }>;
    if (done.ok) return { status: "ok", execution_count: this.executionCount, user_expressions: {}, payload: [] } as Reply;
    const error = this.lastError ?? { ename: "Error", evalue: "the cell failed", traceback: [] };
    return { status: "error", execution_count: this.executionCount, ...error } as Reply;
  }

  async completeRequest(content: KernelMessage.ICompleteRequestMsg["content"]): Promise<KernelMessage.ICompleteReplyMsg["content"]> {
    const id = ++this.requests;
    const r = (await this.request({ type: "complete", id, code: content.code, cursor: content.cursor_pos })) as Extract<FromWorker, { type: "completions" }>;
    return { status: "ok", matches: r.matches, cursor_start: r.start, cursor_end: r.end, metadata: {} };
  }

  async inspectRequest(): Promise<KernelMessage.IInspectReplyMsg["content"]> {
    return { status: "ok", found: false, data: {}, metadata: {} };
  }

  async isCompleteRequest(): Promise<KernelMessage.IIsCompleteReplyMsg["content"]> {
    return { status: "unknown" };
  }

  async commInfoRequest(): Promise<KernelMessage.ICommInfoReplyMsg["content"]> {
    return { status: "ok", comms: {} };
  }

  inputReply(): void {}
  async commOpen(): Promise<void> {}
  async commMsg(): Promise<void> {}
  async commClose(): Promise<void> {}
}
