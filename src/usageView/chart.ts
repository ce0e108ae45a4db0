/**
 * The spend-per-day chart: Chart.js stacked bars, one series per model, in the theme's chart
 * colours. Only the pieces a bar chart needs are registered, so the rest of Chart.js is left
 * out of the bundle. No animation: the numbers are what matters, and it respects reduced motion.
 */
import * as l10n from '@vscode/l10n';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { formatCost } from '../shared/format';
import type { UsageViewData } from '../shared/usageView';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** How many series colours the stylesheet defines (`--uv-c0` …). */
const SERIES_COLOURS = 6;

/** The class of a model's swatch, the same colour as its bars. */
export function seriesClass(index: number): string {
  return `c${index % SERIES_COLOURS}`;
}

/** A `YYYY-MM-DD` day as "Nov 15" (the day is already local: no time zone conversion). */
export function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
}

interface Theme {
  readonly series: readonly string[];
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly font: string;
  readonly background: string;
}

function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const value = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: Array.from({ length: SERIES_COLOURS }, (_, i) => value(`--uv-c${i}`, '#3794ff')),
    foreground: value('--vscode-foreground', '#cccccc'),
    muted: value('--vscode-descriptionForeground', '#9d9d9d'),
    grid: value('--vscode-charts-lines', value('--vscode-widget-border', 'rgba(128,128,128,0.35)')),
    font: value('--vscode-font-family', 'sans-serif'),
    background: value('--vscode-editorWidget-background', value('--vscode-editor-background', '#1f1f1f')),
  };
}

/** Draws `data.daily` on the canvas, replacing what was there; the theme is read fresh each time. */
export class SpendChart {
  private chart: Chart<'bar'> | undefined;
  private data: UsageViewData['daily'] | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(daily: UsageViewData['daily']): void {
    this.data = daily;
    const theme = readTheme();
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: daily.days.map(shortDay),
        datasets: daily.models.map((model, i) => ({
          label: model,
          data: [...daily.byModel[i]],
          backgroundColor: theme.series[i % SERIES_COLOURS],
          borderWidth: 0,
          borderRadius: 2,
          maxBarThickness: 28,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        font: { family: theme.font },
        color: theme.foreground,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            stacked: true,
            grid: { display: false },
            border: { color: theme.grid },
            ticks: { color: theme.muted, maxRotation: 0, autoSkip: true, autoSkipPadding: 12, font: { family: theme.font } },
          },
          y: {
            stacked: true,
            beginAtZero: true,
            grid: { color: theme.grid },
            border: { display: false },
            ticks: { color: theme.muted, maxTicksLimit: 6, font: { family: theme.font }, callback: (value) => formatCost(Number(value)) },
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { color: theme.foreground, boxWidth: 10, boxHeight: 10, font: { family: theme.font } },
          },
          tooltip: {
            backgroundColor: theme.background,
            titleColor: theme.foreground,
            bodyColor: theme.foreground,
            footerColor: theme.foreground,
            borderColor: theme.grid,
            borderWidth: 1,
            filter: (item) => (item.raw as number) > 0,
            callbacks: {
              label: (item) => ` ${item.dataset.label ?? ''}: ${formatCost(item.raw as number)}`,
              footer: (items) => (items.length > 0 ? l10n.t('Total: {0}', formatCost(daily.totals[items[0].dataIndex])) : ''),
            },
          },
        },
      },
    };
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, config);
  }

  /** Redraws in the current theme's colours (after a theme change). */
  redraw(): void {
    if (this.data) {
      this.draw(this.data);
    }
  }
}
