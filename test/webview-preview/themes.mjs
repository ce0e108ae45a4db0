// The --vscode-* variables the workbench sets on a webview, with the values of VS Code's
// default themes (Dark Modern, Light Modern, Dark High Contrast), plus the default webview
// stylesheet VS Code injects (in the `vscode-default` layer, which page styles override).

const common = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-weight': 'normal',
  'font-size': '13px',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-weight': 'normal',
  'editor-font-size': '14px',
};

export const THEMES = {
  dark: {
    ...common,
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    focusBorder: '#0078d4',
    contrastBorder: '',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'widget-border': '#313131',
    'panel-border': '#2b2b2b',
    'editorWidget-background': '#202020',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'textPreformat-foreground': '#d0d0d0',
    'textPreformat-background': '#3c3c3c',
    'textCodeBlock-background': '#2b2b2b',
    'textBlockQuote-background': '#2b2b2b',
    'textBlockQuote-border': '#616161',
    errorForeground: '#f85149',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'editorWarning-foreground': '#cca700',
    'toolbar-hoverBackground': '#5a5d5e50',
    'charts-green': '#89d185',
    'debugIcon-stopForeground': '#f48771',
    'debugTokenExpression-name': '#c586c0',
    'debugTokenExpression-string': '#ce9178',
    'debugTokenExpression-boolean': '#4e94ce',
    'debugTokenExpression-number': '#b5cea8',
    'debugTokenExpression-error': '#f48771',
    'symbolIcon-classForeground': '#ee9d28',
    'symbolIcon-functionForeground': '#b180d7',
    'symbolIcon-variableForeground': '#75beff',
    'diffEditor-insertedTextBackground': '#9ccc2c33',
    'diffEditor-removedTextBackground': '#ff000033',
    'gitDecoration-addedResourceForeground': '#81b88b',
    'gitDecoration-deletedResourceForeground': '#c74e39',
    'scrollbarSlider-background': '#79797966',
    'scrollbarSlider-hoverBackground': '#646464b3',
    'scrollbarSlider-activeBackground': '#bfbfbf66',
  },
  light: {
    ...common,
    foreground: '#3b3b3b',
    descriptionForeground: '#3b3b3b',
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    focusBorder: '#005fb8',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'widget-border': '#e5e5e5',
    'panel-border': '#e5e5e5',
    'editorWidget-background': '#f8f8f8',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'textPreformat-foreground': '#3b3b3b',
    'textPreformat-background': '#0000001f',
    'textCodeBlock-background': '#f8f8f8',
    'textBlockQuote-background': '#f8f8f8',
    'textBlockQuote-border': '#e5e5e5',
    errorForeground: '#f85149',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'editorWarning-foreground': '#bf8803',
    'toolbar-hoverBackground': '#b8b8b850',
    'charts-green': '#388a34',
    'debugIcon-stopForeground': '#a1260d',
    'debugTokenExpression-name': '#9b46b0',
    'debugTokenExpression-string': '#a31515',
    'debugTokenExpression-boolean': '#0000ff',
    'debugTokenExpression-number': '#098658',
    'debugTokenExpression-error': '#e51400',
    'symbolIcon-classForeground': '#d67e00',
    'symbolIcon-functionForeground': '#652d90',
    'symbolIcon-variableForeground': '#007acc',
    'diffEditor-insertedTextBackground': '#9ccc2c40',
    'diffEditor-removedTextBackground': '#ff000033',
    'gitDecoration-addedResourceForeground': '#587c0c',
    'gitDecoration-deletedResourceForeground': '#ad0707',
    'scrollbarSlider-background': '#64646466',
    'scrollbarSlider-hoverBackground': '#646464b3',
    'scrollbarSlider-activeBackground': '#00000099',
  },
  hc: {
    ...common,
    foreground: '#ffffff',
    descriptionForeground: '#ffffff',
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    focusBorder: '#f38518',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryForeground': '#ffffff',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'widget-border': '#6fc3df',
    'panel-border': '#6fc3df',
    'editorWidget-background': '#0c141f',
    'textLink-foreground': '#21a6ff',
    'textLink-activeForeground': '#21a6ff',
    'textPreformat-foreground': '#ffffff',
    'textPreformat-background': '#000000',
    'textCodeBlock-background': '#000000',
    'textBlockQuote-background': '#000000',
    'textBlockQuote-border': '#ffffff',
    errorForeground: '#f48771',
    'inputValidation-errorBackground': '#000000',
    'inputValidation-errorBorder': '#6fc3df',
    'editorWarning-foreground': '#ff0000',
    'charts-green': '#89d185',
    'debugIcon-stopForeground': '#f48771',
    'debugTokenExpression-name': '#ffffff',
    'debugTokenExpression-string': '#f48771',
    'debugTokenExpression-boolean': '#75bdfe',
    'debugTokenExpression-number': '#89d185',
    'debugTokenExpression-error': '#f48771',
    'symbolIcon-classForeground': '#ee9d28',
    'symbolIcon-functionForeground': '#b180d7',
    'symbolIcon-variableForeground': '#75beff',
    'gitDecoration-addedResourceForeground': '#a1e3ad',
    'gitDecoration-deletedResourceForeground': '#c74e39',
    'scrollbarSlider-background': '#6fc3df99',
  },
};

const DEFAULT_WEBVIEW_STYLES = `@layer vscode-default {
  html { scrollbar-color: var(--vscode-scrollbarSlider-background) var(--vscode-editor-background); }
  body {
    overscroll-behavior-x: none; background-color: transparent; color: var(--vscode-editor-foreground);
    font-family: var(--vscode-font-family); font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size);
    margin: 0; padding: 0 20px;
  }
  img, video { max-width: 100%; max-height: 100%; }
  a, a code { color: var(--vscode-textLink-foreground); }
  p > a { text-decoration: var(--text-link-decoration); }
  a:hover { color: var(--vscode-textLink-activeForeground); }
  a:focus, input:focus, select:focus, textarea:focus { outline: 1px solid -webkit-focus-ring-color; outline-offset: -1px; }
  code {
    font-family: var(--monaco-monospace-font); color: var(--vscode-textPreformat-foreground);
    background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px;
  }
  pre code { padding: 0; }
  blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
  ::-webkit-scrollbar { width: 10px; height: 10px; }
  ::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
  ::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
  ::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
  ::-webkit-scrollbar-thumb:active { background-color: var(--vscode-scrollbarSlider-activeBackground); }
}`;

/** The stylesheet standing in for the variables VS Code sets on `<html>` and its default styles. */
export function themeCss(name) {
  const vars = THEMES[name] ?? THEMES.dark;
  const lines = Object.entries(vars)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `  --vscode-${key}: ${value};`);
  return `:root {\n${lines.join('\n')}\n}\n\n${DEFAULT_WEBVIEW_STYLES}\n`;
}
