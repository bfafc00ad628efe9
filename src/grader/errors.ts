/** The grader itself cannot run (no exercises folder, no specs, no vitest, no sandbox): exit 2 with this message. */
export class GraderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraderError";
  }
}
