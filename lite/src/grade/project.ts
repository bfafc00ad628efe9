/**
 * Where the browser kernel keeps the course project's files in its node:fs (../shims/fs.ts): the
 * grader finds the project root by its package.json above the module's own folder
 * (src/grader/paths.ts; lite/build.js puts every bundled module's __dirname under it), and reads the
 * exercises being graded and the recorded expected values from here.
 */
export const PROJECT = "/d2l-pooling";

/** The folder of the student's exercise files, as the grader sees them. */
export const EXERCISES_DIR = `${PROJECT}/exercises`;
