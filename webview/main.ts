/**
 * The training panel's entry point in the VS Code webview: wraps `acquireVsCodeApi()` as the
 * panel's Transport and starts the app with the inspection views. Everything else gets its host
 * injected (see app/startPanel.ts), so the same app runs in the test page with a stub host.
 */
import type { HostToWebview, Transport, WebviewToHost } from '../src/shared/messages';
import { isHostToWebview } from '../src/shared/messages';
import { startPanel } from './app/startPanel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function vscodeTransport(api: VsCodeApi): Transport<HostToWebview, WebviewToHost> {
  return {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => {
      const onMessage = (event: MessageEvent<unknown>): void => {
        if (!isHostToWebview(event.data)) return;
        // Which model this panel trains, for the panel VS Code restores after a reload (its
        // serializer offers "Train again" on that model).
        if (event.data.type === 'init') {
          const { name, line, file } = event.data.target;
          api.setState({ target: { name, line, file } });
        }
        listener(event.data);
      };
      window.addEventListener('message', onMessage);
      return () => window.removeEventListener('message', onMessage);
    },
  };
}

const root = document.getElementById('model-lens-panel');
if (root !== null) startPanel(vscodeTransport(acquireVsCodeApi()), root);
