/**
 * How the panel imports a model module anew for every run (webview/training/modelLoader.ts
 * `freshUrl`): a query that makes the browser evaluate it again, except on blob: URLs, where a
 * query names nothing (the model worker makes a new blob: URL per load; a second Train imported
 * `blob:…?run=1` and failed).
 */
import * as assert from 'assert';
import { freshUrl } from '../../webview/training/modelLoader';

describe('freshUrl: a module URL evaluated anew per run', () => {
  it('leaves the first run alone', () => {
    assert.equal(
      freshUrl('https://file+.vscode-resource.vscode-cdn.net/x/model.mjs', 0),
      'https://file+.vscode-resource.vscode-cdn.net/x/model.mjs',
    );
  });

  it('adds a run query, after an existing query and before no fragment', () => {
    assert.equal(freshUrl('http://127.0.0.1:1/bundles/m.mjs', 2), 'http://127.0.0.1:1/bundles/m.mjs?run=2');
    assert.equal(freshUrl('http://127.0.0.1:1/m.mjs?v=1', 3), 'http://127.0.0.1:1/m.mjs?v=1&run=3');
    assert.equal(freshUrl('http://127.0.0.1:1/m.mjs#top', 1), 'http://127.0.0.1:1/m.mjs?run=1');
  });

  it('never changes a blob: URL (a query would make it name nothing)', () => {
    assert.equal(freshUrl('blob:http://127.0.0.1:1/6f1c', 1), 'blob:http://127.0.0.1:1/6f1c');
    assert.equal(freshUrl('blob:vscode-webview://abc/6f1c', 7), 'blob:vscode-webview://abc/6f1c');
  });
});
