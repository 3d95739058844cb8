/**
 * The Model Graph's layout thread: ELK's layered algorithm off the page's main thread, so a
 * large model never freezes the view. Started from a blob of dist/webview/graphLayout.js
 * (see layoutClient.ts). Message in: `{ id, graph }` (an ELK graph); out: `{ id, layout }`
 * or `{ id, error }`.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from './elkGraph';

const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: ElkNode }>) => {
  const { id, graph } = event.data;
  try {
    const layout = (await elk.layout(graph as Parameters<typeof elk.layout>[0])) as ElkNode;
    self.postMessage({ id, layout });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
