#!/usr/bin/env node
// Part of `npm run build`: compile asm/pool.ts (AssemblyScript) to dist/pooling/fast/pool.wasm
// with WebAssembly SIMD and a shared memory imported from JS (src/tensor/heap.ts makes it).
// Skipped when the .wasm is newer than its sources. `--force` rebuilds anyway.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const source = path.join(__dirname, "pool.ts");
const out = path.join(root, "dist", "pooling", "fast", "pool.wasm");
const inputs = [source, __filename, path.join(root, "package-lock.json")];

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
if (!process.argv.includes("--force") && mtime(out) > Math.max(...inputs.map(mtime))) process.exit(0);

fs.mkdirSync(path.dirname(out), { recursive: true });
const asc = require.resolve("assemblyscript/bin/asc.js");
const tmp = `${out}.${process.pid}.tmp`;
const r = spawnSync(
  process.execPath,
  [
    asc, source, "--outFile", tmp,
    "-O3", "--noAssert", "--runtime", "stub", "--use", "abort=",
    "--enable", "simd,threads",
    // The memory comes from JS: shared, up to 4 GiB (65536 pages), first page for static data.
    "--importMemory", "--noExportMemory", "--sharedMemory", "--initialMemory", "16", "--maximumMemory", "65536",
  ],
  { stdio: "inherit" },
);
if (r.status !== 0) {
  fs.rmSync(tmp, { force: true });
  process.exit(r.status ?? 1);
}
fs.renameSync(tmp, out);
