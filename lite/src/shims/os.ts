/**
 * node:os in the kernel's worker. One core as far as the module knows: its worker threads need
 * shared memory between workers, which a page without cross-origin isolation cannot have, so
 * pooling runs its WebAssembly kernels on the kernel's own thread.
 */
const GIB = 2 ** 30;
export const availableParallelism = (): number => 1;
export const cpus = (): unknown[] => [{}];
/** The device's memory where the browser tells it (navigator.deviceMemory), else 4 GiB. */
export const totalmem = (): number => ((globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory ?? 4) * GIB;
export default { availableParallelism, cpus, totalmem };
