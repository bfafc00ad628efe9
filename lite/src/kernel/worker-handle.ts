/**
 * A kernel worker (./worker.ts) from the moment it is created: it loads the bundle, pool.wasm and
 * plotly, then says "ready". The page starts one while JupyterLab itself is still starting, so the
 * first notebook's kernel is ready sooner (./../plugins/kernel.ts).
 */
import type { FromWorker } from "./protocol";

export class KernelWorker {
  readonly worker: Worker;
  /** Resolves with how pooling runs in the worker; rejects when the worker cannot start. */
  readonly ready: Promise<string>;
  private handler: (m: FromWorker) => void = () => {};

  constructor(url: string) {
    this.worker = new Worker(url);
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === "ready") resolve(m.pooling);
        else if (m.type === "failed") reject(new Error(`The TypeScript kernel could not start: ${m.message}`));
        else this.handler(m);
      });
      this.worker.addEventListener("error", (event) => reject(new Error(`The TypeScript kernel could not start: ${event.message}`)));
    });
    this.ready.catch(() => undefined); // reported to the kernel that uses it, not as an unhandled rejection
  }

  /** Where the worker's messages (other than ready/failed) go from now on. */
  onMessage(handler: (m: FromWorker) => void): void {
    this.handler = handler;
  }
}
