#!/usr/bin/env node
// `npm run test:busy`: run a test command beside CPU-bound processes, as on a laptop with a browser
// open or a CI machine shared with other work. The tests' time limits only catch hangs
// (test/helpers/hang.ts), so the command must pass here as it does on a quiet machine.
//
//   node scripts/ci/busy.js                          npm test beside two busy processes
//   node scripts/ci/busy.js -- npm run test:instructor
//   node scripts/ci/busy.js --procs 4 -- npm test
// Prints the command's wall time and the load average it ran at; exits with the command's status.
const os = require("node:os");
const { spawn } = require("node:child_process");

function parse(argv) {
  let procs = 2;
  let command = ["npm", "test"];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--procs") {
      procs = Number(argv[++i]);
      if (!Number.isInteger(procs) || procs < 0) throw new Error(`--procs takes a whole number (got '${argv[i]}')`);
    } else if (argv[i] === "--") {
      if (i + 1 < argv.length) command = argv.slice(i + 1);
      break;
    } else if (!argv[i].startsWith("-")) {
      // `npm run test:busy -- npm run test:instructor`: npm keeps the "--" to itself.
      command = argv.slice(i);
      break;
    } else {
      throw new Error(`unknown argument '${argv[i]}': use --procs N and -- COMMAND...`);
    }
  }
  return { procs, command };
}

function main() {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`test:busy: ${e.message}`);
    process.exit(2);
  }
  const { procs, command } = options;
  const busy = [];
  for (let i = 0; i < procs; i++) busy.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  const stopBusy = () => busy.forEach((p) => p.kill("SIGKILL"));
  process.on("exit", stopBusy);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

  console.log(`test:busy: ${command.join(" ")} beside ${procs} CPU-bound processes (${os.cpus().length} cores)`);
  const started = Date.now();
  const loads = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]), 10_000);
  const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
  child.on("close", (code, signal) => {
    clearInterval(sampler);
    stopBusy();
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const load = loads.length ? `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : "load not sampled";
    console.log(`test:busy: ${command.join(" ")} ${code === 0 ? "passed" : `failed (${signal ?? `exit ${code}`})`} in ${seconds} s beside ${procs} busy processes (${load})`);
    process.exit(code ?? 1);
  });
}

main();
