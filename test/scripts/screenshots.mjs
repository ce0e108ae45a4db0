// `npm run screenshots`: runs the end-to-end suite in the real VS Code and copies the
// screenshots the README shows (those the tests save as `readme-<name>`) to docs/images/.
// The README's pictures are what the tests saw, never drawn by hand. With LINGUALEAP_E2E_FILES
// (e.g. `tools`) only those files run, and only their pictures are refreshed.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, run } from './common.mjs';

const SHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
const IMAGES = join(REPO_ROOT, 'docs', 'images');

rmSync(SHOTS, { recursive: true, force: true });
const code = await run('npm', ['run', 'test:e2e']);
if (code !== 0) {
  console.error('[screenshots] the e2e suite failed; docs/images/ was left as it was');
  process.exit(code);
}
mkdirSync(IMAGES, { recursive: true });
const copied = [];
for (const name of readdirSync(SHOTS)) {
  if (name.startsWith('readme-') && name.endsWith('.png')) {
    copyFileSync(join(SHOTS, name), join(IMAGES, name.slice('readme-'.length)));
    copied.push(name.slice('readme-'.length));
  }
}
console.log(`[screenshots] ${copied.length} image(s) in docs/images/: ${copied.join(', ')}`);
