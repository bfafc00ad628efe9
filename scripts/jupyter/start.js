// `npm start`: register the kernel, then open the chapter in JupyterLab (or classic Notebook).
//   npm start            the Chinese chapter (notebooks/zh/pooling.ipynb)
//   npm start -- en      the English chapter
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");
const { ROOT, installKernel } = require("./kernel");

function has(command, args) {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

function main() {
  const lang = process.argv.includes("en") ? "en" : "zh";
  const notebook = path.join("notebooks", lang, "pooling.ipynb");
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) {
    console.log("Building the module (dist/ is missing) ...");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) process.exit(1);
  }
  const { dir } = installKernel();
  console.log(`Kernel: ${dir}`);

  const app = has("jupyter", ["lab", "--version"]) ? "lab" : has("jupyter", ["notebook", "--version"]) ? "notebook" : null;
  if (!app) {
    console.error(
      [
        "Jupyter is not installed, so there is nothing to open the notebooks with.",
        "Install JupyterLab:            python3 -m pip install jupyterlab",
        "or, on Debian/Ubuntu:          sudo apt-get install jupyter-notebook",
        "then run `npm start` again.",
      ].join("\n"),
    );
    process.exit(1);
  }
  console.log(`Opening ${notebook} in ${app === "lab" ? "JupyterLab" : "Jupyter Notebook"} ...`);
  const child = spawn("jupyter", [app, notebook], { cwd: ROOT, stdio: "inherit" });
  child.on("exit", (code) => process.exit(code ?? 0));
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
}

main();
