// `npm start`: the chapter in Jupyter, set up on first use.
//   npm start                                  the Chinese chapter (notebooks/zh/pooling.ipynb)
//   npm start -- en                            the English chapter
//   npm start -- en --no-browser --port=8899   options that start with - go to Jupyter
//
// Which Jupyter opens it, first found:
//   1. .venv/ that an earlier `npm start` made            (reused)
//   2. `jupyter lab`, else `jupyter notebook`, on PATH    (used as it is; nothing is installed)
//   3. none: python3 -m venv .venv, then pip install -r scripts/jupyter/requirements.txt (JupyterLab 4 and
//      Notebook 7), showing pip's own progress; then 1.
// As root (containers), Jupyter refuses to start without --allow-root: it is passed, and said.
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");
const { ROOT, KERNEL_PREFIX, installKernel, withCopyKernel } = require("./kernel");
const { SetupError, ensureVenv, finished, findPython, requirementsFile, venvBin } = require("./venv");

const VENV = path.join(ROOT, ".venv");
const USAGE = "usage: npm start [-- [zh|en] [Jupyter options such as --no-browser --port=8899]]";

function parseArgs(argv) {
  let lang = "zh";
  const jupyterArgs = [];
  for (const arg of argv) {
    if (arg === "zh" || arg === "en") lang = arg;
    else if (arg === "-h" || arg === "--help") return { help: true };
    else if (arg.startsWith("-")) jupyterArgs.push(arg);
    else throw new SetupError(`unknown argument "${arg}"\n${USAGE}`);
  }
  return { lang, jupyterArgs };
}

/** The major version `command app --version` prints, or 0 when it does not answer. */
function majorVersion(command, app) {
  const r = spawnSync(command, [app, "--version"], { encoding: "utf8" });
  const match = !r.error && r.status === 0 && /^(\d+)\./.exec(r.stdout.trim().split("\n").pop());
  return match ? Number(match[1]) : 0;
}

/** The Jupyter to use: { command, app, version, where, venv }, or null when there is none yet. */
function findJupyter() {
  const places = [];
  if (fs.existsSync(venvBin(VENV, "jupyter")) && finished(VENV)) places.push({ command: venvBin(VENV, "jupyter"), where: ".venv/", venv: true });
  places.push({ command: "jupyter", where: "PATH", venv: false });
  for (const place of places) {
    for (const app of ["lab", "notebook"]) {
      const version = majorVersion(place.command, app);
      if (version > 0) return { ...place, app, version };
    }
  }
  return null;
}

/**
 * Serve the whole checkout (so exercises/ is in the file browser too) and open the notebook:
 * the URL Jupyter opens and prints is the notebook's own. JupyterLab 3+ (LabApp) and Notebook 7
 * (JupyterNotebookApp) run on jupyter_server (ServerApp); classic Notebook 6 is its own NotebookApp.
 */
function serverArgs(jupyter, notebook) {
  const urlPath = notebook.split(path.sep).join("/");
  if (jupyter.app === "lab") return [`--ServerApp.root_dir=${ROOT}`, `--LabApp.default_url=/lab/tree/${urlPath}`];
  if (jupyter.version >= 7) return [`--ServerApp.root_dir=${ROOT}`, `--JupyterNotebookApp.default_url=/notebooks/${urlPath}`];
  return [`--NotebookApp.notebook_dir=${ROOT}`, `--NotebookApp.default_url=/notebooks/${urlPath}`];
}

/** No Jupyter anywhere: make .venv with JupyterLab (pip's progress on the terminal). */
function installJupyter() {
  const python = findPython();
  const pins = fs
    .readFileSync(requirementsFile("jupyter"), "utf8")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .join(", ");
  console.log(
    [
      "No Jupyter found (no `jupyter lab` or `jupyter notebook` on PATH), so npm start sets one up for this project:",
      `  ${python.command} -m venv .venv    (Python ${python.version}; the folder .venv/ here, ignored by git, about 250 MB)`,
      `  .venv pip install ${pins}`,
      "Later runs reuse it. To undo: delete .venv/. To use a Jupyter of your own instead, see README.md.",
    ].join("\n"),
  );
  ensureVenv({ dir: VENV, requirements: "jupyter", python, stdio: "inherit" });
  console.log("JupyterLab is installed in .venv/.");
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const notebook = path.join("notebooks", options.lang, "pooling.ipynb");
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) {
    console.log("Building the module (dist/ is missing) ...");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) process.exit(1);
  }

  let jupyter = findJupyter();
  if (!jupyter) {
    installJupyter();
    jupyter = findJupyter();
    if (!jupyter) throw new SetupError(`pip finished, but ${venvBin(VENV, "jupyter")} does not run: delete .venv/ and run npm start again.`);
  }
  // This copy's kernel, first on the JUPYTER_PATH of the Jupyter started here: another copy's
  // registration (in the user's Jupyter folder, say) is never used instead (scripts/jupyter/kernel.js).
  const { dir, displayName } = installKernel({ prefix: KERNEL_PREFIX });
  console.log(`Kernel "${displayName}": ${dir}`);

  const args = [jupyter.app, ...serverArgs(jupyter, notebook), ...options.jupyterArgs];
  if (process.getuid && process.getuid() === 0 && !args.includes("--allow-root")) {
    args.push("--allow-root");
    console.log("Running as root (a container?): passing --allow-root to Jupyter, which refuses root without it.");
  }
  const name = `${jupyter.app === "lab" ? "JupyterLab" : "Jupyter Notebook"} ${jupyter.version}`;
  console.log(`Opening ${notebook} in ${name} (${jupyter.where}): ${path.basename(jupyter.command)} ${args.join(" ")}`);
  const child = spawn(jupyter.command, args, { cwd: ROOT, stdio: "inherit", env: withCopyKernel() });
  // The grader the chapter's last cell asks, warmed up while the student reads (src/grader/warm/).
  spawn(process.execPath, [path.join(ROOT, "dist", "grader", "warm", "client.js"), "start"], { cwd: ROOT, stdio: "ignore", detached: true }).unref();
  child.on("error", (error) => {
    console.error(`could not start ${jupyter.command}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    spawnSync(process.execPath, [path.join(ROOT, "dist", "grader", "warm", "client.js"), "stop"], { cwd: ROOT, stdio: "ignore", timeout: 10_000 });
    process.exit(code ?? (signal ? 128 : 1));
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
}

try {
  main();
} catch (error) {
  console.error(error instanceof SetupError ? error.message : error.stack || String(error));
  process.exit(1);
}
