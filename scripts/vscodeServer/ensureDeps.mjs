// Installs what the real-VS-Code checks need, idempotently:
//   1. Debian packages: chromium (headless browser for the tests), libkrb5-dev + a C++
//      toolchain (code-server's native modules are compiled on install).
//   2. Node 24 and code-server (VS Code in the browser) into .cache/vscode-server/ (or
//      $MODEL_LENS_VSCODE_CACHE, to share one install between clones), from the
//      npm registry only. A marker file makes the second run instant.
//
//   node scripts/vscodeServer/ensureDeps.mjs             everything
//   node scripts/vscodeServer/ensureDeps.mjs --no-browser  skip chromium (npm start needs none)
//
// As a module: `await ensureDeps({ browser })` → the paths below (see DepsPaths).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned versions: code-server 4.139.x is VS Code 1.139 and requires Node 24. */
export const NODE_VERSION = '24.9.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** .cache/vscode-server/ (git-ignored); MODEL_LENS_VSCODE_CACHE moves it, e.g. to share it between clones. */
export const CACHE_DIR = process.env.MODEL_LENS_VSCODE_CACHE
  ? path.resolve(process.env.MODEL_LENS_VSCODE_CACHE)
  : path.join(REPO_ROOT, '.cache', 'vscode-server');
const MARKER = path.join(CACHE_DIR, '.installed.json');
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The npm package that ships the Node binary (bin/node) and its headers (include/node). */
function nodePackageName() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    throw new Error(`ensureDeps: only Linux x64/arm64 is supported (this is ${process.platform}-${process.arch})`);
  }
  return `node-linux-${arch}`;
}

/**
 * @typedef {object} DepsPaths
 * @property {string} nodeBin       Node 24 binary
 * @property {string} codeServer    code-server's entry script (run it with nodeBin)
 * @property {string} chromium      the browser for Playwright
 * @property {string} cacheDir
 */

/** @returns {DepsPaths} */
export function depsPaths() {
  const nodeDir = path.join(CACHE_DIR, 'node_modules', nodePackageName());
  return {
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServer: path.join(CACHE_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM_PATH,
    cacheDir: CACHE_DIR,
  };
}

const log = (message) => console.log(`[vscode-server] ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`ensureDeps: \`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}`);
  }
}

function dpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages: installed only when missing; `apt-get update` only when installing. */
function ensureAptPackages(browser) {
  const wanted = ['libkrb5-dev'];
  if (browser) wanted.push('chromium');
  if (!hasCommand('make')) wanted.push('make');
  if (!hasCommand('g++')) wanted.push('g++');
  if (!hasCommand('python3')) wanted.push('python3');
  installMissing(wanted);
}

/** Debian packages other tools need (the training bench's python3-torch): installed when missing. */
export function ensureDebianPackages(names) {
  installMissing(names);
}

function installMissing(wanted) {
  const missing = wanted.filter((name) => !dpkgInstalled(name) && !(name === 'chromium' && existsSync(CHROMIUM_PATH)));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && hasCommand('sudo') ? ['sudo', '-n'] : [];
  if (!isRoot && sudo.length === 0) {
    throw new Error(
      `ensureDeps: missing Debian packages ${missing.join(' ')}; install them with: apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env });
  try {
    // Wait (up to 5 min) for another apt/dpkg run to release its lock instead of failing.
    const lock = ['-o', 'DPkg::Lock::Timeout=300'];
    apt([...lock, 'update', '-qq']);
    apt([...lock, 'install', '-y', '-qq', ...missing]);
  } catch (error) {
    throw new Error(
      `ensureDeps: could not install Debian packages ${missing.join(' ')} (${error.message}); install them by hand: apt-get install -y ${missing.join(' ')}`,
      { cause: error },
    );
  }
}

function markerMatches() {
  try {
    const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
    const paths = depsPaths();
    return (
      marker.node === NODE_VERSION &&
      marker.codeServer === CODE_SERVER_VERSION &&
      marker.nodePackage === nodePackageName() &&
      existsSync(paths.nodeBin) &&
      existsSync(paths.codeServer)
    );
  } catch {
    return false;
  }
}

/** Node 24 + code-server into CACHE_DIR (its own package.json), compiled against Node 24. */
function ensureCodeServer() {
  if (markerMatches()) return;
  const started = Date.now();
  const nodePackage = nodePackageName();
  log(
    `installing ${nodePackage}@${NODE_VERSION} and code-server@${CODE_SERVER_VERSION} into ${CACHE_DIR} (one-off, a few minutes: native modules are compiled)`,
  );
  rmSync(MARKER, { force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const manifest = {
    name: 'model-lens-vscode-server-cache',
    private: true,
    description: 'Written by scripts/vscodeServer/ensureDeps.mjs: Node 24 + code-server for the real-VS-Code tests.',
    dependencies: { [nodePackage]: NODE_VERSION },
    // npm 11 runs dependency install scripts only when allowed here. code-server's postinstall
    // runs `npm install` in lib/vscode (whose own package.json allows its native modules).
    // argon2 (password hashing; unused with --auth none) ships prebuilt binaries: its install
    // script only rebuilds when none fits, and it failed now and then (cross-env not executable).
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: false },
  };
  writeFileSync(path.join(CACHE_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  // Step 1: the Node 24 binary package (no install scripts), with whatever Node runs this script.
  run('npm', ['install', ...quiet], { cwd: CACHE_DIR });
  const { nodeBin } = depsPaths();
  if (!existsSync(nodeBin)) throw new Error(`ensureDeps: ${nodeBin} is missing after npm install`);

  // Step 2: code-server, with npm itself running on Node 24 (its postinstall checks the Node
  // major in npm's user agent) and node-gyp pointed at Node 24's headers.
  const nodeDir = path.dirname(path.dirname(nodeBin));
  // Under `npm test`, the outer npm (Node 20) exports npm_* variables, npm_config_user_agent
  // among them: the inner npm would inherit "node/v20" and code-server's postinstall refuses.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
  };
  // (Step 1 pruned any earlier code-server, as package.json no longer lists it: its postinstall,
  // which builds the native modules, runs again in full.)
  run('npm', ['install', ...quiet, '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { cwd: CACHE_DIR, env });
  const vscodeModules = path.join(CACHE_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!existsSync(depsPaths().codeServer) || !existsSync(vscodeModules)) {
    throw new Error('ensureDeps: code-server is incomplete after npm install (its postinstall did not run?)');
  }

  writeFileSync(
    MARKER,
    `${JSON.stringify({ node: NODE_VERSION, nodePackage, codeServer: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Only the headless browser (Debian's chromium), for the webview tier and the training bench,
 * which run before (or without) the real-VS-Code checks on a fresh machine.
 * @returns {string} its path
 */
export function ensureChromium() {
  installMissing(['chromium']);
  return CHROMIUM_PATH;
}

/**
 * Makes sure everything is installed; returns the paths.
 * @param {{ browser?: boolean }} [options] browser: also chromium (default true)
 * @returns {Promise<DepsPaths>}
 */
export async function ensureDeps({ browser = true } = {}) {
  ensureAptPackages(browser);
  ensureCodeServer();
  const paths = depsPaths();
  log(`ready: node ${NODE_VERSION}, code-server ${CODE_SERVER_VERSION}${browser ? `, ${CHROMIUM_PATH}` : ''}`);
  return paths;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureDeps({ browser: !process.argv.includes('--no-browser') })
    .then(() => log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
