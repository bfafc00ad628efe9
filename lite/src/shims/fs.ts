/**
 * node:fs in the kernel's worker: a few files the worker fetched from the site before the first
 * cell (pool.wasm, its ABI, the plotly bundle), read synchronously as the module reads them in Node.
 */
const files = new Map<string, Uint8Array>();

export function addFile(path: string, bytes: Uint8Array): void {
  files.set(path, bytes);
}

/** Takes a file away (an exercise file the student deleted since the last grading). */
export function removeFile(path: string): void {
  files.delete(path);
}

export function existsSync(path: string): boolean {
  return files.has(path);
}

export function readFileSync(path: string, encoding?: string | { encoding?: string }): Uint8Array | string {
  const bytes = files.get(path);
  if (!bytes) throw Object.assign(new Error(`ENOENT: no such file in the browser kernel: ${path}`), { code: "ENOENT" });
  const enc = typeof encoding === "string" ? encoding : encoding?.encoding;
  return enc ? new TextDecoder().decode(bytes) : bytes;
}

/** Writing is for the instructor's recording of expected values (npm run release), never in a browser. */
export function appendFileSync(path: string): never {
  throw new Error(`cannot write ${path} in the browser kernel`);
}

export default { addFile, removeFile, existsSync, readFileSync, appendFileSync };
