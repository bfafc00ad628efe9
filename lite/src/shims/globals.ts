/** The Node globals the module touches (esbuild injects these into the worker bundle). */
import { Buffer } from "buffer";

export const process = {
  env: {} as Record<string, string | undefined>,
  pid: 1,
  platform: "browser",
  versions: {} as Record<string, string>,
  cwd: (): string => "/",
};
export { Buffer };

/** heap.ts asks for one garbage collection "after the current code" this way; timers have no unref here. */
export function setImmediate(callback: () => void): { unref(): void } {
  setTimeout(callback, 0);
  return { unref() {} };
}
