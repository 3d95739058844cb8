// Starts code-server (a real VS Code in the browser) for the Model Lens checks and `npm start`.
//
//   Tests (the smoke-test driver, Model Lens in development mode from the URL's payload):
//   const server = await startServer({ nodeBin, codeServer });
//   page.goto(workbenchUrl(server, { folder: '/abs/examples', extensionDevelopmentPath: REPO_ROOT }));
//   await server.stop();
//
//   As users have it (`npm start`): no driver, Model Lens installed (listed in extensions.json):
//   const server = await startServer({ nodeBin, codeServer, testDriver: false, installExtensions: [REPO_ROOT], logDir });
//   page.goto(workbenchUrl(server, { folder: '/abs/examples' }));
//
// Everything lives in a fresh temporary folder (user data, extensions, config, log), removed on
// stop; with `logDir`, the logs are written there instead and stay. The server runs in its own
// process group; stop() ends the whole group, and so does this module when the process exits or
// gets SIGINT/SIGTERM.
//
// Facts this relies on (code-server 4.139 = VS Code 1.139):
//  - code-server ignores --extensionDevelopmentPath. The workbench reads development options
//    from the URL's `payload` query parameter (JSON array of [key, value] pairs) only when the
//    server runs with `--vscode-option enable-smoke-test-driver`.
//  - that driver also changes what a user sees: no notification toast is ever shown
//    (NotificationsToasts.addToast returns early; they wait in the notification center), so
//    it is for the tests only. Without it an extension is loaded by installing it: VS Code loads
//    the extensions --extensions-dir's extensions.json lists (an entry's location may be any
//    folder), and deletes folders inside --extensions-dir that it does not list.
//  - payload values are URIs: on this server a path is `vscode-remote://HOST:PORT/abs/path`.
//  - with ["extensionTestsPath", uri] the remote extension host runs that module's `run()`,
//    then the page's `codeAutomationExit(code, logs)` is called (if defined) with its result.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const HOST = '127.0.0.1';

/** User settings: no welcome page, trust prompt, telemetry, update checks or AI side bar. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.codeLens': true,
};

/** @returns {Promise<number>} a port that was free on 127.0.0.1 a moment ago */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const running = new Set();
let hooksInstalled = false;

/** Last-resort cleanup: the group is killed even when the caller forgot stop(). */
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const server of running) server.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      const servers = [...running];
      Promise.allSettled(servers.map((server) => server.stop())).finally(() => {
        process.exit(128 + (os.constants.signals[signal] ?? 1));
      });
    });
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} VsCodeServer
 * @property {string} url            base URL, e.g. http://127.0.0.1:PORT/
 * @property {number} port
 * @property {string} authority      HOST:PORT (the `vscode-remote` authority)
 * @property {string} tempDir        user data, extensions, config and server.log live here
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile        code-server's stdout + stderr (in logDir when given, else in tempDir)
 * @property {string | undefined} logDir  the kept log folder (options.logDir), if any
 * @property {() => string} log      what code-server printed so far
 * @property {Promise<{ code: number | null, signal: string | null }>} exited  resolves when code-server exits
 * @property {() => Promise<void>} stop  ends the whole process group, removes tempDir (not logDir)
 */

/**
 * Installs the extension in `extensionDir` where it is: an entry in extensionsDir's
 * extensions.json (what VS Code writes when it installs a .vsix) whose location is the folder
 * itself, by its real path. Nothing is copied or linked: a rebuild of dist/ shows after a window
 * reload, and VS Code never deletes the folder (it deletes only extensions inside extensionsDir).
 * A symbolic link would not do: the extension host finds which extension called the API by the
 * (real) path of its module, and calls from a linked folder come from "Null Extension Description".
 * @returns {string} the extension's id (`publisher.name`)
 */
export function installExtensionInPlace(extensionsDir, extensionDir) {
  const source = realpathSync(extensionDir);
  const { publisher, name, version } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8'));
  if (!publisher || !name || !version)
    throw new Error(`installExtensionInPlace: ${source}/package.json lacks publisher, name or version`);
  const id = `${publisher}.${name}`.toLowerCase();
  const listFile = path.join(extensionsDir, 'extensions.json');
  let list = [];
  try {
    list = JSON.parse(readFileSync(listFile, 'utf8'));
  } catch {
    // none yet
  }
  list.push({
    identifier: { id },
    version,
    location: { $mid: 1, scheme: 'file', path: source.split(path.sep).join('/') },
    metadata: { installedTimestamp: Date.now(), source: 'vsix', pinned: true },
  });
  writeFileSync(listFile, `${JSON.stringify(list, null, 2)}\n`);
  return id;
}

/**
 * Starts code-server on 127.0.0.1 with a free port and waits until it serves.
 * @param {object} options
 * @param {string} options.nodeBin     Node 24 binary
 * @param {string} options.codeServer  code-server's out/node/entry.js
 * @param {Record<string, unknown>} [options.settings]  merged over DEFAULT_SETTINGS
 * @param {boolean} [options.echo]     also echo code-server's output to this process's stderr
 * @param {number} [options.timeoutMs] how long to wait for it to serve (default 90 s)
 * @param {boolean} [options.keepTempDir] leave tempDir in place on stop (debugging)
 * @param {boolean} [options.workspaceTrust] workspace trust on (default off, `--disable-workspace-trust`),
 *   with no trust prompt: a folder opens in Restricted Mode
 * @param {boolean} [options.testDriver] run with the smoke-test driver (default true): needed for
 *   workbenchUrl's payload (extensionDevelopmentPath, extensionTestsPath); hides notification toasts
 * @param {string[]} [options.installExtensions] extension folders to install (installExtensionInPlace)
 * @param {string} [options.logDir] keep the logs here (emptied first): server.log, and VS Code's
 *   own logs (remote agent, extension hosts, extensions' output channels) in vscode/
 * @returns {Promise<VsCodeServer>}
 */
export async function startServer(options) {
  // The free port can be taken between the probe and code-server's listen: try another.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String(error?.message).includes('EADDRINUSE')) throw error;
    }
  }
}

async function startOnce(
  {
    nodeBin,
    codeServer,
    settings = {},
    echo = false,
    timeoutMs = 90_000,
    keepTempDir = false,
    workspaceTrust = false,
    testDriver = true,
    installExtensions = [],
    logDir,
  },
  port,
) {
  installExitHooks();
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'model-lens-vscode-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const xdg = path.join(tempDir, 'xdg');
  const tmp = path.join(tempDir, 'tmp');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, xdg, tmp]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    `${JSON.stringify({ ...DEFAULT_SETTINGS, ...(workspaceTrust ? { 'security.workspace.trust.enabled': true } : {}), ...settings }, null, 2)}\n`,
  );
  // An explicit config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(tempDir, 'config.yaml');
  writeFileSync(configFile, `bind-addr: ${HOST}:${port}\nauth: none\ncert: false\n`);
  for (const extension of installExtensions) installExtensionInPlace(extensionsDir, extension);
  if (logDir) {
    rmSync(logDir, { recursive: true, force: true });
    mkdirSync(logDir, { recursive: true });
  }
  const logFile = path.join(logDir ?? tempDir, 'server.log');
  const logStream = createWriteStream(logFile);

  const args = [
    codeServer,
    '--config',
    configFile,
    '--bind-addr',
    `${HOST}:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(logDir ? ['--vscode-option', `logsPath=${path.join(logDir, 'vscode')}`] : []),
    '--vscode-option',
    'skip-welcome',
    '--vscode-option',
    'skip-release-notes',
  ];
  // A clean environment: no VSCODE_* of an editor this may run inside (code-server would hand
  // itself to that editor's CLI); XDG folders and TMPDIR inside tempDir, so nothing is left in
  // ~ or /tmp (VS Code's IPC sockets, tsserver's files) once tempDir is removed.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE'),
  );
  Object.assign(env, {
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_STATE_HOME: path.join(xdg, 'state'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    TMPDIR: tmp,
    CS_DISABLE_GETTING_STARTED_OVERRIDE: '1',
  });

  const child = spawn(nodeBin, args, { cwd: tempDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('startServer: code-server did not start');
  let output = '';
  let exited = null;
  const onData = (chunk) => {
    const text = chunk.toString();
    output += text;
    logStream.write(text);
    if (echo) process.stderr.write(text.replace(/^(?=.)/gm, '[code-server] '));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  let stopped = null;
  const server = {
    url: `http://${HOST}:${port}/`,
    port,
    authority: `${HOST}:${port}`,
    tempDir,
    userDataDir,
    extensionsDir,
    logFile,
    logDir,
    log: () => output,
    exited: exitPromise,
    /** Synchronous SIGKILL of the group (process 'exit' hook). */
    killNow() {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (!keepTempDir) rmSync(tempDir, { recursive: true, force: true });
    },
    stop() {
      stopped ??= (async () => {
        running.delete(server);
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // already gone
        }
        // The group includes the extension host and its children; give them 5 s to leave.
        const deadline = Date.now() + 5_000;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
        if (groupAlive(pid)) {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // already gone
          }
          while (groupAlive(pid) && Date.now() < deadline + 2_000) await sleep(50);
        }
        await new Promise((resolve) => logStream.end(resolve));
        if (!keepTempDir) rmSync(tempDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
  running.add(server);

  // Ready once /healthz answers (the web server is up) and the workbench page is served.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await server.stop();
      throw new Error(`startServer: code-server exited (${exited.code ?? exited.signal}) before serving:\n${output}`);
    }
    try {
      const health = await fetch(new URL('healthz', server.url), { signal: AbortSignal.timeout(2_000) });
      if (health.ok) {
        const page = await fetch(server.url, { signal: AbortSignal.timeout(5_000) });
        if (page.ok && (await page.text()).includes('workbench')) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`startServer: code-server did not serve within ${timeoutMs / 1000} s:\n${output}`);
    }
    await Promise.race([sleep(250), exitPromise]);
  }
  return server;
}

/** `vscode-remote://HOST:PORT/abs/path`: how the browser workbench names a server-side path. */
export function remoteUri(server, absolutePath) {
  const posix = path.resolve(absolutePath).split(path.sep).join('/');
  return `vscode-remote://${server.authority}${encodeURI(posix)}`;
}

/**
 * The workbench URL: `folder` opened, Model Lens (or any extension folder) in development
 * mode, optionally an extension test module (its `run()` is called in the extension host).
 * @param {VsCodeServer} server
 * @param {object} [options]
 * @param {string} [options.folder]                    absolute path of the folder to open
 * @param {string | string[]} [options.extensionDevelopmentPath]  absolute path(s)
 * @param {string} [options.extensionTestsPath]        absolute path of the suite's index.js
 * @param {Array<[string, string]>} [options.payload]  extra raw payload pairs
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, payload = [] } = {}) {
  const url = new URL(server.url);
  if (folder) url.searchParams.set('folder', path.resolve(folder));
  const pairs = [];
  const devPaths = extensionDevelopmentPath === undefined ? [] : [extensionDevelopmentPath].flat();
  for (const dir of devPaths) pairs.push(['extensionDevelopmentPath', remoteUri(server, dir)]);
  if (extensionTestsPath) pairs.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
  pairs.push(...payload);
  if (pairs.length > 0) url.searchParams.set('payload', JSON.stringify(pairs));
  return url.toString();
}

/** Reads a file the server wrote (e.g. its log) without throwing when it is gone. */
export function readIfPresent(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
