/**
 * The one object the webview gets from VS Code. `acquireVsCodeApi` may be called once per
 * page load, so the webview acquires it in `main.ts` and passes the typed wrapper around.
 */
import type { WebviewMessage } from '../protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Posts only messages of the typed protocol; the host validates them again. */
export interface HostChannel {
  post(message: WebviewMessage): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return { post: (message) => api.postMessage(message) };
}
