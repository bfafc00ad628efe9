/** Made by lite/build.js from lite/extensions.json. */
declare module "lite:extensions" {
  export const extensions: unknown[];
  export const disabled: string[];
}
