/**
 * One kernel per notebook, even for notebooks of the same name in different folders.
 *
 * JupyterLab names a notebook's session after its file name ("pooling.ipynb"), and JupyterLite 0.8's
 * session client (LiteSessionClient.startNew in @jupyterlite/services) hands back any running
 * session with the same name: notebooks/en/pooling.ipynb would get the kernel of
 * notebooks/zh/pooling.ipynb, or hang on it when that one was shut down. JupyterLite's own
 * session-context-patch plugin names sessions by their full path, but only for files on other
 * drives; this does the same for the default drive, the one the course's files live on.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IDocumentManager, IDocumentWidgetOpener } from "@jupyterlab/docmanager";

export const sessionNamesPlugin: JupyterFrontEndPlugin<void> = {
  id: "d2l-pooling-lite:session-names",
  description: "Names each notebook's session by its path, so same-named notebooks get kernels of their own.",
  autoStart: true,
  requires: [IDocumentManager, IDocumentWidgetOpener],
  activate: (_app: JupyterFrontEnd, docManager: IDocumentManager, opener: IDocumentWidgetOpener) => {
    opener.opened.connect((_, widget) => {
      const context = docManager.contextForWidget(widget);
      if (!context) return;
      const session = context.sessionContext as unknown as { _name: string; _path: string };
      session._name = context.path;
      session._path = context.path;
    });
  },
};
