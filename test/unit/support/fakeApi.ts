/**
 * What the unit tests that talk to the fake Anthropic API share: one fake per test file, and
 * loggers whose lines are checked after every test for what must never be logged.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, beforeEach } from 'node:test';
import type { LlmLogger } from '../../../src/core/llm/turn';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../../fake-anthropic/server';

/**
 * A fake for the test file: started before its first test (handed to `started`), emptied
 * before each test, closed after the last.
 */
export function useFakeAnthropic(options: FakeAnthropicOptions, started: (fake: FakeAnthropic) => void): void {
  let fake: FakeAnthropic | undefined;
  before(async () => {
    fake = await startFakeAnthropic(options);
    started(fake);
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(() => fake?.reset());
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** A logger that keeps its lines. */
export type RecordingLogger = LlmLogger & { readonly lines: LogLine[] };

/**
 * Makes loggers that keep their lines; after each test of the file, no line any of them kept
 * may contain one of `never` (the key, the code that was sent).
 */
export function logRecorders(never: readonly string[]): () => RecordingLogger {
  const all: LogLine[] = [];
  afterEach(() => {
    for (const line of all) {
      for (const text of never) {
        assert.ok(!line.message.includes(text), `"${text}" in a log line: ${line.message}`);
      }
    }
  });
  return () => {
    const lines: LogLine[] = [];
    const push = (level: LogLine['level']) => (message: string) => {
      lines.push({ level, message });
      all.push({ level, message });
    };
    return { lines, info: push('info'), warn: push('warn'), error: push('error') };
  };
}
