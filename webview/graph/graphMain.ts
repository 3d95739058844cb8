/**
 * The Model Graph's entry point in the VS Code webview: `acquireVsCodeApi()` as the page's
 * Transport, and the layout worker started from dist/webview/graphLayout.js beside this script.
 */
import type { GraphToHost, HostToGraph } from '../../src/shared/graphMessages';
import { isHostToGraph } from '../../src/shared/graphMessages';
import type { Transport } from '../../src/shared/messages';
import { GraphApp } from './graphApp';
import { LayoutClient } from './layoutClient';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export function graphTransport(post: (m: unknown) => void): Transport<HostToGraph, GraphToHost> {
  return {
    post: (message) => post(message),
    onMessage: (listener) => {
      const onMessage = (event: MessageEvent<unknown>): void => {
        if (isHostToGraph(event.data)) listener(event.data);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}

/** Starts the page in `root`; the worker script sits beside this module (`graphLayout.js`). */
export function startGraph(root: HTMLElement, post: (m: unknown) => void): GraphApp {
  const client = LayoutClient.start(new URL('graphLayout.js', import.meta.url).href);
  const layout = async (graph: Parameters<LayoutClient['layout']>[0]) => (await client).layout(graph);
  return new GraphApp(root, graphTransport(post), layout);
}

const root = document.getElementById('model-graph');
if (root !== null && typeof acquireVsCodeApi === 'function') {
  const api = acquireVsCodeApi();
  startGraph(root, (m) => api.postMessage(m));
}
