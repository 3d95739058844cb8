/** The model fixtures of test/fixtures (`models/` valid, `broken/` with errors), as `dir/file.ts`. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

export function fixtureFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['models', 'broken']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      if (f.endsWith('.ts')) out.push(`${dir}/${f}`);
    }
  }
  return out;
}
