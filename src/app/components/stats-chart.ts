/**
 * `<stats-chart>`: a Chart.js bar or line chart of daily series. Only the
 * Chart.js pieces used are registered. Colours follow the panel's theme
 * (read from its custom properties) and the `--ts-chart-1` … `--ts-chart-6`
 * palette; the chart is redrawn when the system switches light/dark.
 * The canvas has an accessible name; the dashboard's tables carry the figures as text.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { DailySeries } from '../data/chart-series.js';
import { tokens } from './theme.js';
import { defineElement } from './define.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);

const DEFAULT_PALETTE = ['#4c6ef5', '#f59f00', '#12b886', '#e64980', '#7950f2', '#868e96'];

export class StatsChart extends LitElement {
  static override properties = {
    data: { attribute: false },
    type: {},
    label: {},
    formatValue: { attribute: false },
    wholeNumbers: { type: Boolean, attribute: 'whole-numbers' },
  };

  declare data: DailySeries;
  /** `bar` (stacked) or `line`. */
  declare type: 'bar' | 'line';
  /** The chart's accessible name. */
  declare label: string;
  declare formatValue: (value: number) => string;
  /** The values are counts: no ticks between whole numbers. */
  declare wholeNumbers: boolean;
  private chart: Chart | null = null;
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.rebuild();

  constructor() {
    super();
    this.data = { days: [], series: [] };
    this.type = 'bar';
    this.label = 'Chart';
    this.formatValue = (value) => value.toLocaleString();
    this.wholeNumbers = false;
  }

  static override styles = [
    tokens,
    css`
    :host { display: block; position: relative; height: 15em; }
    canvas { width: 100% !important; height: 100% !important; }
    .empty { position: absolute; inset: 0; display: grid; place-items: center; color: var(--_muted); font-size: 0.9em; }
  `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheme.addEventListener('change', this.onScheme);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scheme.removeEventListener('change', this.onScheme);
    this.chart?.destroy();
    this.chart = null;
  }

  override render() {
    return html`<canvas role="img" aria-label=${this.label}></canvas>
      ${this.data.days.length === 0 ? html`<div class="empty">No data yet</div>` : ''}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('type') || changed.has('wholeNumbers') || !this.chart) this.rebuild();
    else if (changed.has('data') || changed.has('formatValue')) this.refreshData();
  }

  private rebuild(): void {
    this.chart?.destroy();
    this.chart = null;
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this.isConnected) return;
    this.chart = new Chart(canvas, this.config());
  }

  private refreshData(): void {
    if (!this.chart) return this.rebuild();
    this.chart.data = this.chartData();
    this.chart.update();
  }

  private colours(): { palette: string[]; text: string; grid: string } {
    const style = getComputedStyle(this);
    const read = (name: string) => style.getPropertyValue(name).trim();
    const palette = DEFAULT_PALETTE.map((fallback, i) => read(`--ts-chart-${i + 1}`) || fallback);
    return { palette, text: read('--_muted') || '#666', grid: read('--_border') || '#ddd' };
  }

  private chartData(): ChartConfiguration<'bar' | 'line'>['data'] {
    const { palette } = this.colours();
    return {
      labels: this.data.days,
      datasets: this.data.series.map((s, i) => {
        const colour = palette[i % palette.length]!;
        return {
          label: s.label,
          data: s.values,
          backgroundColor: this.type === 'bar' ? colour : `${colour}33`,
          borderColor: colour,
          borderWidth: this.type === 'bar' ? 0 : 2,
          pointRadius: this.data.days.length > 40 ? 0 : 2.5,
          tension: 0.25,
          fill: false,
          maxBarThickness: 28,
        };
      }),
    };
  }

  private config(): ChartConfiguration<'bar' | 'line'> {
    const { text, grid } = this.colours();
    const stacked = this.type === 'bar';
    const format = this.formatValue;
    return {
      type: this.type,
      data: this.chartData(),
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          // A few labels, never overlapping, whatever the number of bars.
          x: {
            stacked,
            ticks: { color: text, maxRotation: 0, autoSkip: true, autoSkipPadding: 16, maxTicksLimit: 8 },
            grid: { display: false },
          },
          y: {
            stacked,
            beginAtZero: true,
            ticks: {
              color: text,
              callback: (value) => format(Number(value)),
              ...(this.wholeNumbers ? { precision: 0 } : {}),
            },
            grid: { color: grid },
          },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: text, boxWidth: 12, usePointStyle: true } },
          tooltip: {
            callbacks: {
              // null: runs whose figure is unknown (no bar, a gap in a line).
              label: (item) =>
                `${item.dataset.label ?? ''}: ${item.parsed.y === null ? 'unknown' : format(Number(item.parsed.y))}`,
            },
          },
        },
      },
    };
  }
}

defineElement('stats-chart', StatsChart);

declare global {
  interface HTMLElementTagNameMap {
    'stats-chart': StatsChart;
  }
}
