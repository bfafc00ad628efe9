#!/usr/bin/env node
/**
 * npm run lite:serve — serve site/ on localhost as any static host would: files only, no special
 * headers (no cross-origin isolation), so what works here works on GitHub Pages.
 *
 *   node lite/serve.js [DIR] [--port N]      (default site/ and port 8000; --port 0 picks a free one)
 */
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ipynb": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".gif": "image/gif",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
};

/** Start serving `dir`; resolves with the server once it listens (its URL is printed). */
function serve(dir, port = 8000, { quiet = false } = {}) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, "lab", "index.html"))) {
    throw new Error(`${root} is not a built site (no lab/index.html): run \`npm run lite\` first`);
  }
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    let file = path.join(root, path.normalize(rel));
    // Nothing outside the site: a path that escapes it is simply not found.
    if (file !== root && !file.startsWith(root + path.sep)) file = "";
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file || !fs.existsSync(file) || req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "content-length": fs.statSync(file).size });
    if (req.method === "HEAD") res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      server.url = url;
      if (!quiet) console.log(`serving ${path.relative(process.cwd(), root) || "."}/ at ${url}lab/index.html?path=notebooks/zh/pooling.ipynb  (Ctrl+C stops)`);
      resolve(server);
    });
  });
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--port");
  const port = at >= 0 ? Number(argv.splice(at, 2)[1]) : 8000;
  const dir = argv[0] ?? path.resolve(__dirname, "..", "site");
  if (!Number.isInteger(port)) {
    console.error("usage: npm run lite:serve -- [DIR] [--port N]");
    process.exit(2);
  }
  serve(dir, port).catch((e) => {
    console.error(`npm run lite:serve: ${e.message}`);
    process.exit(1);
  });
}

module.exports = { serve };
