/**
 * node:async_hooks in the kernel's worker: AsyncLocalStorage, which the grader uses to give each
 * part its own context (src/grader/spec/context.ts). The browser's grading runs one part at a time
 * and nothing else asks for the store meanwhile, so "the store of the part now running" is enough:
 * set for the part's whole run, including its awaits, and put back when it ends.
 */
export class AsyncLocalStorage<T> {
  private store: T | undefined = undefined;

  getStore(): T | undefined {
    return this.store;
  }

  run<R>(store: T, body: () => R): R {
    const before = this.store;
    this.store = store;
    let result: R;
    try {
      result = body();
    } catch (e) {
      this.store = before;
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => {
        this.store = before;
      }) as R;
    }
    this.store = before;
    return result;
  }
}
export default { AsyncLocalStorage };
