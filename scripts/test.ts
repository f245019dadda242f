/**
 * `npm test`: typecheck, lint, format check, unit and integration tests (Vitest), then the end-to-end suite
 * (Playwright, serve mode in Chromium; Electron where a binary exists). Every step runs even if an earlier
 * one failed, so one run shows everything that is wrong; the last line sums up the tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = path.join(root, 'out', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

interface Step {
  name: string;
  command: string[];
  env?: Record<string, string>;
}

const npx = (...args: string[]) => ['npx', '--no-install', ...args];
const steps: Step[] = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: npx('eslint', '.', '--max-warnings=0') },
  { name: 'format', command: npx('prettier', '--check', '--log-level=warn', '.') },
  { name: 'test models', command: ['node', 'scripts/make-test-models.ts'] },
  { name: 'build', command: ['node', 'scripts/build.ts'] },
  {
    name: 'unit + integration',
    command: npx(
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(reports, 'vitest.json')}`,
    ),
  },
  {
    name: 'end to end',
    command: npx('playwright', 'test', '--reporter=list,json'),
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, 'playwright.json') },
  },
];

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  process.stdout.write(`\n▶ ${step.name}: ${step.command.join(' ')}\n`);
  const started = Date.now();
  const [command, ...args] = step.command;
  const run = spawnSync(command!, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...step.env },
  });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const skippedReasons: string[] = [];
countVitest();
countPlaywright();

process.stdout.write('\n');
for (const result of results) {
  process.stdout.write(`${result.ok ? '✔' : '✘'} ${result.name.padEnd(20)} ${result.seconds.toFixed(1)} s\n`);
}
for (const reason of skippedReasons) process.stdout.write(`  skipped: ${reason}\n`);
const failedSteps = results.filter((result) => !result.ok);
if (failedSteps.length > 0) {
  process.stdout.write(`failed steps: ${failedSteps.map((step) => step.name).join(', ')}\n`);
  // A step that fails outside any test (typecheck, lint, a crashed runner) still fails the summary.
  counts.failed = Math.max(counts.failed, 1);
}
process.stdout.write(
  `Summary: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
);
process.exit(failedSteps.length > 0 ? 1 : 0);

function countVitest(): void {
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>('vitest.json');
  if (!report) return;
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
  counts.skipped += report.numPendingTests + report.numTodoTests;
}

function countPlaywright(): void {
  interface Spec {
    title: string;
    tests: {
      status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
      annotations?: { type: string; description?: string }[];
    }[];
  }
  interface Suite {
    specs?: Spec[];
    suites?: Suite[];
  }
  const report = readJson<{ suites: Suite[] }>('playwright.json');
  if (!report) return;
  const visit = (suite: Suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status === 'expected' || test.status === 'flaky') counts.passed++;
        else if (test.status === 'skipped') {
          counts.skipped++;
          const reason = test.annotations?.find((annotation) => annotation.type === 'skip')?.description;
          skippedReasons.push(`${spec.title}${reason ? ` — ${reason}` : ''}`);
        } else counts.failed++;
      }
    }
    suite.suites?.forEach(visit);
  };
  report.suites.forEach(visit);
}

function readJson<T>(name: string): T | null {
  try {
    return JSON.parse(readFileSync(path.join(reports, name), 'utf8')) as T;
  } catch {
    return null;
  }
}
