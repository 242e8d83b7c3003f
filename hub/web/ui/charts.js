// Charts drawn by Chart.js (npm package chart.js, copied into ui/vendor by
// deploy/install-web.sh), loaded only by the pages that draw one.
import { h } from './dom.js';
import { t } from './i18n.js';

let loading = null;
const live = new Set();

// Okabe-Ito colours: distinguishable with the common colour blindnesses.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8a7d00', '#555555'];

function loadLibrary() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!loading)
    loading = new Promise((resolve) => {
      const s = document.createElement('script');
      s.src = '/ui/vendor/chart.umd.min.js';
      s.onload = () => resolve(window.Chart || null);
      s.onerror = () => resolve(null);
      document.head.append(s);
    });
  return loading;
}

// chart(container, config, label, height): a chart in container, described
// by label for screen readers (each chart also has a table beside it).
export async function chart(container, config, label, height = 280) {
  const Chart = await loadLibrary();
  if (!Chart) {
    container.append(h('p', { class: 'notice' }, t('charts_unavailable')));
    return null;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#333';
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const box = h('div', { class: 'chart-box' }, canvas);
  box.style.height = `${height}px`;
  container.append(box);
  const c = new Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
  live.add(c);
  return c;
}

// destroyCharts(): before a page is replaced.
export function destroyCharts() {
  for (const c of live) c.destroy();
  live.clear();
}
