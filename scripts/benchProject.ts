/**
 * The editor's analysis on a generated 200-file project (bench:analysis (d)-(f)):
 *   (d) re-analysing one file that imports the project's config and blocks, per edit (p95 < 16 ms)
 *   (e) a change to config.ts: re-analysing the 10 open files that import it (< 100 ms)
 *   (f) a builder called from 40 files: its analysis, with the search for its calls (< 50 ms)
 *   (g) the first analysis of the project, every file in turn as a fresh editor does it (the
 *       host analyses one file per turn of its event loop): the longest turn (< 50 ms) and the
 *       whole (a progress indication shows past 1 s)
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ProjectAnalyzer } from '../src/host/projectAnalyzer';

const FILES = 200;
const CALLERS = 40;

/** Writes the project; returns its folder. */
function generate(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'model-lens-bench-'));
  const src = path.join(dir, 'src');
  mkdirSync(src);
  writeFileSync(path.join(dir, 'package.json'), '{}');
  writeFileSync(
    path.join(src, 'config.ts'),
    'export const IMAGE = 28;\nexport const HIDDEN = 128;\nexport const CLASSES = 10;\n',
  );
  writeFileSync(
    path.join(src, 'blocks.ts'),
    "import * as tf from '@tensorflow/tfjs';\nexport function block(units: number) { return [tf.layers.dense({ units, activation: 'relu' }), tf.layers.dropout({ rate: 0.2 })]; }\n",
  );
  writeFileSync(
    path.join(src, 'builder.ts'),
    "import * as tf from '@tensorflow/tfjs';\nexport function buildModel(inputs: number, hidden: number) {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: hidden, inputShape: [inputs] }));\n  m.add(tf.layers.dense({ units: 1 }));\n  return m;\n}\n",
  );
  for (let i = 0; i < FILES - 3; i++) {
    const body =
      i < CALLERS
        ? `import { buildModel } from './builder';\nimport { HIDDEN } from './config';\nexport const m${i} = buildModel(${i + 2}, HIDDEN);\n`
        : `import * as tf from '@tensorflow/tfjs';\nimport { CLASSES, HIDDEN, IMAGE } from './config';\nimport { block } from './blocks';\nexport const m${i} = tf.sequential();\nm${i}.add(tf.layers.flatten({ inputShape: [IMAGE, IMAGE, 1] }));\nfor (const l of block(HIDDEN + ${i})) m${i}.add(l);\nm${i}.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));\n`;
    writeFileSync(path.join(src, `model${i}.ts`), body);
  }
  return dir;
}

export interface ProjectBenchReport {
  (label: string, value: string, goal: string, pass: boolean | null): void;
}

export function benchProject(
  report: ProjectBenchReport,
  percentile: (v: number[], p: number) => number,
  ms: (t: number) => string,
): void {
  const dir = generate();
  try {
    const src = path.join(dir, 'src');
    const open = new Map<string, string>();
    const project = new ProjectAnalyzer({ openText: (f) => open.get(f), assumptions: () => ({}) });
    const time = (fn: () => unknown): number => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    const file = path.join(src, `model${CALLERS + 7}.ts`);
    const base = `import * as tf from '@tensorflow/tfjs';\nimport { CLASSES, HIDDEN, IMAGE } from './config';\nimport { block } from './blocks';\nexport const m = tf.sequential();\nm.add(tf.layers.flatten({ inputShape: [IMAGE, IMAGE, 1] }));\nfor (const l of block(HIDDEN)) m.add(l);\nm.add(tf.layers.dense({ units: CLASSES + __EDIT__ }));\n`;
    const edits: number[] = [];
    for (let i = 0; i < 220; i++) {
      const t = time(() => project.analyze(file, base.replace('__EDIT__', String(i))));
      if (i >= 20) edits.push(t);
    }
    report(
      `(d) ${FILES}-file project: one importing file, per edit (200 edits)`,
      `${ms(percentile(edits, 95))} p95`,
      '< 16 ms',
      percentile(edits, 95) < 16,
    );

    const dependents = Array.from({ length: 10 }, (_, k) => path.join(src, `model${CALLERS + k}.ts`));
    const changes: number[] = [];
    for (let round = 0; round < 20; round++) {
      open.set(
        path.join(src, 'config.ts'),
        `export const IMAGE = 28;\nexport const HIDDEN = ${100 + round};\nexport const CLASSES = 10;\n`,
      );
      changes.push(time(() => dependents.forEach((f) => project.analyze(f, readFileSync(f, 'utf8')))));
    }
    report(
      '(e) config.ts changed: its 10 open importers re-analysed',
      `${ms(percentile(changes, 50))} median, ${ms(Math.max(...changes))} max`,
      '< 100 ms',
      Math.max(...changes) < 100,
    );

    const builder = path.join(src, 'builder.ts');
    const text = readFileSync(builder, 'utf8');
    const builds: number[] = [];
    let shown = '';
    for (let i = 0; i < 10; i++) {
      builds.push(
        time(() => {
          const r = project.analyze(builder, text + `// ${i}\n`);
          shown = r.models[0]?.callSite ? `for ${r.models[0].callSite.label} of ${r.models[0].callSite.count}` : 'no call found';
        }),
      );
    }
    report(
      `(f) a builder called from ${CALLERS} files (${shown})`,
      `${ms(Math.max(...builds))} max`,
      '< 50 ms',
      Math.max(...builds) < 50,
    );

    // A fresh analyzer (no file lists read yet), every file of the project once.
    const fresh = new ProjectAnalyzer({ openText: () => undefined, assumptions: () => ({}) });
    const files = [path.join(src, 'builder.ts'), ...Array.from({ length: FILES - 3 }, (_, k) => path.join(src, `model${k}.ts`))];
    const turns = files.map((f) => time(() => fresh.analyze(f, readFileSync(f, 'utf8'))));
    const whole = turns.reduce((a, b) => a + b, 0);
    report(
      `(g) first analysis of all ${files.length} files, one per turn`,
      `${ms(Math.max(...turns))} longest turn (${ms(turns[0]!)} the first: it lists the project), ${ms(whole)} in all${whole > 1000 ? ' (progress shown)' : ''}`,
      '< 50 ms a turn',
      Math.max(...turns) < 50,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
