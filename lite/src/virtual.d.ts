/** Made by lite/build.js from lite/extensions.json. */
declare module "lite:extensions" {
  export const extensions: unknown[];
  export const disabled: string[];
}

/** Made by lite/build.js: the graded specs of the folder the site is built from, and its recorded expected values. */
declare module "lite:specs" {
  /** Exercise id → imports its visible spec (test/exercises/<id>.test.ts). */
  export const specs: Record<string, () => Promise<unknown>>;
  /** Exercise id → test/exercises/expected/<id>.json's text (a student site; empty in the instructor's). */
  export const expected: Record<string, string>;
}
