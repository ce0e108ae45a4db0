/**
 * The one object the webview gets from VS Code. `acquireVsCodeApi` may be called once per
 * page load, so the webview acquires it in `main.ts` and passes the typed wrapper around.
 */
import { parsePanelViewState, type PanelViewState } from '../shared/panelState';
import type { WebviewMessage } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Posts only messages of the typed protocol; the host validates them again. */
export interface HostChannel {
  post(message: WebviewMessage): void;
  /** What VS Code keeps for this webview across hide/show and a window reload. */
  getState(): PanelViewState;
  setState(state: PanelViewState): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => parsePanelViewState(api.getState()),
    setState: (state) => void api.setState(state),
  };
}
