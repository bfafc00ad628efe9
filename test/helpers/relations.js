// What a comparison in the notebooks' prose means: {{0.6930 @measure > 0.4464 @measure}} in a notebook
// source (scripts/notebooks/source.js) must hold for the two numbers as printed. Shared by the builder,
// which refuses a false relation, and by every run of a notebook (./kernel-checks.ts), which checks the
// built notebooks' metadata. Plain JavaScript: the builder is plain Node, and the student copy, which
// has test/helpers but no scripts/notebooks, runs the notebook checks too.

/** The relations a comparison may state. `≈`: within 5% of the larger magnitude ("about the same"). */
const RELATIONS = {
  "<": (x, y) => x < y,
  ">": (x, y) => x > y,
  "=": (x, y) => x === y,
  "≈": (x, y) => Math.abs(x - y) <= 0.05 * Math.max(Math.abs(x), Math.abs(y)),
};

/** Why `a op b` does not hold for two numbers as printed, or null when it does. */
function relationProblem(a, op, b) {
  const [x, y] = [Number(a), Number(b)];
  if (!(op in RELATIONS)) return `unknown relation '${op}' (use <, >, = or ≈)`;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return "both sides of a comparison must be numbers as printed";
  return RELATIONS[op](x, y) ? null : `${a} ${op} ${b} is false: the prose says the opposite of what the numbers show`;
}

module.exports = { relationProblem, RELATIONS };
