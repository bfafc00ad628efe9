#!/usr/bin/env node
// Part of `npm run build`: compile asm/pool.ts (AssemblyScript) to dist/pooling/fast/pool.wasm
// with WebAssembly SIMD and a shared memory imported from JS (src/tensor/heap.ts makes it), and
// write dist/pooling/fast/pool.abi.json: each exported kernel's parameter names in order, read
// from asm/pool.ts itself, so a kernel's signature is declared in one place (the kernel) and
// src/pooling/fast/runtime.ts calls kernels with named arguments.
// Skipped when both are newer than their sources. `--force` rebuilds anyway.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const source = path.join(__dirname, "pool.ts");
const out = path.join(root, "dist", "pooling", "fast", "pool.wasm");
const abi = path.join(root, "dist", "pooling", "fast", "pool.abi.json");
const inputs = [source, __filename, path.join(root, "package-lock.json")];

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
if (!process.argv.includes("--force") && Math.min(mtime(out), mtime(abi)) > Math.max(...inputs.map(mtime))) process.exit(0);

/** { name: [parameter names] } of every `export function` in the AssemblyScript source. */
function exportedSignatures(file) {
  const ts = require("typescript");
  const sourceFile = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const signatures = {};
  for (const node of sourceFile.statements) {
    if (!ts.isFunctionDeclaration(node) || !node.name) continue;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    signatures[node.name.text] = node.parameters.map((p) => p.name.getText(sourceFile));
  }
  return signatures;
}

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
fs.writeFileSync(`${abi}.${process.pid}.tmp`, JSON.stringify(exportedSignatures(source), null, 1) + "\n");
fs.renameSync(`${abi}.${process.pid}.tmp`, abi);
