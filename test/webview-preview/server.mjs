// The local server both dev previews (the panel: webview-preview/preview.mjs, the usage view:
// usage-preview/preview.mjs) serve their page from: the page VS Code's host would build, its
// bundle and stylesheet, the stub `acquireVsCodeApi` script and a VS Code theme's variables,
// all from one 127.0.0.1 origin, never cached.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * Starts the server on a free port.
 * @param {{ page: (theme: string) => string, files: Record<string, [type: string, path: string]>, themeCss: (name: string) => string }} site
 *   `page`: the HTML for a theme (`/?theme=dark`); `files`: path -> content type and file on disk;
 *   `themeCss`: the stylesheet of `/theme.css?name=`.
 * @returns {Promise<{ origin: string, close(): void }>}
 */
export async function startPreviewServer(site) {
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const send = (type, body) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const file = site.files[url.pathname];
    if (url.pathname === '/') {
      send('text/html; charset=utf-8', site.page(url.searchParams.get('theme') ?? 'dark'));
    } else if (url.pathname === '/theme.css') {
      send('text/css', site.themeCss(url.searchParams.get('name') ?? 'dark'));
    } else if (file) {
      send(file[0], readFileSync(file[1]));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => server.close() };
}
