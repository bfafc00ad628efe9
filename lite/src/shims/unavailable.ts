/**
 * node:vm, node:v8 and node:worker_threads in the kernel's worker: not there. The module already
 * calls each inside try/catch and carries on without it (no forced garbage collection, one thread).
 */
function unavailable(what: string): never {
  throw new Error(`${what} is not available in the browser`);
}
export const runInNewContext = (): never => unavailable("node:vm");
export const setFlagsFromString = (): never => unavailable("node:v8");
export class Worker {
  constructor() {
    unavailable("node:worker_threads");
  }
}
export default { runInNewContext, setFlagsFromString, Worker };
