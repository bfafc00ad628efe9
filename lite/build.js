#!/usr/bin/env node
/**
 * npm run lite — build site/: the chapter in JupyterLite, a static site (see docs/lite.md).
 *
 *   node lite/build.js [--from DIR] [--out DIR] [--serve] [--port N]
 *
 * --from DIR   take notebooks/ and exercises/ from DIR (default: this project; `npm run release`
 *              passes the student copy, so the class's site holds no solutions or hidden tests)
 * --out DIR    write the site there (default: site/)
 * --serve      then serve it on localhost (lite/serve.js: a plain static server, no special headers)
 *
 * Everything comes from node_modules (offline after `npm ci`) and the built module (`npm run build`
 * makes dist/pooling/fast/pool.wasm). The site is written to a temporary folder and moved into
 * place at the end, so a failed build leaves the old site as it was.
 */
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");
const { writeContents } = require("./contents");
const { writeSchemas } = require("./schemas");

const ROOT = path.resolve(__dirname, "..");
const CONFIG = require("./extensions.json");
/** Where the worker bundle's node:fs shim holds pool.wasm (runtime.ts looks next to its own __dirname). */
const WASM_DIR = "/d2l-pooling/dist/pooling/fast"; // lite/src/grade/project.ts: PROJECT is /d2l-pooling

function usage(message) {
  if (message) console.error(`npm run lite: ${message}`);
  console.error("usage: npm run lite -- [--from DIR] [--out DIR] [--serve] [--port N]");
  process.exit(2);
}

function parseArgs(argv) {
  const args = { from: ROOT, out: path.join(ROOT, "site"), serve: false, port: 8000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === "--from") args.from = path.resolve(value());
    else if (a === "--out") args.out = path.resolve(value());
    else if (a === "--serve") args.serve = true;
    else if (a === "--port") args.port = Number(value());
    else if (a === "--help" || a === "-h") usage();
    else usage(`unknown option ${a}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usage("--port takes a port number");
  for (const dir of ["notebooks", "exercises"]) {
    if (!fs.existsSync(path.join(args.from, dir))) usage(`${path.join(args.from, dir)} does not exist: --from must be a project (or student copy) with notebooks/ and exercises/`);
  }
  return args;
}

/**
 * The worker bundles the course's own code (src/, the graded specs in test/exercises/) from the
 * folder the site is built from: with --from a student copy, its manifest without hidden parts
 * and its recorded expected values, never the instructor's.
 */
function courseSources(from) {
  return {
    name: "d2l-course-sources",
    setup(build) {
      if (from === ROOT) return;
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const full = path.resolve(args.resolveDir, args.path);
        const rel = path.relative(ROOT, full);
        if (!/^(src|test)[\\/]/.test(rel) || !args.importer.startsWith(__dirname)) return undefined;
        return build.resolve(`./${rel.split(path.sep).join("/")}`, { kind: args.kind, resolveDir: from });
      });
    },
  };
}

/**
 * What the browser's grading (lite/src/grade/) needs from the folder the site is built from:
 * - `lite:specs`: its visible specs (test/exercises/<id>.test.ts), and its recorded expected values
 *   (test/exercises/expected/, which only a student copy has);
 * - "d2l-pooling" in the specs: that folder's src/index.ts (the kernel's own module instance);
 * - a spec's `import * as ref from "../../solutions/<id>"`: the solution itself in the instructor's
 *   site; in a student site, lookups in the recorded table (as src/grader/solutions-plugin.ts does).
 */
function courseGrading(from) {
  const specsDir = path.join(from, "test", "exercises");
  const expectedDir = path.join(specsDir, "expected");
  const ids = fs.existsSync(specsDir) ? fs.readdirSync(specsDir).filter((f) => f.endsWith(".test.ts")).map((f) => f.slice(0, -8)).sort() : [];
  const tables = fs.existsSync(expectedDir) ? fs.readdirSync(expectedDir).filter((f) => f.endsWith(".json")).sort() : [];
  const student = from !== ROOT;
  return {
    name: "d2l-course-grading",
    setup(build) {
      build.onResolve({ filter: /^lite:specs$/ }, () => ({ path: "lite:specs", namespace: "lite-specs" }));
      build.onLoad({ filter: /.*/, namespace: "lite-specs" }, () => ({
        resolveDir: from,
        loader: "js",
        contents: [
          `export const specs = {${ids.map((id) => `${JSON.stringify(id)}: () => import(${JSON.stringify(`./test/exercises/${id}.test.ts`)})`).join(", ")}};`,
          `export const expected = {${tables.map((f) => `${JSON.stringify(f.slice(0, -5))}: ${JSON.stringify(fs.readFileSync(path.join(expectedDir, f), "utf8"))}`).join(", ")}};`,
        ].join("\n"),
      }));
      build.onResolve({ filter: /^d2l-pooling$/ }, () => ({ path: path.join(from, "src", "index.ts") }));
      build.onResolve({ filter: /(^|\/)solutions\/[\w-]+$/ }, (args) => {
        if (!args.importer.startsWith(specsDir)) return undefined;
        const id = path.basename(args.path);
        if (!student) return { path: path.join(ROOT, "solutions", `${id}.ts`) };
        return { path: id, namespace: "recorded-solution" };
      });
      build.onLoad({ filter: /.*/, namespace: "recorded-solution" }, (args) => {
        const file = path.join(expectedDir, `${args.path}.json`);
        const functions = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).functions : [];
        return {
          resolveDir: from,
          loader: "js",
          contents: [
            `import { recorded } from "./src/grader/spec/oracle.ts";`,
            ...functions.map((f) => `export const ${f} = recorded(${JSON.stringify(args.path)}, ${JSON.stringify(f)});`),
          ].join("\n"),
        };
      });
    },
  };
}

/** A student site's bundle must hold nothing of solutions/ or of the hidden tests. */
function checkStudentInputs(metafile) {
  const leaked = Object.keys(metafile.inputs).filter((f) => /(^|\/)solutions\/|\/hidden\//.test(f));
  if (leaked.length) throw new Error(`the student site's kernel would hold solutions or hidden tests:\n  ${leaked.join("\n  ")}`);
}

/** Node's modules as the worker sees them (lite/src/shims) and the browser versions of two module files. */
function workerAliases() {
  const shim = (f) => path.join(__dirname, "src", "shims", f);
  const map = {
    "node:fs": shim("fs.ts"),
    "node:path": require.resolve("path-browserify"),
    "node:os": shim("os.ts"),
    "node:util": shim("util.ts"),
    "node:vm": shim("unavailable.ts"),
    "node:v8": shim("unavailable.ts"),
    "node:worker_threads": shim("unavailable.ts"),
    "node:crypto": shim("crypto.ts"),
    "node:module": shim("module.ts"),
    "node:async_hooks": shim("async-hooks.ts"),
    tslab: path.join(__dirname, "src", "kernel", "tslab.ts"),
    vitest: shim("vitest.ts"),
  };
  const files = {
    [path.join(ROOT, "src", "plot", "bundle.ts")]: path.join(__dirname, "src", "kernel", "plotly-bundle.ts"),
  };
  return {
    name: "d2l-worker-aliases",
    setup(build) {
      build.onResolve({ filter: /^(node:|tslab$|vitest$)/ }, (args) => {
        if (map[args.path]) return { path: map[args.path] };
        return { errors: [{ text: `${args.path} has no browser version in lite/src/shims (imported by ${args.importer})` }] };
      });
      build.onResolve({ filter: /\/bundle$/ }, (args) => {
        const full = path.join(args.resolveDir, `${args.path}.ts`);
        return files[full] ? { path: files[full] } : undefined;
      });
      // The harness's batch submissions run in the sandbox, which the browser's grading does not use.
      build.onResolve({ filter: /^\.\/targets$/ }, (args) =>
        /[\\/]src[\\/]grader[\\/]spec$/.test(args.resolveDir) ? { path: shim("grader-targets.ts") } : undefined,
      );
    },
  };
}

/** The JupyterLab packages' assets: SVG imported by JS is text (icons), anything in CSS a file; `?text` a file's URL. */
function labAssets() {
  return {
    name: "d2l-lab-assets",
    setup(build) {
      // webpack's "~package/file" in CSS: a file of an installed package.
      build.onResolve({ filter: /^~/ }, (args) => build.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir }));
      build.onResolve({ filter: /\.svg$/ }, (args) => {
        if (args.kind === "url-token" || args.kind === "import-rule") return undefined;
        return { path: path.resolve(args.resolveDir, args.path), namespace: "svg-text" };
      });
      build.onLoad({ filter: /.*/, namespace: "svg-text" }, (args) => ({ contents: fs.readFileSync(args.path, "utf8"), loader: "text" }));
      build.onResolve({ filter: /\?(text|raw)$/ }, (args) => ({
        path: path.resolve(args.resolveDir, args.path.replace(/\?(text|raw)$/, "") + (/\.\w+$/.test(args.path.replace(/\?\w+$/, "")) ? "" : ".js")),
        namespace: args.path.endsWith("?raw") ? "raw-text" : "asset-url",
      }));
      build.onLoad({ filter: /.*/, namespace: "raw-text" }, (args) => ({ contents: fs.readFileSync(args.path, "utf8"), loader: "text" }));
      build.onLoad({ filter: /.*/, namespace: "asset-url" }, (args) => ({ contents: fs.readFileSync(args.path), loader: "file" }));
      // With code splitting, esbuild gives `import()` of a CommonJS file a namespace holding only
      // `default` (module.exports); mathjax-full is CommonJS and its JupyterLab plugin destructures
      // named exports from such imports: hand it module.exports.
      build.onLoad({ filter: /@jupyterlab[\\/]mathjax-extension[\\/]lib[\\/]index\.js$/ }, (args) => ({
        contents: fs.readFileSync(args.path, "utf8").replace(/import\(('mathjax-full\/[^']+')\)/g, "import($1).then((m) => m.default ?? m)"),
        loader: "js",
      }));
      build.onResolve({ filter: /^lite:extensions$/ }, () => ({ path: "lite:extensions", namespace: "lite" }));
      build.onLoad({ filter: /.*/, namespace: "lite" }, () => ({ contents: extensionsModule(), loader: "js", resolveDir: ROOT }));
    },
  };
}

/** `lite:extensions`: every extension module of extensions.json and its styles, and the disabled plugins. */
function extensionsModule() {
  const lines = [];
  for (const name of CONFIG.extensions) {
    const pkg = require(`${name}/package.json`);
    if (pkg.styleModule) lines.push(`import ${JSON.stringify(`${name}/${pkg.styleModule}`)};`);
  }
  lines.push(`export const extensions = [${CONFIG.extensions.map((n) => `require(${JSON.stringify(n)})`).join(", ")}];`);
  lines.push(`export const disabled = ${JSON.stringify(CONFIG.disabled)};`);
  return lines.join("\n");
}

const LOADERS = { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".png": "file", ".gif": "file", ".jpg": "file", ".svg": "file", ".md": "text" };

async function buildApp(buildDir) {
  await esbuild.build({
    entryPoints: { app: path.join(__dirname, "src", "app.ts") },
    bundle: true,
    format: "esm",
    splitting: true,
    minify: true,
    target: "es2022",
    platform: "browser",
    outdir: buildDir,
    assetNames: "assets/[name]-[hash]",
    chunkNames: "chunks/[name]-[hash]",
    loader: LOADERS,
    // mathjax-full reads __dirname (webpack stands in "/" for it, as here).
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis", __dirname: '"/"' },
    plugins: [labAssets()],
    logLevel: "warning",
    logOverride: { "commonjs-variable-in-esm": "silent", "equals-negative-zero": "silent", "duplicate-case": "silent" },
  });
  // Themes are loaded by URL (themesUrl/<package>/index.css), one CSS file each.
  for (const name of CONFIG.extensions) {
    const themePath = require(`${name}/package.json`).jupyterlab?.themePath;
    if (!themePath) continue;
    await esbuild.build({
      entryPoints: { index: require.resolve(`${name}/${themePath}`) },
      bundle: true,
      minify: true,
      outdir: path.join(buildDir, "themes", name),
      loader: LOADERS,
      logLevel: "warning",
    });
  }
}

async function buildWorker(buildDir, from) {
  const result = await esbuild.build({
    entryPoints: { "kernel-worker": path.join(__dirname, "src", "kernel", "worker.ts") },
    bundle: true,
    format: "iife",
    minify: true,
    target: "es2022",
    platform: "browser",
    outdir: buildDir,
    define: { __dirname: JSON.stringify(WASM_DIR), __D2L_WASM_DIR__: JSON.stringify(WASM_DIR) },
    inject: [path.join(__dirname, "src", "shims", "globals.ts")],
    plugins: [workerAliases(), courseSources(from), courseGrading(from)],
    nodePaths: [path.join(ROOT, "node_modules")],
    metafile: true,
    logLevel: "warning",
  });
  if (from !== ROOT) checkStudentInputs(result.metafile);
  const fast = path.join(ROOT, "dist", "pooling", "fast");
  for (const f of ["pool.wasm", "pool.abi.json"]) {
    if (!fs.existsSync(path.join(fast, f))) usage(`${path.join(fast, f)} is missing: run \`npm run build\` first (npm run lite does)`);
    fs.copyFileSync(path.join(fast, f), path.join(buildDir, f));
  }
  // Plotly where a figure looks for it after a page reload (src/plot/html.ts: the server's
  // files/node_modules/…, as npm start serves it); the worker reads the first figure's copy from there too.
  const plotly = path.join(buildDir, "..", "files", "node_modules", "plotly.js-dist-min", "plotly.min.js");
  fs.mkdirSync(path.dirname(plotly), { recursive: true });
  fs.copyFileSync(require.resolve("plotly.js-dist-min"), plotly);
}

/** The one UI language there is (JupyterLab's language packs are Python packages, not npm ones). */
function writeTranslations(out) {
  const dir = path.join(out, "api", "translations");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "all.json"), JSON.stringify({ data: { en: { displayName: "English", nativeName: "English" } }, message: "" }));
  fs.writeFileSync(path.join(dir, "en.json"), JSON.stringify({ data: {}, message: "" }));
}

function pages(out) {
  const version = require(path.join(ROOT, "package.json")).version;
  const config = {
    appName: "Pooling · 汇聚层 (d2l 6.5)",
    appVersion: version,
    defaultKernelName: "d2l-pooling-typescript",
    contentsAllJsonFile: "all.json",
    exposeAppInBrowser: "true",
    mode: "multiple-document",
    themesUrl: "./build/themes",
    licensesUrl: "./lab/api/licenses",
    contentsStorageName: "d2l-pooling",
    settingsStorageName: "d2l-pooling",
    workspacesStorageName: "d2l-pooling",
  };
  // Paths that need the site's root (it may live under a sub-path, as on GitHub Pages) are set
  // in the page from its own address, as JupyterLite's config-utils.js does.
  const lab = `<!doctype html>
<html lang="zh">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Pooling · 汇聚层 — d2l 6.5 in TypeScript</title>
  <script id="jupyter-config-data" type="application/json">${JSON.stringify(config)}</script>
  <script>
    (function () {
      var el = document.getElementById("jupyter-config-data");
      var c = JSON.parse(el.textContent);
      var root = new URL("..", location.href).pathname;
      c.baseUrl = root;
      c.appUrl = root + "lab";
      c.treeUrl = root + "lab/tree";
      c.settingsUrl = root + "build/schemas";
      c.fullStaticUrl = root + "build";
      c.fullLabextensionsUrl = root + "extensions";
      el.textContent = JSON.stringify(c);
    })();
  </script>
  <link rel="stylesheet" href="../build/app.css">
  <script type="module" src="../build/app.js" data-d2l-app></script>
</head>
<body class="jp-ThemedContainer"></body>
</html>
`;
  fs.mkdirSync(path.join(out, "lab"), { recursive: true });
  fs.writeFileSync(path.join(out, "lab", "index.html"), lab);
  // The site's address opens the chapter.
  fs.writeFileSync(
    path.join(out, "index.html"),
    `<!doctype html>\n<meta charset="utf-8">\n<title>Pooling · 汇聚层</title>\n<meta http-equiv="refresh" content="0; url=lab/index.html?path=notebooks/zh/pooling.ipynb">\n<a href="lab/index.html?path=notebooks/zh/pooling.ipynb">汇聚层 (中文)</a> · <a href="lab/index.html?path=notebooks/en/pooling.ipynb">Pooling (English)</a>\n`,
  );
  // GitHub Pages would otherwise run Jekyll, which drops folders starting with "_".
  fs.writeFileSync(path.join(out, ".nojekyll"), "");
}

async function build(args) {
  const started = Date.now();
  const tmp = `${args.out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const buildDir = path.join(tmp, "build");
    await Promise.all([buildApp(buildDir), buildWorker(buildDir, args.from)]);
    writeSchemas(CONFIG.extensions, path.join(buildDir, "schemas"));
    writeTranslations(tmp);
    const files = writeContents(args.from, tmp);
    pages(tmp);
    fs.rmSync(args.out, { recursive: true, force: true });
    fs.renameSync(tmp, args.out);
    const size = folderSize(args.out);
    if (args.from === ROOT) {
      console.log("note: this site's kernel grades with the reference solutions (they are in its bundle): for a class, publish the site `npm run release -- --out DIR --site SITE` builds from the student copy (docs/lite.md)");
    }
    console.log(`site built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path.relative(process.cwd(), args.out) || "."}/ — ${(size / 2 ** 20).toFixed(1)} MiB, ${files.length} course files from ${path.relative(process.cwd(), args.from) || "."}/`);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function folderSize(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? folderSize(p) : fs.statSync(p).size;
  }
  return total;
}

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  build(args)
    .then(async () => {
      if (args.serve) await require("./serve").serve(args.out, args.port);
    })
    .catch((e) => {
      console.error(`npm run lite: ${e.message}`);
      process.exit(1);
    });
}

module.exports = { build, parseArgs, folderSize };
