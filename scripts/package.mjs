// `npm run package`: a production build, then an offline .vsix with only what runs
// (.vscodeignore keeps sources, tests and node_modules out). Prints its size and contents.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
const out = `${name}-${version}.vsix`;
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'inherit' });
  } catch {
    console.error(`package: \`${args.slice(0, 2).join(' ')}\` failed (its output is above).`);
    process.exit(1);
  }
};
const VSCE = ['node_modules/@vscode/vsce/vsce', '--no-dependencies'];

run(process.execPath, ['scripts/build.mjs', '--production']);
// --no-dependencies: everything the extension needs is bundled into dist/ (no node_modules).
// README links stay relative: its images ship in the .vsix (media/), so they show offline too.
run(process.execPath, [VSCE[0], 'package', ...VSCE.slice(1), '--no-rewrite-relative-links', '--out', out]);
const listing = execFileSync(process.execPath, [VSCE[0], 'ls', '--no-dependencies'], { encoding: 'utf8' });
const files = listing.split('\n').filter(Boolean);
const mib = (statSync(out).size / 1024 / 1024).toFixed(2);
console.log(`\n${out}: ${mib} MiB, ${files.length} files`);
for (const f of files) console.log(`  ${f}`);
