// The ministry's dashboard: patients by nationality over time, by purpose,
// by prefecture, the portfolio metrics, reporting completeness and the
// coverage of medical stay visas.  Every figure from the statistics comes
// from the hub's protected release (docs/disclosure-control.md): a value
// under 10, zero included, is not published and is shown as "under 10"
// (10未満), never as 0, and charts leave a gap for it.  Partial years
// (not every month released yet) are marked.
//
// Each panel loads on its own (issue 17): it asks for the API answers it
// needs (each asked once for the page, however many panels need it), and
// a failed answer shows in that panel only, in the user's language, with a
// Retry button that asks again; the other panels load as usual.
import { ApiError, api } from '../api.js';
import { PALETTE, chart } from '../charts.js';
import { section } from '../common.js';
import { PURPOSES } from '../codes.js';
import { h, table } from '../dom.js';
import {
  accreditationName, channelName, countryName, disclosureText, languageName, num, pct, prefectureName, purposeName, t,
  treatmentName, value, yen,
} from '../i18n.js';
import { reasonOf, ta } from '../i18n_account.js';
import { tw } from '../i18n_hubweb.js';
import { stampNote } from '../report.js';
import { drillPanel, latePanel, periodPicker } from './drill.js';
import { hospitalName } from './listing.js';

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

// The referral channel's figures (the portfolio's section "referrals",
// from the protected release: docs/disclosure-control.md section 12).
function referralSection(body, p) {
  const r = p.referrals;
  if (!r) {
    body.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  body.classList.add('subgrid');
  body.append(
    h('p', { class: 'hint wide' }, t('ref_note', { k: num(r.counted_per_group), lag: num(r.cohort_lag_months) })),
    h('div', {}, h('h3', {}, t('ref_by_month')), table([t('period'), t('ref_referrals')],
      r.by_month.map((x) => [x.period, value(x.value)]), { className: 'numeric', id: 'table-referrals-month' })),
    h('div', {}, h('h3', {}, t('ref_by_purpose')), table([t('year'), t('purpose'), t('ref_referrals')],
      r.by_purpose.map((x) => [yearLabel(x.year, x.partial), purposeName(x.purpose), value(x.value)]), { className: 'numeric' })),
    h('div', {}, h('h3', {}, t('ref_by_nationality')), table([t('year'), t('nationality'), t('ref_referrals')],
      r.by_nationality.map((x) => [yearLabel(x.year, x.partial), countryName(x.nationality), value(x.value)]), { className: 'numeric' })),
    h('div', {}, h('h3', {}, t('ref_conversion')), table([t('ref_cohort_year'), t('ref_opinions'), t('ref_visits'), t('share')],
      r.opinion_to_visit.map((x) => [x.cohort_year, value(x.second_opinion_referrals), value(x.visits),
        x.share === null ? '—' : pct(x.share)]), { className: 'numeric', id: 'table-referrals-conversion' })));
}

// once(f): f's promise, asked for at most once until it fails.
function once(f) {
  let p = null;
  return () => (p ||= f().catch((e) => {
    p = null;
    throw e;
  }));
}

// panelError(e, retry): the failure said in the user's language, with a
// button that loads the panel again.
function panelError(e, retry) {
  return h('div', { class: 'error panel-error', role: 'alert' },
    h('p', {}, ta('panel_failed', { reason: reasonOf(e) })),
    h('button', { type: 'button', class: 'button retry', onclick: retry }, ta('retry')));
}

export async function dashboardPage(ctx) {
  ctx.root.append(h('h1', {}, t('dashboard_title')), h('p', { class: 'intro' }, t('dashboard_intro')), periodPicker(ctx));
  const src = {
    portfolio: once(() => api('/api/v1/portfolio')),
    monthly: once(() => api('/api/v1/statistics', { measure: 'patients', by: 'period,nationality', period: 'month' })),
    byPref: once(() => api('/api/v1/statistics', { measure: 'patients', by: 'prefecture' })),
  };
  const kpiBox = h('div', { class: 'panel', id: 'panel-kpis', 'data-panel': 'kpis' });
  const noteBox = h('div', { class: 'panel', id: 'panel-note', 'data-panel': 'note' });
  const grid = h('div', { class: 'dash-grid' });
  ctx.root.append(kpiBox, noteBox, grid);
  // [id, title key (none for the figures at the top), answers needed,
  // drawing].
  const panels = [
    ['kpis', null, ['portfolio'], (b, d) => b.append(kpis(d.portfolio))],
    ['note', null, ['monthly'], (b, d) => {
      const dc = d.monthly.disclosure_control;
      const months = (d.monthly.cells || []).map((c) => c.period).sort();
      if (months.length) stampNote(tw('release_through', { m: months[months.length - 1] }));
      b.append(h('p', { class: 'hint' }, h('span', { class: 'suppressed' }, t('suppressed')), ' — ', t('suppressed_note'),
        dc?.applied ? ` ${t('disclosure', { x: `${disclosureText(dc.applied)}${dc.k ? `, k = ${dc.k}` : ''}` })}` : ''));
    }],
    ['nationality', 'by_nationality', ['portfolio', 'monthly'], (b, d) => nationalitySection(b, d.portfolio, d.monthly)],
    ['purpose', 'by_purpose', ['portfolio'], (b, d) => purposeSection(b, d.portfolio)],
    ['prefecture', 'by_prefecture', ['portfolio', 'byPref'], (b, d) => prefectureSection(b, d.portfolio, d.byPref)],
    ['completeness', 'completeness', ['portfolio'], (b, d) => completenessSection(b, d.portfolio)],
    ['visa', 'visa_coverage', ['portfolio'], (b, d) => visaSection(b, d.portfolio)],
    ['drill', 'drill_title', [], (b) => drillPanel(ctx, b, hospitalName)],
    ['late', 'late_missing', [], (b) => latePanel(ctx, b)],
    ['portfolio', 'portfolio', ['portfolio'], (b, d) => portfolioSection(b, d.portfolio)],
    ['referrals', 'ref_title', ['portfolio'], (b, d) => referralSection(b, d.portfolio)],
  ];
  const loads = panels.map(([id, title, needs, draw]) => {
    let b = id === 'kpis' ? kpiBox : id === 'note' ? noteBox : null;
    if (!b) {
      b = h('div', { class: 'panel', id: `panel-${id}`, 'data-panel': id });
      const sec = section(tw(title), b);
      sec.dataset.panel = id;
      grid.append(sec);
    }
    const load = async () => {
      b.setAttribute('aria-busy', 'true');
      b.dataset.state = 'loading';
      b.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('loading')));
      try {
        const d = {};
        for (const k of needs) d[k] = await src[k]();
        if (!ctx.current()) return;
        b.replaceChildren();
        // A section is on the page before it is drawn (a chart sizes
        // itself from its box).
        await draw(b, d);
        b.dataset.state = 'ready';
      } catch (e) {
        if (!ctx.current()) return;
        if (e instanceof ApiError && e.status === 401) throw e;
        b.dataset.state = 'failed';
        b.replaceChildren(panelError(e, () => load().catch(() => {})));
      } finally {
        b.setAttribute('aria-busy', 'false');
      }
    };
    return load();
  });
  // An ended session sends the user to sign in (the router's 401).
  const ended = (await Promise.allSettled(loads)).find((r) => r.status === 'rejected');
  if (ended) throw ended.reason;
}
