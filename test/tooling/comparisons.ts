/**
 * Comparative sentences in the notebooks' prose, for the test that ties each of them to printed
 * numbers (test/tooling/notebook-sources.test.ts).
 *
 * A comparison of two printed numbers is written {{0.6930 @measure > 0.4464 @measure}} in a notebook
 * source: the notebook shows "0.6930 > 0.4464", the markdown cell's metadata records the relation,
 * and the builder refuses it when it is false (scripts/notebooks/source.js). What no builder can see
 * is a sentence that says "more" and cites its numbers loosely ("0.6930 against 0.4464"), or none at
 * all: this file finds such sentences by their wording, in both languages.
 */

export interface Compare {
  left: { cell: string; text: string };
  op: string;
  right: { cell: string; text: string };
}

/**
 * Comparative wording. English: "more/larger/… than", "better/worse", "twice", "halves", "n-fold";
 * Chinese: 比…多/少/大/小/…, 更多/更大/…, 多于/少于/…, 不如, 减半, 翻倍, 倍.
 */
const COMPARATIVE: Record<"zh" | "en", RegExp[]> = {
  en: [
    /\b(more|less|fewer|larger|smaller|higher|lower|greater|faster|slower|stronger|weaker)\b(?:\s+[\w-]+){0,6}?\s+than\b/i,
    /\b(better|worse)\b/i,
    /\b(twice|halves|halved|doubles|doubled|[a-z]+fold)\b|\d-fold\b/i,
  ],
  zh: [
    /比[^，。；：,;:]{0,16}?(多|少|大|小|高|低|快|慢|好|差|强|弱)/,
    /更(多|少|大|小|高|低|快|慢|好|差|强|弱)/,
    /(多于|少于|大于|小于|高于|低于|不如|胜过|优于|减半|翻倍|\d+\s*倍|几倍|十倍)/,
  ],
};

/** Inline code naming a benchmark script: a sentence reporting what that script measured. */
const BENCH = "BENCH_SCRIPT";

/** The prose of a markdown cell without code, math, HTML tags and link targets, one sentence per entry. */
export function sentences(markdown: string): string[] {
  const prose = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`\n]*`/g, (code) => (/\bbench\/[\w-]+\.js\b/.test(code) ? BENCH : "CODE"))
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, "MATH")
    .replace(/<[^>\n]+>/g, " ")
    .replace(/\]\([^)\s]*\)/g, "]");
  return prose
    .split(/\n+|(?<=[.!?。！？；;])\s+|(?<=[。！？；])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export const isComparative = (sentence: string, lang: "zh" | "en"): boolean => COMPARATIVE[lang].some((re) => re.test(sentence));

/** A relation written by hand between numbers, e.g. "0.5 > 0.3" (it would not be checked). */
const BARE_RELATION = /\d\s*[<>≈]\s*-?\d/;

/**
 * The comparative sentences of one markdown cell that are not tied to printed numbers: each must
 * state its comparison as a checked relation (one of `compares`, as the notebook shows it) or name
 * the benchmark script whose runs it reports (`node bench/….js`: timings differ from run to run, so a
 * cell's printed times cannot be cited), and no sentence may write a relation between numbers by hand.
 */
export function untiedComparisons(markdown: string, compares: readonly Compare[], lang: "zh" | "en"): string[] {
  const shown = compares.map((c) => `${c.left.text} ${c.op} ${c.right.text}`);
  const problems: string[] = [];
  for (const sentence of sentences(markdown)) {
    const tied = shown.some((relation) => sentence.includes(relation));
    let rest = sentence;
    for (const relation of shown) rest = rest.split(relation).join(" ");
    if (BARE_RELATION.test(rest)) problems.push(`a relation written by hand (write it as {{a @cell > b @cell}}): ${sentence}`);
    else if (isComparative(sentence, lang) && !tied && !sentence.includes(BENCH)) problems.push(`a comparison without a checked relation of printed numbers: ${sentence}`);
  }
  return problems;
}
