/**
 * The grader speaks two languages: 中文 (most of our students read it first) and English. Every text
 * it shows a student or a TA — part titles, failures, hints, notes about files, tables, pages — is a
 * `Text` with both, made where the message is written and rendered in one language only at the end
 * (a terminal, a notebook, a feedback page). So a message cannot exist in one language only: the
 * type does not allow it.
 *
 *   fail(text(`${call} 的形状不对`, `${call}: wrong shape`));
 *   inLang(message, "zh");
 */

export type Lang = "zh" | "en";
export const LANGS: readonly Lang[] = ["zh", "en"];

/** A message in both languages. Plain data: it crosses processes as JSON. */
export interface Text {
  readonly zh: string;
  readonly en: string;
}

export function text(zh: string, en: string): Text {
  return { zh, en };
}

/** The same words in both languages: code, a call, numbers, a student's own text. */
export function same(s: string): Text {
  return { zh: s, en: s };
}

/** Pieces (texts or language-neutral strings) joined in each language. */
export function join(parts: readonly (Text | string)[], separator: Text | string = ""): Text {
  const sep = typeof separator === "string" ? same(separator) : separator;
  const pick = (lang: Lang) => parts.map((p) => (typeof p === "string" ? p : p[lang])).join(sep[lang]);
  return { zh: pick("zh"), en: pick("en") };
}

/** One language of a text (a plain string is language-neutral). */
export function inLang(t: Text | string, lang: Lang): string {
  return typeof t === "string" ? t : t[lang];
}

/** Applies `f` to both languages (cutting, escaping, indenting). */
export function mapText(t: Text, f: (s: string, lang: Lang) => string): Text {
  return { zh: f(t.zh, "zh"), en: f(t.en, "en") };
}

export function isText(v: unknown): v is Text {
  return v !== null && typeof v === "object" && typeof (v as Text).zh === "string" && typeof (v as Text).en === "string";
}

/** `--lang zh|en` as given, checked. */
export function parseLang(value: string): Lang {
  const v = value.trim().toLowerCase();
  if (v === "zh" || v.startsWith("zh-") || v.startsWith("zh_") || v === "cn" || v === "中文") return "zh";
  if (v === "en" || v.startsWith("en-") || v.startsWith("en_")) return "en";
  throw new Error(`--lang ${value}: the grader speaks zh (中文) and en (English)`);
}

/**
 * The user's language from the environment, as gettext reads it: LC_ALL, then LC_MESSAGES, then
 * LANG (`zh_CN.UTF-8` → zh); English otherwise.
 */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^zh([_.-]|$)/i.test(locale) ? "zh" : "en";
}
