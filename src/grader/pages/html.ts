/**
 * What every page of the gradebook shares: the frame, the style, and two rules — everything a
 * submission or a roster controls is escaped (`esc`), and every message is a `Text` shown in the
 * page's language (`say`), the specs' and the sandbox's too (a part's title and failure).
 */
import { escapeHtml } from "../../html/escape";
import { inLang, type Lang, type Text } from "../i18n";
import { safeLine } from "../terminal";

export const esc = escapeHtml;

/** A student's name (their folder's): escaped, control characters shown as \x1b like on a terminal. */
export const who = (id: string) => escapeHtml(safeLine(id));

/** A message of the grader's in the page's language, escaped. */
export const say = (t: Text, lang: Lang) => esc(inLang(t, lang));

/** A message from the specs or the sandbox (a part's title or feedback), or data the same in every language (a type checker's words), escaped. */
export const said = (t: Text | string, lang: Lang) => esc(inLang(t, lang));

/** JSON that is safe inside an inline <script>. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const STYLE = `
body{font-family:system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}
table{border-collapse:collapse}td,th{vertical-align:top;padding:4px 8px;border-top:1px solid #d0d7de;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:6px;margin:4px 0;font-size:90%}
small,.dim{color:#57606a;font-weight:normal}.tag{font-size:75%;background:#ddf4ff;padding:1px 4px;border-radius:3px;white-space:nowrap}
.flag{display:inline-block;font-size:80%;background:#fff8c5;border:1px solid #d4a72c;padding:0 4px;border-radius:3px;margin:1px}
.banner{padding:8px 12px;border-radius:6px;margin:1rem 0}.safe{background:#dafbe1;border:1px solid #4ac26b}.full{background:#fff8c5;border:1px solid #d4a72c}.stop{background:#ffebe9;border:1px solid #ff8182}
.types pre{background:#fff8c5}.big{font-size:130%}.nowrap{white-space:nowrap}`;

export function page(o: { lang: Lang; title: string; body: string; head?: string }): string {
  return `<!doctype html>
<html lang="${o.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style>${STYLE}</style>${o.head ?? ""}</head><body>
${o.body}
</body></html>
`;
}

/** An ISO time as a TA reads it: "2026-12-01 23:59 UTC". */
export const when = (iso: string) => iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");

/** "a, b and 3 more": a list cut short. */
export function shortList(items: readonly string[], max: number, lang: Lang): string {
  if (items.length <= max) return items.join(", ");
  const more = items.length - max;
  return `${items.slice(0, max).join(", ")}${lang === "zh" ? ` 等 ${items.length} 个` : ` and ${more} more`}`;
}
