/**
 * The one door to the agent-file analysis: a dynamic import, so the parser and its YAML
 * libraries are loaded when the first agent file is opened, not when the extension starts.
 * `esbuild.mjs` keeps `./agentCore.js` a separate bundle (`dist/agentCore.js`); bundled into
 * one file (the tests), esbuild makes it a lazily run part of that file.
 */
import type * as agentCore from './agentCore';

export type AgentCore = typeof agentCore;

let loading: Promise<AgentCore> | undefined;

/** The analysis, loaded once on first use. */
export function loadAgentCore(): Promise<AgentCore> {
  return (loading ??= import('./agentCore.js'));
}
