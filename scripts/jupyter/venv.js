// Python environments the project makes for itself, so nothing is installed outside them:
//   .venv/                      `npm start`'s JupyterLab (project-local, ignored by git)
//   ~/.cache/d2l-pooling/venvs/ the tests' JupyterLab + Notebook 7 and the fixture generators'
//                               PyTorch, one venv per requirements file and Python version
// Each is `python3 -m venv DIR` + `DIR/bin/python -m pip install -r REQUIREMENTS`, with
//   jupyter   scripts/jupyter/requirements.txt    (npm start, the browser tests)
//   fixtures  scripts/requirements-fixtures.txt   (npm run fixtures: PyTorch)
// It lives in scripts/jupyter/ with start.js, because the student copy (npm run release) ships
// that folder and npm start needs this file and the requirements beside it.
// A stamp file says the install finished and from which requirements, so a later run reuses
// the venv, and a run that was interrupted (or whose requirements changed) is redone.
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const STAMP = "d2l-pooling-venv.json";
const MIN_PYTHON = [3, 9]; // JupyterLab 4 and PyTorch 2 need 3.9 or newer

class SetupError extends Error {}

const isWindows = process.platform === "win32";

/** A program inside a venv: DIR/bin/NAME (DIR\Scripts\NAME.exe on Windows). */
function venvBin(dir, name) {
  return isWindows ? path.join(dir, "Scripts", `${name}.exe`) : path.join(dir, "bin", name);
}

const REQUIREMENTS = {
  jupyter: path.join(__dirname, "requirements.txt"),
  fixtures: path.join(ROOT, "scripts", "requirements-fixtures.txt"),
};

function requirementsFile(name) {
  if (!REQUIREMENTS[name]) throw new Error(`no requirements named ${name}`);
  return REQUIREMENTS[name];
}

/**
 * The Python to make venvs with: $PYTHON, else python3 (py -3 or python on Windows).
 * Throws a SetupError saying what to install when there is none, or it is too old.
 */
function findPython(env = process.env) {
  const candidates = env.PYTHON ? [[env.PYTHON]] : isWindows ? [["py", "-3"], ["python"]] : [["python3"]];
  const probe = "import sys; print('%d.%d.%d' % sys.version_info[:3])";
  for (const [command, ...pre] of candidates) {
    const r = spawnSync(command, [...pre, "-c", probe], { env, encoding: "utf8" });
    if (r.status !== 0 || !/^\d+\.\d+\.\d+/.test(r.stdout)) continue;
    const version = r.stdout.trim();
    const [major, minor] = version.split(".").map(Number);
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      throw new SetupError(
        `${[command, ...pre].join(" ")} is Python ${version}; JupyterLab 4 needs Python ${MIN_PYTHON.join(".")} or newer.\n` +
          "Install a newer Python 3 (https://www.python.org/downloads/, or your system's package manager), then run `npm start` again.",
      );
    }
    return { command, pre, version };
  }
  throw new SetupError(
    [
      "Python 3 is not installed (no `python3` on PATH), and npm start needs it to install JupyterLab.",
      "Install Python 3.9 or newer, then run `npm start` again:",
      "  Debian/Ubuntu:  sudo apt-get install python3 python3-venv",
      "  macOS:          brew install python   (or https://www.python.org/downloads/)",
      "  Windows:        https://www.python.org/downloads/ (tick \"Add python.exe to PATH\")",
      "Or use a Jupyter you already have: see \"Use your own Jupyter\" in README.md.",
    ].join("\n"),
  );
}

function sha256(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

function readStamp(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP), "utf8"));
  } catch {
    return null;
  }
}

/** False for a venv this project started and did not finish (an interrupted pip install). */
function finished(dir) {
  const stamp = readStamp(dir);
  return stamp === null || stamp.complete === true;
}

function writeStamp(dir, stamp) {
  const file = path.join(dir, STAMP);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(stamp, null, 2) + "\n");
  fs.renameSync(`${file}.tmp`, file);
}

function run(command, args, { env, stdio, what }) {
  const r = spawnSync(command, args, { env, stdio, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new SetupError(`${what} could not start: ${r.error.message}`);
  if (r.status !== 0) {
    const output = stdio === "inherit" ? "" : `\n${(r.stdout || "") + (r.stderr || "")}`.trimEnd();
    throw Object.assign(new SetupError(`${what} failed (exit ${r.status ?? r.signal}).${output}`), { output });
  }
  return r;
}

/**
 * Make the venv DIR from the requirements named NAME (see REQUIREMENTS), or reuse it when a previous run finished the
 * same install. `stdio: "inherit"` shows pip's own progress; "pipe" keeps it for the error.
 * A venv left half-made (its stamp says unfinished, or the requirements changed) is made anew;
 * on failure the venv this call started is removed, so nothing half-installed is left behind.
 * A folder at DIR that this project did not make is never touched: a SetupError says so.
 */
function ensureVenv({ dir, requirements, python = findPython(), env = process.env, stdio = "inherit", log = console.log }) {
  const file = requirementsFile(requirements);
  const wanted = { requirements: path.relative(ROOT, file), sha256: sha256(fs.readFileSync(file, "utf8")), python: python.version };
  const stamp = readStamp(dir);
  if (stamp && stamp.complete && stamp.sha256 === wanted.sha256 && stamp.python === wanted.python && fs.existsSync(venvBin(dir, "python"))) {
    return { dir, created: false };
  }
  if (fs.existsSync(dir)) {
    if (!stamp) {
      throw new SetupError(
        `${dir} exists but was not made by this project's set-up, so it is left alone.\n` +
          `Install into it yourself (${venvBin(dir, "python")} -m pip install -r ${wanted.requirements}), or remove it and run again.`,
      );
    }
    log(stamp.complete ? `${dir}: ${wanted.requirements} changed, making it anew ...` : `${dir}: an earlier install did not finish, making it anew ...`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    run(python.command, [...python.pre, "-m", "venv", dir], {
      env,
      stdio,
      what: `${[python.command, ...python.pre].join(" ")} -m venv ${dir}`,
    });
    writeStamp(dir, { ...wanted, complete: false });
    run(venvBin(dir, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "-r", file], {
      env,
      stdio,
      what: `pip install -r ${wanted.requirements}`,
    });
    writeStamp(dir, { ...wanted, complete: true, made: new Date().toISOString() });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (error instanceof SetupError && /ensurepip|No module named venv/.test(`${error.message}${error.output || ""}`)) {
      error.message += "\nPython's venv module is missing: on Debian/Ubuntu, sudo apt-get install python3-venv";
    }
    throw error;
  }
  return { dir, created: true };
}

/** Where the tests' and generators' venvs live: $D2L_VENV_CACHE or ~/.cache/d2l-pooling/venvs. */
function cacheDir(env = process.env) {
  if (env.D2L_VENV_CACHE) return env.D2L_VENV_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "d2l-pooling", "venvs");
}

/**
 * pip as configured on this machine, minus the waits on an index it cannot reach: where pip's
 * configuration names extra (local) indexes and none is set in the environment, the first
 * becomes the index and the rest the extra ones. Used by the tests and CI; `npm start` runs
 * pip exactly as the user configured it.
 */
function localIndexEnv(python, env = process.env) {
  if (env.PIP_INDEX_URL || env.PIP_NO_INDEX) return { ...env };
  const r = spawnSync(python.command, [...python.pre, "-m", "pip", "config", "get", "global.extra-index-url"], { env, encoding: "utf8" });
  const urls = r.status === 0 ? r.stdout.split(/\s+/).filter(Boolean) : [];
  if (urls.length === 0) return { ...env };
  return { ...env, PIP_INDEX_URL: urls[0], PIP_EXTRA_INDEX_URL: urls.slice(1).join(" "), PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

/**
 * A cached venv for the requirements named NAME, made under a lock so two test runs at once do not
 * build the same one together. pip's output is kept and shown only if the install fails.
 */
function cachedVenv(name, { env = process.env, log = console.log } = {}) {
  const python = findPython(env);
  const hash = sha256(fs.readFileSync(requirementsFile(name), "utf8")).slice(0, 12);
  const dir = path.join(cacheDir(env), `${name}-py${python.version}-${hash}`);
  const release = lock(`${dir}.lock`, log);
  try {
    const started = Date.now();
    const made = ensureVenv({ dir, requirements: name, python, env: localIndexEnv(python, env), stdio: "pipe", log });
    if (made.created) log(`made ${dir} from ${path.relative(ROOT, requirementsFile(name))} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { dir, python: venvBin(dir, "python"), bin: (program) => venvBin(dir, program) };
  } finally {
    release();
  }
}

/** A lock folder holding the owner's pid; a lock whose owner is gone is taken over. */
function lock(lockDir, log, timeoutMs = 15 * 60 * 1000) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const started = Date.now();
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let owner = 0;
    let age = 0;
    try {
      age = Date.now() - fs.statSync(lockDir).mtimeMs;
      owner = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8")) || 0;
    } catch {
      // the owner has not written its pid yet, or has just released the lock
    }
    if ((owner && !alive(owner)) || (!owner && age > 60_000)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!said) log(`waiting for process ${owner || "?"} to finish making ${lockDir.replace(/\.lock$/, "")} ...`);
    said = true;
    if (Date.now() - started > timeoutMs) throw new SetupError(`${lockDir} is still held by process ${owner} after ${timeoutMs / 60000} min`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

module.exports = { ROOT, SetupError, findPython, ensureVenv, finished, cachedVenv, localIndexEnv, venvBin, cacheDir, requirementsFile };
