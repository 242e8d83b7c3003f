// A hospital's own page: its listing, its own figures month by month
// (exact: they are its own; every month shown, zeros included), its
// statistics submissions in plain words (the patients each reported), and
// the sendings the hub refused with their reasons.
import { ApiError, api, saveSession } from '../api.js';
import { PALETTE, chart } from '../charts.js';
import { errorBox, fill, loading, section } from '../common.js';
import { PURPOSES } from '../codes.js';
import { h, table } from '../dom.js';
import { disclosureText, num, purposeName, t, when } from '../i18n.js';
import { tw } from '../i18n_hubweb.js';
import { historySection, hospitalName, listingDetails } from './listing.js';

// The organisation code is asked for only when the hub cannot say it.
function askCode(ctx) {
  const input = h('input', { id: 'org-code', name: 'org', inputmode: 'numeric', pattern: '[0-9]{10}', maxlength: 10, required: true });
  const f = h('form', { class: 'card', id: 'org-form' },
    h('p', {}, t('org_needed')),
    h('div', { class: 'field' }, h('label', { for: 'org-code' }, t('org_code')), input),
    h('button', { type: 'submit', class: 'primary' }, t('open')));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!/^\d{10}$/.test(input.value.trim())) return;
    saveSession({ ...ctx.session, org: input.value.trim() });
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  return f;
}

async function listingPart(code) {
  try {
    const d = await api(`/api/v1/hospitals/${code}`);
    return [
      h('h2', { class: 'hospital-name' }, hospitalName(d.listing?.name)),
      h('p', { class: 'meta' }, `${t('code')} ${d.organisation_code} · ${t('version')} ${d.version} · ${t('updated_at')} ${when(d.updated_at)}`),
      listingDetails(d.listing || {}),
      historySection(d.history),
    ];
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && !/no such resource/.test(e.message))
      return h('p', { class: 'empty' }, t('not_listed'));
    throw e;
  }
}

// Every submission of the hospital's (all pages of /api/v1/submissions)
// and the sendings the hub refused.
async function allSubmissions() {
  const list = [];
  let body = null;
  for (let offset = 0; offset < 5000; offset += 200) {
    body = await api('/api/v1/submissions', { limit: 200, offset: offset || null });
    list.push(...(body?.submissions || []));
    if (body?.total === undefined || list.length >= body.total) break;
  }
  return { list, refused: body?.refused || [] };
}

// The submissions in plain words: the month, when it arrived, the
// patients it reported (or a nil report), and whether a later sending
// replaced it.
function submissionsPart(subs) {
  const { list } = subs;
  if (!list.length) return h('p', { class: 'empty' }, t('no_data'));
  return table([tw('sub_month'), tw('sub_received'), tw('sub_patients'), tw('sub_state')],
    list.map((s) => [s.period, when(s.received_at),
      s.nil_report ? tw('sub_nil') : num(s.patients ?? 0),
      s.superseded_at ? tw('sub_replaced', { d: when(s.superseded_at) }) : h('strong', {}, tw('sub_current'))]),
    { className: 'numeric', id: 'table-submissions' });
}

// The sendings the hub refused, with the reason its spoke was told.
function refusedPart(subs) {
  if (!subs.refused.length) return h('p', { class: 'empty', id: 'refused-none' }, tw('refused_none'));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'table-refused' },
    h('thead', {}, h('tr', {}, [tw('refused_at'), tw('refused_reason')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, subs.refused.map((r) => h('tr', {},
      h('th', { scope: 'row' }, when(r.received_at)), h('td', { class: 'refusal-reason' }, r.reason || r.outcome))))));
}

// The months from first to last (YYYY-MM), every one.
function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  while ((y < ly || (y === ly && m <= lm)) && out.length < 600) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

function lastClosedMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

// The hospital's own figures, month by month: every month from its first
// report (or its first figure) to the last closed month, zeros included,
// with whether it reported that month.
async function figuresPart(box, subs) {
  const s = await api('/api/v1/statistics', { measure: 'patients', by: 'period,purpose', period: 'month' });
  const cells = s.cells || [];
  const current = {};
  for (const x of subs.list) if (!x.superseded_at) current[x.period] = x;
  const known = [...cells.map((c) => c.period), ...Object.keys(current)].sort();
  if (!known.length) {
    box.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const last = lastClosedMonth() > known[known.length - 1] ? lastClosedMonth() : known[known.length - 1];
  const periods = monthsBetween(known[0], last);
  const purposes = PURPOSES.map((x) => x[0]).filter((x) => cells.some((c) => c.purpose === x));
  const at = {};
  for (const c of cells) at[`${c.purpose}|${c.period}`] = Number(c.value) || 0;
  const total = (per) => purposes.reduce((n, x) => n + (at[`${x}|${per}`] || 0), 0);
  if (s.disclosure_control?.applied) box.append(h('p', { class: 'hint' }, t('disclosure', { x: disclosureText(s.disclosure_control.applied) })));
  box.append(h('p', { class: 'hint' }, tw('own_months_note')));
  const c = h('div', { class: 'chart', id: 'chart-own' });
  box.append(c);
  await chart(c, {
    type: 'bar',
    data: {
      labels: periods,
      datasets: purposes.map((x, i) => ({
        label: purposeName(x), data: periods.map((per) => at[`${x}|${per}`] || 0), backgroundColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }, t('own_figures'), 240);
  const status = (per) => (current[per] ? (current[per].nil_report ? tw('month_nil') : tw('month_reported')) : tw('month_not_reported'));
  const rows = [...periods].reverse();
  box.append(h('div', { class: 'table-wrap' }, h('table', { class: 'numeric', id: 'table-own-months' },
    h('caption', {}, tw('own_months')),
    h('thead', {}, h('tr', {}, [tw('sub_month'), tw('month_total'), ...purposes.map(purposeName), tw('month_status')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((per) => h('tr', { 'data-period': per, class: current[per] ? null : 'not-reported' },
      h('th', { scope: 'row' }, per), h('td', {}, num(total(per))),
      purposes.map((x) => h('td', {}, num(at[`${x}|${per}`] || 0))),
      h('td', {}, status(per))))))));
}

export async function minePage(ctx) {
  ctx.root.append(h('h1', {}, t('mine_title')), h('p', { class: 'intro' }, t('mine_intro')));
  if (ctx.session.role !== 'hospital') {
    ctx.root.append(errorBox(new ApiError(403, ctx.session.role)));
    return;
  }
  const code = ctx.session.org;
  if (!code) {
    ctx.root.append(askCode(ctx));
    return;
  }
  const listing = h('section', { class: 'card', 'aria-label': t('listing') }, loading());
  const subsBox = h('div', {}, loading());
  const refusedBox = h('div', {}, loading());
  const figs = h('div');
  ctx.root.append(listing, section(tw('own_months'), figs), section(t('submissions'), subsBox),
    section(tw('refused_title'), refusedBox));
  const subs = allSubmissions();
  const own = subs.catch(() => ({ list: [], refused: [] })).then((x) => figuresPart(figs, x)).catch((e) => {
    if (e instanceof ApiError && e.status === 401) throw e;
    figs.append(errorBox(e));
  });
  await Promise.all([fill(listing, listingPart(code)), fill(subsBox, subs.then(submissionsPart)),
    fill(refusedBox, subs.then(refusedPart)), own]);
}
