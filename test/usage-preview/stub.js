// Stands in for what VS Code provides inside a webview: `acquireVsCodeApi` and the theme's body
// class. Loaded as an external script with the page's nonce, so the view's CSP stays intact.
(() => {
  const script = document.currentScript;
  const theme = (script && script.dataset.theme) || 'dark';
  const record = { posted: [], violations: [] };
  window.__preview = record;
  document.addEventListener('securitypolicyviolation', (event) => {
    record.violations.push({ directive: event.violatedDirective, blockedURI: event.blockedURI, sample: event.sample });
  });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) {
      throw new Error('acquireVsCodeApi may only be called once');
    }
    acquired = true;
    return Object.freeze({
      postMessage: (message) => record.posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => undefined,
      setState: (state) => state,
    });
  };
  const kind = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast' }[theme] ?? 'vscode-dark';
  document.body.classList.add(kind);
  document.body.dataset.vscodeThemeKind = kind;
})();
