/**
 * A GraderError in both languages: thrown where the message is written, shown in the TA's language by
 * the command that catches it (./batch-cli.ts). Its `message` is the English one (logs, other callers).
 */
import { GraderError } from "./errors";
import { inLang, text, type Lang, type Text } from "./i18n";

export class TextError extends GraderError {
  constructor(readonly text: Text) {
    super(text.en);
  }
}

/** A GraderError in two languages. */
export const refuse = (zh: string, en: string) => new TextError(text(zh, en));

/** The message of any error in `lang` (a TextError's own translation, else its message). */
export function errorIn(e: unknown, lang: Lang): string {
  return e instanceof TextError ? inLang(e.text, lang) : e instanceof Error ? e.message : String(e);
}
