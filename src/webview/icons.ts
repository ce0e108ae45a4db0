/**
 * Codicon-sized (16px) line icons built as DOM nodes. Inline SVG elements need no `img-src`
 * and no inline style, so they live within the panel's CSP; colour comes from `currentColor`.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** `s` paths are stroked, `f` paths are filled. */
interface IconShape {
  readonly s?: readonly string[];
  readonly f?: readonly string[];
}

const ICONS = {
  stop: { f: ['M5 3.5h6A1.5 1.5 0 0 1 12.5 5v6a1.5 1.5 0 0 1-1.5 1.5H5A1.5 1.5 0 0 1 3.5 11V5A1.5 1.5 0 0 1 5 3.5z'] },
  error: {
    s: ['M8 1.75a6.25 6.25 0 1 0 0 12.5a6.25 6.25 0 1 0 0-12.5z', 'M5.9 5.9l4.2 4.2', 'M10.1 5.9l-4.2 4.2'],
  },
  warning: { s: ['M8 1.9l6.4 11.35H1.6z', 'M8 6.3v3.4'], f: ['M8.75 11.45a.75.75 0 1 1-1.5 0a.75.75 0 1 1 1.5 0z'] },
  info: { s: ['M8 1.75a6.25 6.25 0 1 0 0 12.5a6.25 6.25 0 1 0 0-12.5z', 'M8 7.2v4.1'], f: ['M8.75 5a.75.75 0 1 1-1.5 0a.75.75 0 1 1 1.5 0z'] },
  file: { s: ['M3.75 1.75h5.5l3 3v9.5h-8.5z', 'M9.25 1.75v3h3', 'M6.6 8.3L5.2 9.7l1.4 1.4', 'M9.4 8.3l1.4 1.4-1.4 1.4'] },
  copy: { s: ['M5.75 5.75h7.5v7.5h-7.5z', 'M10.25 5.75v-3h-7.5v7.5h3'] },
  check: { s: ['M2.75 8.5l3.25 3.25 7.25-7.5'] },
  key: { s: ['M5.25 7.5a3 3 0 1 0 0 6a3 3 0 1 0 0-6z', 'M7.4 8.6l6.1-6.1', 'M11.3 4.7l1.7 1.7', 'M9.6 6.4l1.3 1.3'] },
  refresh: { s: ['M13.1 8.1A5.1 5.1 0 1 1 11.6 4.4', 'M12.3 1.8v3h-3'] },
  output: { s: ['M2.25 2.75h11.5v10.5H2.25z', 'M4.75 5.75h6.5', 'M4.75 8h6.5', 'M4.75 10.25h4'] },
  settings: {
    s: ['M2 4h3.1', 'M8.1 4H14', 'M2 8h7.1', 'M12.1 8H14', 'M2 12h1.6', 'M6.6 12H14'],
    f: [
      'M8.1 4a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0z',
      'M12.1 8a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0z',
      'M6.6 12a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0z',
    ],
  },
  sparkle: {
    f: [
      'M7 1.5c.45 3.2 1.55 4.3 4.75 4.75C8.55 6.7 7.45 7.8 7 11c-.45-3.2-1.55-4.3-4.75-4.75C5.45 5.8 6.55 4.7 7 1.5z',
      'M12 9.5c.2 1.45.8 2.05 2.25 2.25-1.45.2-2.05.8-2.25 2.25-.2-1.45-.8-2.05-2.25-2.25 1.45-.2 2.05-.8 2.25-2.25z',
    ],
  },
  logo: { s: ['M9.5 4l3 3-3 3'], f: ['M4.5 4H6v6.5h4V12H4.5z'] },
  arrowDown: { s: ['M8 2.5v10.5', 'M3.75 8.75L8 13l4.25-4.25'] },
  insert: { s: ['M8 1.75v7.5', 'M5 6.25l3 3 3-3', 'M2.75 11.75h10.5', 'M2.75 14.25h10.5'] },
  diff: { s: ['M4.5 1.75v12.5', 'M2.25 4.5h4.5', 'M11.5 1.75v12.5', 'M9.25 11.5h4.5', 'M11.5 4.25v4.5', 'M9.25 6.5h4.5'] },
  newFile: { s: ['M3.75 1.75h5.5l3 3v9.5h-8.5z', 'M9.25 1.75v3h3', 'M8 7.25v5', 'M5.5 9.75h5'] },
  add: { s: ['M8 2.5v11', 'M2.5 8h11'] },
  send: { s: ['M1.9 2.2l12.3 5.8-12.3 5.8 2.2-5.8z', 'M4.1 8h5.4'] },
  chevronRight: { s: ['M6 3.75L10.25 8 6 12.25'] },
  // Tool steps: one icon per tool of the architect, a wrench for any other.
  fileText: { s: ['M3.75 1.75h5.5l3 3v9.5h-8.5z', 'M9.25 1.75v3h3', 'M6 8.25h4', 'M6 10.75h4'] },
  files: { s: ['M5.75 4.25h5l2.5 2.5v7.5h-7.5z', 'M10.75 4.25v2.5h2.5', 'M3.25 11.75v-10h5.5'] },
  search: { s: ['M6.75 2.25a4.5 4.5 0 1 0 0 9a4.5 4.5 0 1 0 0-9z', 'M10 10l3.75 3.75'] },
  folder: { s: ['M1.75 3.25h4.5l1.5 1.75h6.5v7.75h-12.5z', 'M1.75 6.75h12.5'] },
  terminal: { s: ['M1.75 2.75h12.5v10.5H1.75z', 'M4.25 6l2 2-2 2', 'M7.75 10.25h3.5'] },
  checklist: { s: ['M1.75 3.75l1.25 1.25 2-2.25', 'M7 4h7.25', 'M1.75 8.25l1.25 1.25 2-2.25', 'M7 8.5h7.25', 'M7 13h7.25', 'M2.5 12.25h1.75v1.5H2.5z'] },
  globe: {
    s: [
      'M8 1.75a6.25 6.25 0 1 0 0 12.5a6.25 6.25 0 1 0 0-12.5z',
      'M1.75 8h12.5',
      'M8 1.75C6.2 3.45 5.3 5.55 5.3 8s.9 4.55 2.7 6.25C9.8 12.55 10.7 10.45 10.7 8S9.8 3.45 8 1.75z',
    ],
  },
  tool: { s: ['M10.6 1.9a3.3 3.3 0 0 0-3.05 4.55L2.2 11.8a1.25 1.25 0 0 0 0 1.75l.25.25a1.25 1.25 0 0 0 1.75 0l5.35-5.35A3.3 3.3 0 0 0 14.1 5.4l-1.95 1.15-1.85-.85-.85-1.85z'] },
  spinner: { s: ['M8 1.75a6.25 6.25 0 1 0 6.25 6.25'] },
  // The plan's items: pending, in progress, completed.
  circle: { s: ['M8 2.75a5.25 5.25 0 1 0 0 10.5a5.25 5.25 0 1 0 0-10.5z'] },
  circleHalf: { s: ['M8 2.75a5.25 5.25 0 1 0 0 10.5a5.25 5.25 0 1 0 0-10.5z'], f: ['M8 2.75a5.25 5.25 0 0 1 0 10.5z'] },
  circleCheck: { s: ['M8 2.75a5.25 5.25 0 1 0 0 10.5a5.25 5.25 0 1 0 0-10.5z', 'M5.6 8.15l1.65 1.65 3.15-3.35'] },
  // An answer's receipt: a slip with a torn edge.
  receipt: { s: ['M3.75 1.75h8.5v12.5l-1.4-.9-1.4.9-1.45-.9-1.4.9-1.45-.9-1.4.9z', 'M6 5h4', 'M6 7.5h4', 'M6 10h2.5'] },
} satisfies Record<string, IconShape>;

export type IconName = keyof typeof ICONS;

/** A decorative icon: hidden from assistive technology, the control carries the label. */
export function icon(name: IconName, className = ''): SVGSVGElement {
  const shape: IconShape = ICONS[name];
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}${className ? ` ${className}` : ''}`);
  for (const d of shape.s ?? []) {
    svg.append(path(d, 'stroke'));
  }
  for (const d of shape.f ?? []) {
    svg.append(path(d, 'fill'));
  }
  return svg;
}

function path(d: string, kind: 'stroke' | 'fill'): SVGPathElement {
  const element = document.createElementNS(SVG_NS, 'path');
  element.setAttribute('d', d);
  element.setAttribute('class', kind);
  return element;
}
