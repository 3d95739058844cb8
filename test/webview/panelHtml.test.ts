import * as assert from 'node:assert/strict';
import { panelCsp, panelHtml } from '../../src/host/training/panelHtml';

describe('panelHtml (the training panel’s page and CSP)', () => {
  const options = {
    cspSource: 'https://*.vscode-cdn.net',
    nonce: 'r4nd0mN0nce0123456789abc',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/panel.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/panel.css',
  };

  it('allows scripts only by nonce or from the extension, WASM compilation, and nothing by default', () => {
    const csp = panelCsp(options.cspSource, options.nonce);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], [`'nonce-${options.nonce}'`, options.cspSource, "'wasm-unsafe-eval'", 'blob:']);
    assert.deepEqual(directives['worker-src'], ['blob:']);
    assert.deepEqual(directives['connect-src'], [options.cspSource, 'blob:']);
    assert.deepEqual(directives['img-src'], [options.cspSource, 'data:', 'blob:']);
    assert.deepEqual(directives['style-src'], [options.cspSource, "'unsafe-inline'"]);
    assert.deepEqual(directives['font-src'], [options.cspSource]);
    assert.ok(!csp.includes("'unsafe-eval'"), 'no eval');
  });

  it('loads the panel as one module script with the nonce, the stylesheet, and the panel root', () => {
    const html = panelHtml({ ...options, codiconsUri: 'https://x.vscode-cdn.net/codicon.css', title: 'Train <model>' });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-r4nd0mN0nce0123456789abc&#39;/,
    );
    assert.match(
      html,
      /<script type="module" nonce="r4nd0mN0nce0123456789abc" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/panel\.js"><\/script>/,
    );
    assert.match(
      html,
      /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/panel\.css">/,
    );
    assert.match(
      html,
      /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https:\/\/x\.vscode-cdn\.net\/codicon\.css">/,
    );
    assert.match(html, /<main id="model-lens-panel"/);
    assert.match(html, /<title>Train &lt;model&gt;<\/title>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'exactly one script');
  });

  it('rejects a nonce that could break out of the attribute', () => {
    assert.throws(() => panelHtml({ ...options, nonce: 'abc" onload="x' }), /nonce/);
    assert.throws(() => panelHtml({ ...options, nonce: 'short' }), /nonce/);
  });
});
