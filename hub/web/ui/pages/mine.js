// A hospital's own page: its listing, its last statistics submissions with
// what the hub made of them, and its own figures (exact: they are its own).
import { ApiError, api, saveSession } from '../api.js';
import { PALETTE, chart } from '../charts.js';
import { errorBox, fill, loading, section } from '../common.js';
import { PURPOSES } from '../codes.js';
import { h, table } from '../dom.js';
import { disclosureText, num, purposeName, t, when } from '../i18n.js';
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

async function submissionsPart() {
  let body;
  try {
    body = await api('/api/v1/submissions');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return h('p', { class: 'notice' }, t('not_available'));
    throw e;
  }
  const list = Array.isArray(body) ? body : body?.submissions || [];
  if (!list.length) return h('p', { class: 'empty' }, t('no_data'));
  return table([t('period'), t('received_at'), t('nil_report'), t('cells'), t('imported'), t('updated'), t('unchanged'), t('deleted'), t('superseded_at')],
    list.map((s) => [s.period, when(s.received_at), s.nil_report ? t('yes') : t('no'), num(s.cells), num(s.imported),
      num(s.updated), num(s.unchanged), num(s.deleted), s.superseded_at ? when(s.superseded_at) : h('strong', {}, t('current'))]),
    { className: 'numeric', id: 'table-submissions' });
}

async function figuresPart(box) {
  const s = await api('/api/v1/statistics', { measure: 'patients', by: 'period,purpose', period: 'month' });
  const cells = s.cells || [];
  if (!cells.length) {
    box.append(h('p', { class: 'empty' }, t('no_data')));
    return;
  }
  const periods = [...new Set(cells.map((c) => c.period))].sort();
  const purposes = PURPOSES.map((x) => x[0]).filter((x) => cells.some((c) => c.purpose === x));
  const at = {};
  for (const c of cells) at[`${c.purpose}|${c.period}`] = c;
  if (s.disclosure_control?.applied) box.append(h('p', { class: 'hint' }, t('disclosure', { x: disclosureText(s.disclosure_control.applied) })));
  const c = h('div', { class: 'chart', id: 'chart-own' });
  box.append(c);
  await chart(c, {
    type: 'bar',
    data: {
      labels: periods,
      datasets: purposes.map((x, i) => ({
        label: purposeName(x), data: periods.map((per) => at[`${x}|${per}`]?.value ?? null), backgroundColor: PALETTE[i % PALETTE.length],
      })),
    },
    options: { plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }, t('own_figures'), 240);
  box.append(table([t('period'), ...purposes.map(purposeName)],
    periods.map((per) => [per, ...purposes.map((x) => (at[`${x}|${per}`] ? num(at[`${x}|${per}`].value) : '—'))]),
    { className: 'numeric' }));
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
  const subs = h('div', {}, loading());
  const figs = h('div');
  ctx.root.append(listing, section(t('submissions'), subs), section(t('own_figures'), figs));
  const own = figuresPart(figs).catch((e) => {
    if (e instanceof ApiError && e.status === 401) throw e;
    figs.append(errorBox(e));
  });
  await Promise.all([fill(listing, listingPart(code)), fill(subs, submissionsPart()), own]);
}
