/**
 * The GitHub Classroom workflow of the student copy (.github/workflows/classroom.yml), written by
 * `npm run release` from the manifest: on every push it installs the copy, grades it with the visible
 * tests (./classroom.ts) and hands each part's result to GitHub Classroom's reporter, whose job name
 * (`run-autograding-tests`) and inputs Classroom reads. The runners listed here and the outputs
 * classroom.ts writes come from the same list (classroomRunners), so they cannot drift apart.
 */
import { classroomRunners } from "./classroom";

export const WORKFLOW_PATH = ".github/workflows/classroom.yml";
export const REPORTER = "classroom-resources/autograding-grading-reporter@v1";

export function classroomWorkflow(): string {
  const runners = classroomRunners();
  const env = runners.map((r) => `          ${r.id.toUpperCase()}_RESULTS: "\${{ steps.grade.outputs.${r.id} }}"`);
  return `# GitHub Classroom autograding for the Pooling exercises (d2l.ai 6.5) — written by npm run release.
# On every push: install the copy, grade exercises/ with the visible tests, write the table to the
# job summary and report the points (${runners.reduce((s, r) => s + r.points, 0)}) to GitHub Classroom.
name: Autograding
"on":
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 20
    steps:
      - name: Check out the repository
        uses: actions/checkout@v4
      - name: Set up Node 20
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install (npm ci builds the copy)
        run: npm ci --no-audit --no-fund
      - name: Grade with the visible tests
        id: grade
        run: node dist/grader/classroom.js
      - name: Report the points to GitHub Classroom
        uses: ${REPORTER}
        env:
${env.join("\n")}
        with:
          runners: ${runners.map((r) => r.id).join(",")}
`;
}
