// Chart.js with only the parts the operations centre draws (lines and bars on
// a category axis, legend, tooltip). This module is imported dynamically, so
// Chart.js stays out of the bundle every other page loads.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.color = '#1b1b1b';
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";

export interface Serie {
  label: string;
  data: (number | null)[];
  color: string;
  kind: 'line' | 'bar';
  dashed?: boolean;
}

export interface Drawn {
  destroy(): void;
}

export function draw(canvas: HTMLCanvasElement, labels: string[], series: Serie[], yTitle: string): Drawn {
  const datasets = series.map((s): ChartDataset<'bar' | 'line', (number | null)[]> =>
    s.kind === 'bar'
      ? { type: 'bar', label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, borderWidth: 1 }
      : {
          type: 'line',
          label: s.label,
          data: s.data,
          borderColor: s.color,
          backgroundColor: s.color,
          borderWidth: 2,
          borderDash: s.dashed ? [6, 4] : [],
          pointRadius: labels.length > 45 ? 0 : 2,
          spanGaps: false,
          tension: 0,
        },
  );
  return new Chart<'bar' | 'line', (number | null)[], string>(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0 } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } },
      },
    },
  });
}
