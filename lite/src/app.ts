/**
 * The site's JupyterLab, started as JupyterLite's own app/index.template.js starts it, with the
 * extensions of lite/extensions.json bundled in (no federated extensions) and our plugins:
 * the TypeScript kernel, the exercises download, unique session names.
 */
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { IServiceManager } from "@jupyterlab/services";
import { PluginRegistry, type IPlugin } from "@lumino/coreutils";
import { downloadPlugin } from "./plugins/download";
import { kernelPlugin } from "./plugins/kernel";
import { sessionNamesPlugin } from "./plugins/session-names";

/** Every extension module listed in lite/extensions.json (the build makes this module, with their styles). */
import { disabled, extensions } from "lite:extensions";

function pluginsOf(extension: unknown): IPlugin<JupyterLab, unknown>[] {
  const e = extension as { __esModule?: boolean; default?: unknown };
  const exports = e.default ?? e;
  const list = (Array.isArray(exports) ? exports : [exports]) as IPlugin<JupyterLab, unknown>[];
  return list.filter((p) => !disabled.includes(p.id) && !PageConfig.Extension.isDisabled(p.id));
}

async function main(): Promise<void> {
  const plugins = [...extensions, { default: [kernelPlugin, downloadPlugin, sessionNamesPlugin] }].flatMap(pluginsOf);
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);
  const availablePlugins = plugins.map((p) => ({ id: p.id, description: p.description, requires: p.requires ?? [], optional: p.optional ?? [], provides: p.provides ?? null, autoStart: p.autoStart, enabled: true, extension: "d2l-pooling-lite" }));
  const app = new JupyterLab({ pluginRegistry, serviceManager, mimeExtensions: [], availablePlugins });
  // As JupyterLite's own start-up does: the window title says which site this is.
  (app as { name: string }).name = PageConfig.getOption("appName") || "JupyterLite";
  // As `jupyter lab --expose-app-in-browser` does: tests (and curious students) can drive the app.
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = app;
  await app.start({ bubblingKeydown: true });
  await app.restored;
}

main().catch((e: Error) => {
  console.error(e);
  document.body.insertAdjacentHTML("afterbegin", `<pre style="color:#b00;padding:1em;white-space:pre-wrap">The site could not start / 页面无法启动：${String(e.message).replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}</pre>`);
});
