/** Chart.js (bundled, tree-shaken) with colours read from the theme's CSS variables. */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];
const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export function chart(canvas: HTMLCanvasElement, kind: 'bar' | 'line', labels: string[], series: { label: string; values: number[] }[], stacked = false): Chart {
  const fg = css('--muted') || '#666';
  const grid = css('--line') || '#ddd';
  return new Chart(canvas, {
    type: kind,
    data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: PALETTE[i % PALETTE.length], borderColor: PALETTE[i % PALETTE.length], borderWidth: kind === 'line' ? 2 : 0, pointRadius: 0 })) },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: fg, boxWidth: 12 } } },
      scales: { x: { stacked, ticks: { color: fg, maxRotation: 0, autoSkip: true }, grid: { color: grid } }, y: { stacked, beginAtZero: true, ticks: { color: fg }, grid: { color: grid } } },
    },
  });
}
