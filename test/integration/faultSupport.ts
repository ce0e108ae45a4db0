/**
 * Reading the extension's log from the tests: the file VS Code writes the "LinguaLeap
 * Architect" LogOutputChannel to, `<logs>/exthost*\/lingualeap.lingualeap-architect/LinguaLeap Architect.log`
 * (the folder of the extension's `context.logUri`). The tests run in the extension host, so the
 * logs root is found from code-server's session socket (in the user-data dir) or VSCODE_LOGS.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const EXTENSION_ID = 'lingualeap.lingualeap-architect';
const LOG_NAME = 'LinguaLeap Architect.log';

/**
 * The extension's log file: `<logs>/exthost*\/lingualeap.lingualeap-architect/LinguaLeap Architect.log`,
 * the file VS Code writes a LogOutputChannel to (`context.logUri`'s folder). The logs root is
 * found from code-server's session socket (in the user-data dir) or VSCODE_LOGS.
 */
export function findExtensionLogs(): string[] {
  const roots = new Set<string>();
  if (process.env.VSCODE_LOGS) {
    roots.add(process.env.VSCODE_LOGS);
  }
  if (process.env.CODE_SERVER_SESSION_SOCKET) {
    roots.add(join(dirname(process.env.CODE_SERVER_SESSION_SOCKET), 'logs'));
  }
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !existsSync(dir)) {
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path, depth + 1);
      } else if (entry.name === LOG_NAME && dir.endsWith(EXTENSION_ID)) {
        found.push(path);
      }
    }
  };
  for (const root of roots) {
    walk(root, 0);
  }
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/** Waits until the extension's log has a line with `requestId` (and `also`); returns it. */
export async function logLineWith(requestId: string, also?: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  let files: string[] = [];
  for (;;) {
    files = findExtensionLogs();
    for (const file of files) {
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.includes(`id=${requestId}`) && (!also || also.test(l)));
      if (line) {
        return line;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no log line with id=${requestId}${also ? ` and ${also}` : ''} in ${files.join(', ') || '(no log file found)'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}


/** Waits until the extension's log has a line matching every pattern; returns it. */
export async function logLineMatching(patterns: readonly RegExp[], timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of findExtensionLogs()) {
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => patterns.every((p) => p.test(l)));
      if (line) {
        return line;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no log line matching ${patterns.join(' and ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
