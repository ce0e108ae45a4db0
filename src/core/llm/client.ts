/**
 * Creates the Anthropic client from explicit settings only. Pure: no `vscode`.
 */
import Anthropic from '@anthropic-ai/sdk';
import { MissingApiKeyError } from './errors';
import type { ConnectionSettings } from './types';

/** The SDK must never write anything, above all not request details that could hold the key. */
const SILENT_LOGGER = { error: noop, warn: noop, info: noop, debug: noop };

function noop(): void {
  // Deliberately empty.
}

/**
 * One client per (key, base URL): creating one per request would throw away the HTTP
 * connection pool. Kept private so nothing can read the key back out of the cache.
 */
let cached: { readonly apiKey: string; readonly baseUrl: string | undefined; readonly client: Anthropic } | undefined;

/**
 * Returns the client for `settings`, creating it on first use.
 *
 * The key is always passed explicitly, because an SDK left to itself reads
 * `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and credential profiles from disk; the
 * extension's key lives in SecretStorage and nowhere else. `baseURL` is passed only when
 * given (the SDK then falls back to `ANTHROPIC_BASE_URL`, then the official endpoint).
 * Retries are set per request by the caller, so they are not part of the cache key.
 *
 * @throws MissingApiKeyError when the key is empty.
 */
export function getClient(settings: ConnectionSettings): Anthropic {
  const apiKey = settings.apiKey.trim();
  if (apiKey === '') {
    throw new MissingApiKeyError();
  }
  const baseUrl = settings.baseUrl?.trim() || undefined;
  if (cached && cached.apiKey === apiKey && cached.baseUrl === baseUrl) {
    return cached.client;
  }
  const client = new Anthropic({
    apiKey,
    ...(baseUrl !== undefined ? { baseURL: baseUrl } : {}),
    maxRetries: settings.maxRetries ?? 2,
    logLevel: 'off',
    logger: SILENT_LOGGER,
    // No tracing spans or trace headers: nothing leaves the machine but the request itself.
    openTelemetry: false,
  });
  cached = { apiKey, baseUrl, client };
  return client;
}

/** Forgets the cached client, e.g. after the key was cleared, so the key is not kept in memory. */
export function resetClientCache(): void {
  cached = undefined;
}

let httpWarmed = false;

/**
 * Loads Node's fetch machinery (undici), which the SDK sends through, ahead of the first
 * request: called while the first question is typed, so the request after Enter does not pay
 * for it (about 100 ms on two busy cores, `test/bench/firstPaint.mjs`). A `data:` URL goes
 * through fetch without touching the network. Once per extension host.
 */
export function warmUpHttp(): void {
  if (httpWarmed) {
    return;
  }
  httpWarmed = true;
  void fetch('data:,')
    .then((response) => response.arrayBuffer())
    .catch(() => undefined);
}
