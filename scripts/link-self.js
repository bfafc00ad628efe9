#!/usr/bin/env node
// Make the project importable by its package name from anywhere inside it:
// node_modules/d2l-pooling -> the project root. Notebooks (compiled by tslab with rootDir = the
// notebook's folder) cannot import ../../src/*.ts, but they can import "d2l-pooling", which
// resolves through node_modules to dist/ (built JS + .d.ts). Runs on `npm ci` (prepare).
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "d2l-pooling");
fs.mkdirSync(path.dirname(link), { recursive: true });
let current = null;
try {
  current = fs.readlinkSync(link);
} catch {
  // not a link yet
}
if (current !== "..") {
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync("..", link, "dir");
}
