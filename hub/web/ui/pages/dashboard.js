// The ministry's dashboard: patients by nationality over time, by purpose,
// by prefecture, the portfolio metrics, reporting completeness and the
// coverage of medical stay visas.  Every figure from the statistics comes
// from the hub's protected release (docs/disclosure-control.md): a value
// under 10, zero included, is not published and is shown as "under 10"
// (10未満), never as 0, and charts leave a gap for it.  Partial years
// (not every month released yet) are marked.
import { api } from '../api.js';
import { PALETTE, chart } from '../charts.js';
import { section } from '../common.js';
import { PURPOSES } from '../codes.js';
import { h, table } from '../dom.js';
import {
  accreditationName, channelName, countryName, disclosureText, languageName, num, pct, prefectureName, purposeName, t,
  treatmentName, value, yen,
} from '../i18n.js';

const TOP_NATIONALITIES = 6;

const uniq = (xs) => [...new Set(xs)];

// The last months shown on the monthly chart.
const MONTHS_SHOWN = 24;
const published = (v) => (v === null || v === undefined ? null : Number(v));
// A year, marked when not every month of it is released yet.
const yearLabel = (y, partial) => (partial ? `${y} (${t('partial')})` : y);

function kpi(label, content, id) {
  return h('div', { class: 'kpi', id }, h('div', { class: 'kpi-value' }, content), h('div', { class: 'kpi-label' }, label));
}

function kpis(p) {
  const listed = p.hospitals_listed?.total;
  const visa = p.visa_coverage || [];
  const lastYear = visa[visa.length - 1];
  const purposeRows = (p.patients_by_purpose || []).filter((r) => lastYear && r.period === lastYear.year);
  const yearTotal = purposeRows.reduce((n, r) => n + published(r.value), 0);
  const covered = [...visa].reverse().find((r) => r.coverage_ratio !== null && r.coverage_ratio !== undefined);
  const comp = p.reporting_completeness || [];
  const lastComp = comp[comp.length - 1];
  return h('div', { class: 'kpis' },
    kpi(t('kpi_listed'), num(listed), 'kpi-listed'),
    lastYear ? kpi(t('kpi_patients', { y: yearLabel(lastYear.year, lastYear.partial) }), purposeRows.length ? num(yearTotal) : value(null), 'kpi-patients') : null,
    covered ? kpi(t('kpi_coverage', { y: covered.year }), pct(covered.coverage_ratio), 'kpi-coverage') : null,
    lastComp ? kpi(t('kpi_reporting', { p: lastComp.period }),
      lastComp.listed ? pct(lastComp.reported / lastComp.listed) : '—', 'kpi-reporting') : null);
}

// Patients by nationality: a line per leading nationality over the months,
// and the yearly table with every nationality.
async function nationalitySection(body, p, monthly) {
  const periods = uniq((monthly.cells || []).map((c) => c.period)).sort().slice(-MONTHS_SHOWN);
  const cells = (monthly.cells || []).filter((c) => periods.includes(c.period));
  const totals = {};
  for (const c of cells) totals[c.nationality] = (totals[c.nationality] || 0) + (published(c.value) || 0);
  const nats = Object.keys(totals).sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
  const top = nats.filter((n) => totals[n] > 0).slice(0, TOP_NATIONALITIES);
  const at = {};
  for (const c of cells) at[`${c.nationality}|${c.period}`] = c;
  if (!cells.length) {
    body.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const datasets = top.map((n, i) => ({
    label: countryName(n),
    data: periods.map((per) => published(at[`${n}|${per}`]?.value)),
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length],
    spanGaps: false,
    tension: 0.2,
  }));
  const chartBox = h('div', { class: 'chart', id: 'chart-nationality' });
  body.append(chartBox);
  await chart(chartBox, {
    type: periods.length > 1 ? 'line' : 'bar',
    data: { labels: periods, datasets },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true, title: { display: true, text: t('patients') } } } },
  }, t('by_nationality'));
  // Yearly table from the portfolio (every nationality).
  const rows = p.patients_by_nationality || [];
  const years = uniq(rows.map((r) => r.period)).sort();
  const byNat = {};
  for (const r of rows) (byNat[r.nationality] ||= {})[r.period] = r;
  const lastY = years[years.length - 1];
  const order = Object.keys(byNat).sort((a, b) =>
    (published(byNat[b][lastY]?.value) ?? -1) - (published(byNat[a][lastY]?.value) ?? -1) || a.localeCompare(b));
  const partialYears = new Set(rows.filter((r) => r.partial).map((r) => r.period));
  body.append(table([t('nationality'), ...years.map((y) => yearLabel(y, partialYears.has(y)))],
    order.map((n) => [h('span', { title: n }, countryName(n)), ...years.map((y) => (byNat[n][y] ? value(byNat[n][y].value) : value(null)))]),
    { caption: t('by_nationality_year'), className: 'numeric', id: 'table-nationality' }));
  // The monthly figures behind the chart.
  body.append(h('details', {}, h('summary', {}, t('monthly_table')),
    table([t('nationality'), ...periods], nats.map((n) => [countryName(n),
      ...periods.map((per) => value(at[`${n}|${per}`]?.value ?? null))]),
    { className: 'numeric' })));
}

async function purposeSection(body, p) {
  const rows = p.patients_by_purpose || [];
  const years = uniq(rows.map((r) => r.period)).sort();
  const purposes = PURPOSES.map((x) => x[0]).filter((x) => rows.some((r) => r.purpose === x));
  const at = {};
  for (const r of rows) at[`${r.purpose}|${r.period}`] = r;
  if (!rows.length) {
    body.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const box = h('div', { class: 'chart', id: 'chart-purpose' });
  body.append(box);
  await chart(box, {
    type: 'bar',
    data: {
      labels: purposes.map(purposeName),
      datasets: years.map((y, i) => ({
        label: y, data: purposes.map((x) => published(at[`${x}|${y}`]?.value)), backgroundColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
  }, t('by_purpose'), 240);
  body.append(table([t('purpose'), ...years],
    purposes.map((x) => [purposeName(x), ...years.map((y) => value(at[`${x}|${y}`]?.value ?? null))]),
    { className: 'numeric' }));
}

async function prefectureSection(body, p, byPref) {
  const cells = byPref.cells || [];
  const listed = {};
  for (const r of p.hospitals_listed?.by_prefecture || []) listed[r.prefecture] = r.hospitals;
  const pat = {};
  for (const c of cells) pat[c.prefecture] = c;
  const shown = cells.filter((c) => c.value !== null).sort((a, b) => b.value - a.value);
  if (shown.length) {
    const box = h('div', { class: 'chart', id: 'chart-prefecture' });
    body.append(box);
    await chart(box, {
      type: 'bar',
      data: {
        labels: shown.map((c) => prefectureName(c.prefecture)),
        datasets: [{ label: t('patients'), data: shown.map((c) => c.value), backgroundColor: PALETTE[0] }],
      },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
    }, t('by_prefecture'), 60 + 26 * shown.length);
  } else body.append(h('p', { class: 'empty' }, t('no_data')));
  const prefs = uniq([...Object.keys(listed), ...Object.keys(pat)]).filter((x) => x !== '').sort();
  body.append(table([t('prefecture'), t('hospitals'), t('patients')],
    prefs.map((x) => [prefectureName(x), num(listed[x] ?? 0), value(pat[x]?.value ?? null)]),
    { caption: t('by_prefecture_table'), className: 'numeric', id: 'table-prefecture' }));
}

async function portfolioSection(body, p) {
  const l = p.hospitals_listed || {};
  body.classList.add('subgrid');
  const treat = (l.by_treatment || []).slice(0, 12);
  const treatBox = h('div', { class: 'chart wide', id: 'chart-treatment' }, h('h3', {}, t('listed_by_treatment')));
  body.append(treatBox);
  if (treat.length)
    await chart(treatBox, {
      type: 'bar',
      data: { labels: treat.map((r) => treatmentName(r.treatment)), datasets: [{ label: t('hospitals'), data: treat.map((r) => r.hospitals), backgroundColor: PALETTE[2] }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    }, t('listed_by_treatment'), 60 + 24 * treat.length);
  body.append(
    h('div', {}, h('h3', {}, t('listed_by_language')), table([t('language'), t('hospitals')],
      (l.by_language || []).slice(0, 10).map((r) => [languageName(r.language), num(r.hospitals)]), { className: 'numeric' })),
    h('div', {}, h('h3', {}, t('listed_by_accreditation')), table([t('accreditation'), t('hospitals')],
      (l.by_accreditation || []).map((r) => [accreditationName(r.accreditation), num(r.hospitals)]), { className: 'numeric' })),
    h('div', {}, h('h3', {}, t('charge_per_patient')), table([t('purpose'), t('charge')],
      (p.charge_per_patient_by_purpose || []).map((r) => [purposeName(r.purpose), value(r.charge_jpy_per_patient, false, yen)]),
      { className: 'numeric' })));
  const ref = p.patients_by_referral_channel || [];
  const refTotal = ref.reduce((s, r) => s + (published(r.value) || 0), 0);
  body.append(
    h('div', {}, h('h3', {}, t('referral')), table([t('referral_channel'), t('patients'), t('share')],
      ref.map((r) => [channelName(r.referral_channel), value(r.value), r.value === null || !refTotal ? value(null) : pct(r.value / refTotal)]),
      { className: 'numeric' })),
    h('div', {}, h('h3', {}, t('referral_org')), table([t('referral_org'), t('patients')],
      (p.patients_by_referral_org || []).filter((r) => r.referral_org !== '').map((r) => [r.referral_org, value(r.value)]),
      { className: 'numeric' })),
    h('div', { class: 'wide' }, h('h3', {}, t('supply_demand')), table(
      [t('nationality'), t('language'), t('treatment_patients'), t('hospitals_able'), t('patients_per_hospital')],
      (p.supply_demand || []).map((r) => [countryName(r.nationality), languageName(r.language), value(r.treatment_patients),
        num(r.hospitals_able), r.patients_per_hospital === null ? '—' : num(r.patients_per_hospital, 1)]),
      { className: 'numeric' })));
}

async function completenessSection(body, p) {
  const rows = p.reporting_completeness || [];
  if (!rows.length) {
    body.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const box = h('div', { class: 'chart', id: 'chart-completeness' });
  body.append(box);
  await chart(box, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.period),
      datasets: [
        { label: t('on_time'), data: rows.map((r) => r.on_time), backgroundColor: PALETTE[2] },
        { label: t('late'), data: rows.map((r) => r.reported - r.on_time), backgroundColor: PALETTE[1] },
        { label: t('missing'), data: rows.map((r) => r.listed - r.reported), backgroundColor: '#c9c9c9' },
      ],
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }, t('completeness'), 240);
  body.append(table([t('period'), t('listed'), t('reported'), t('on_time'), t('reported_pct')],
    rows.map((r) => [r.period, num(r.listed), num(r.reported), num(r.on_time), r.listed ? pct(r.reported / r.listed) : '—']),
    { className: 'numeric' }));
}

async function visaSection(body, p) {
  const rows = p.visa_coverage || [];
  if (!rows.length) {
    body.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const box = h('div', { class: 'chart', id: 'chart-visa' });
  body.append(box);
  await chart(box, {
    type: 'bar',
    data: {
      labels: rows.map((r) => yearLabel(r.year, r.partial)),
      datasets: [
        { label: t('patients_with_visa'), data: rows.map((r) => published(r.patients_with_visa)), backgroundColor: PALETTE[0] },
        { label: t('visas_issued'), data: rows.map((r) => published(r.visas_issued)), backgroundColor: PALETTE[1] },
      ],
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { y: { beginAtZero: true } } },
  }, t('visa_coverage'), 220);
  body.append(table([t('year'), t('patients_with_visa'), t('visas_issued'), t('coverage_ratio'), t('visa_unknown_share')],
    rows.map((r) => [yearLabel(r.year, r.partial), value(r.patients_with_visa), r.visas_issued === null ? '—' : num(r.visas_issued),
      r.coverage_ratio === null ? '—' : pct(r.coverage_ratio), r.visa_unknown_share === null ? '—' : pct(r.visa_unknown_share)]),
    { className: 'numeric', id: 'table-visa' }));
}

export async function dashboardPage(ctx) {
  ctx.root.append(h('h1', {}, t('dashboard_title')), h('p', { class: 'intro' }, t('dashboard_intro')));
  const status = h('p', { class: 'loading', role: 'status' }, t('loading'));
  ctx.root.append(status);
  const [p, monthly, byPref] = await Promise.all([
    api('/api/v1/portfolio'),
    api('/api/v1/statistics', { measure: 'patients', by: 'period,nationality', period: 'month' }),
    api('/api/v1/statistics', { measure: 'patients', by: 'prefecture' }),
  ]);
  if (!ctx.current()) return;
  const dc = monthly.disclosure_control;
  status.replaceWith(
    kpis(p),
    h('p', { class: 'hint' }, h('span', { class: 'suppressed' }, t('suppressed')), ' — ', t('suppressed_note'),
      dc?.applied ? ` ${t('disclosure', { x: `${disclosureText(dc.applied)}${dc.k ? `, k = ${dc.k}` : ''}` })}` : ''));
  const grid = h('div', { class: 'dash-grid' });
  ctx.root.append(grid);
  // Each section is on the page before it is drawn (a chart sizes itself
  // from its box).
  const sections = [
    ['by_nationality', (b) => nationalitySection(b, p, monthly)],
    ['by_purpose', (b) => purposeSection(b, p)],
    ['by_prefecture', (b) => prefectureSection(b, p, byPref)],
    ['completeness', (b) => completenessSection(b, p)],
    ['visa_coverage', (b) => visaSection(b, p)],
    ['portfolio', (b) => portfolioSection(b, p)],
  ];
  for (const [key, draw] of sections) {
    const b = h('div');
    grid.append(section(t(key), b));
    await draw(b).catch((e) => b.append(h('div', { class: 'error', role: 'alert' }, `${t('error')}: ${e.message}`)));
    if (!ctx.current()) return;
  }
}
