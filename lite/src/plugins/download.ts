/**
 * One action for a student's hand-in: File → "Download exercises (zip)" (also in the command
 * palette) saves open documents, then downloads exercises/*.ts as one zip with the files at its top
 * level — what the instructor's batch grading takes as submissions/<student>/ and what Gradescope
 * takes as an upload.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { ICommandPalette } from "@jupyterlab/apputils";
import { IMainMenu } from "@jupyterlab/mainmenu";
import { downloadIcon } from "@jupyterlab/ui-components";
import { strToU8, zipSync } from "fflate";
import { readExercises } from "./exercise-files";

export const DOWNLOAD_COMMAND = "d2l:download-exercises";
export const ZIP_NAME = "d2l-pooling-exercises.zip";

export const downloadPlugin: JupyterFrontEndPlugin<void> = {
  id: "d2l-pooling-lite:download-exercises",
  description: "Downloads the student's exercise files as a zip.",
  autoStart: true,
  optional: [IMainMenu, ICommandPalette],
  activate: (app: JupyterFrontEnd, menu: IMainMenu | null, palette: ICommandPalette | null) => {
    app.commands.addCommand(DOWNLOAD_COMMAND, {
      label: "Download exercises (zip) / 下载练习（zip）",
      caption: "Your exercises/*.ts in one zip, to hand in / 把 exercises/*.ts 打包成一个 zip，用于提交",
      icon: downloadIcon,
      execute: async () => {
        // Unsaved edits in an open editor count: save them first.
        if (app.commands.hasCommand("docmanager:save-all")) await app.commands.execute("docmanager:save-all");
        const files = await readExercises(app.serviceManager.contents);
        const names = Object.keys(files).sort();
        if (names.length === 0) throw new Error("There are no exercise files (exercises/*.ts) to download / 没有可下载的练习文件。");
        const zip = zipSync(Object.fromEntries(names.map((n) => [`${n}.ts`, strToU8(files[n])])), { level: 6 });
        const url = URL.createObjectURL(new Blob([zip], { type: "application/zip" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = ZIP_NAME;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        return names;
      },
    });
    menu?.fileMenu.addGroup([{ command: DOWNLOAD_COMMAND }], 100);
    palette?.addItem({ command: DOWNLOAD_COMMAND, category: "Course / 课程" });
  },
};
