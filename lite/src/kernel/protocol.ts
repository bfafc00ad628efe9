/** Messages between the kernel (page side, ./kernel.ts) and its Web Worker (./worker.ts). */

/** Page → worker. */
export type ToWorker =
  | { type: "execute"; id: number; code: string; exercises: Record<string, string>; lang: "zh" | "en" }
  | { type: "complete"; id: number; code: string; cursor: number };

/** Worker → page. `id` is the execute request the output belongs to. */
export type FromWorker =
  | { type: "ready"; pooling: string }
  | { type: "failed"; message: string }
  | { type: "stream"; id: number; name: "stdout" | "stderr"; text: string }
  | { type: "display"; id: number; data: Record<string, string>; displayId?: string; update?: boolean }
  | { type: "result"; id: number; data: Record<string, string> }
  | { type: "error"; id: number; ename: string; evalue: string; traceback: string[] }
  | { type: "done"; id: number; ok: boolean }
  | { type: "completions"; id: number; matches: string[]; start: number; end: number };
