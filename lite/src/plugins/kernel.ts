/** Registers the TypeScript kernel ("TypeScript (d2l pooling)", the notebooks' kernelspec name). */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IKernelSpecs } from "@jupyterlite/services";
import { TypeScriptKernel } from "../kernel/kernel";
import { KernelWorker } from "../kernel/worker-handle";
import { ExerciseFiles } from "./exercise-files";

/** The kernelspec the committed notebooks name (test/helpers/kernel-checks.ts KERNEL_NAME). */
export const KERNEL_NAME = "d2l-pooling-typescript";

export const kernelPlugin: JupyterFrontEndPlugin<void> = {
  id: "d2l-pooling-lite:kernel",
  description: "The TypeScript kernel of the pooling chapter, running in a Web Worker.",
  autoStart: true,
  requires: [IKernelSpecs],
  activate: (app: JupyterFrontEnd, kernelspecs: IKernelSpecs) => {
    const workerUrl = new URL("kernel-worker.js", document.querySelector<HTMLScriptElement>("script[data-d2l-app]")!.src).href;
    const exercises = new ExerciseFiles(app.serviceManager.contents);
    // The first kernel's worker starts now, while JupyterLab is still starting; later kernels
    // (another notebook, a restart) start their own.
    let spare: KernelWorker | null = new KernelWorker(workerUrl);
    kernelspecs.register({
      spec: {
        name: KERNEL_NAME,
        display_name: "TypeScript (d2l pooling)",
        language: "typescript",
        argv: [],
        resources: {},
      },
      create: async (options) => {
        const worker = spare ?? new KernelWorker(workerUrl);
        spare = null;
        return new TypeScriptKernel({ ...options, worker, exercises: () => exercises.get() });
      },
    });
  },
};
