/**
 * The Model Graph test page: the real page code (webview/graph/) with a stub host that records
 * what the page posts; the test drives it through `window.graphTest`.
 */
import { startGraph } from '../../../../webview/graph/graphMain';
import { applyTheme } from '../../page/themes.mjs';
import type { ThemeKind } from '../../page/themes.mjs';

export interface GraphTestApi {
  posted: unknown[];
  /** Delivers a host message as VS Code does (a `message` event on the window). */
  send(message: unknown): void;
  theme(kind: ThemeKind): void;
}

const posted: unknown[] = [];
applyTheme('dark');
const root = document.getElementById('model-graph')!;
startGraph(root, (m) => posted.push(m));
const api: GraphTestApi = {
  posted,
  send: (message) => window.dispatchEvent(new MessageEvent('message', { data: message })),
  theme: (kind) => applyTheme(kind),
};
(window as unknown as { graphTest: GraphTestApi }).graphTest = api;
