/**
 * The model fixtures: the files of test/fixtures (`models/` valid, `broken/` with errors), as
 * `dir/file.ts`, and the example files that serve as fixtures as they are, as
 * `examples/file.ts` (relative to the repository root). fixtures.json lists them all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const ROOT = path.resolve(__dirname, '..', '..');

/** Examples that are fixtures too (kept once, in examples/). */
const EXAMPLE_FIXTURES = ['examples/mnistConvnet.ts', 'examples/broken/residualWithoutProjection.ts'];

export function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['models', 'broken']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      if (f.endsWith('.ts')) out.push(`${dir}/${f}`);
    }
  }
  return [...out, ...EXAMPLE_FIXTURES];
}

/** The absolute path of a fixture as fixtureFiles() names it. */
export function fixturePath(fixture: string): string {
  return fixture.startsWith('examples/') ? path.join(ROOT, fixture) : path.join(FIXTURES, fixture);
}

/** Whether a fixture is one with errors (under a `broken/` folder). */
export function isBrokenFixture(fixture: string): boolean {
  return /(^|\/)broken\//.test(fixture);
}
