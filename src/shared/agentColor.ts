/**
 * An agent's `color` (Claude Code's palette: red, blue, green, yellow, purple, orange, pink,
 * cyan) as VS Code theme colors, so the accent follows the user's theme: the panel's accent
 * and the status bar item's text.
 */

/** Palette name -> VS Code theme color id. */
const THEME_COLORS: Readonly<Record<string, string>> = {
  red: 'charts.red',
  blue: 'charts.blue',
  green: 'charts.green',
  yellow: 'charts.yellow',
  purple: 'charts.purple',
  orange: 'charts.orange',
  pink: 'terminal.ansiMagenta',
  cyan: 'terminal.ansiCyan',
};

/** The theme color id for an agent's color, or undefined for none or a color outside the palette. */
export function agentThemeColor(color: string | undefined): string | undefined {
  const key = color?.trim().toLowerCase();
  return key && Object.prototype.hasOwnProperty.call(THEME_COLORS, key) ? THEME_COLORS[key] : undefined;
}

/** The CSS variable a webview reads that theme color from (`--vscode-charts-red`). */
export function agentColorVariable(color: string | undefined): string | undefined {
  const id = agentThemeColor(color);
  return id && `--vscode-${id.replace(/\./g, '-')}`;
}
