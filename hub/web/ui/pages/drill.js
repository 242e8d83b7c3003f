// The ministry's dashboard, issue 17's parts: the period picker, the
// drill-down from region to prefecture to the hospitals behind a number,
// and the late and missing hospitals with their contacts.  Their state is
// in the address (#/dashboard?period=...&year=...&region=...&pref=...), so
// Back returns to the level before and a link opens the same view.
//
// Disclosure control (docs/disclosure-control.md):
// - Time is asked in calendar grains only (month, quarter, fiscal year,
//   calendar year); the API refuses from/to windows by design (issue 13)
//   and the picker offers none.
// - A prefecture's figure is the released prefecture table; a region's is
//   the sum of its published prefecture figures (post-processing).
// - The hospitals behind a prefecture's figure are the released hospital
//   table (the protected release, ministry only: coordinators get 403),
//   kept to the hospitals whose public listing is in that prefecture, with
//   nothing under 10 shown (the NDB rule): the others are counted, not
//   named with a figure.
// - Late and missing hospitals: whether and when each reported, never its
//   counts, and the contact from its public listing.
import { ApiError, api } from '../api.js';
import { PREFECTURES } from '../codes.js';
import { h } from '../dom.js';
import { getLang, num, prefectureName, t, value, when } from '../i18n.js';
import { tw } from '../i18n_hubweb.js';

// The eight regions (地方区分) by JIS X 0401 prefecture codes.
export const REGIONS = [
  ['hokkaido', '北海道', 'Hokkaido', ['01']],
  ['tohoku', '東北', 'Tohoku', ['02', '03', '04', '05', '06', '07']],
  ['kanto', '関東', 'Kanto', ['08', '09', '10', '11', '12', '13', '14']],
  ['chubu', '中部', 'Chubu', ['15', '16', '17', '18', '19', '20', '21', '22', '23']],
  ['kinki', '近畿', 'Kinki', ['24', '25', '26', '27', '28', '29', '30']],
  ['chugoku', '中国', 'Chugoku', ['31', '32', '33', '34', '35']],
  ['shikoku', '四国', 'Shikoku', ['36', '37', '38', '39']],
  ['kyushu', '九州・沖縄', 'Kyushu and Okinawa', ['40', '41', '42', '43', '44', '45', '46', '47']],
];
const regionName = (r) => (getLang() === 'ja' ? r[1] : r[2]);
const GRAINS = ['month', 'quarter', 'fiscal_year', 'year'];

function lastClosedMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

// periodOf(params): the period asked in the address, checked, with
// defaults: {grain, year, month}; the calendar year of the last closed
// month when nothing is asked.
export function periodOf(params) {
  const grain = GRAINS.includes(params.get('period')) ? params.get('period') : 'year';
  const last = lastClosedMonth();
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(params.get('month') || '') ? params.get('month') : last;
  const y = Number(params.get('year'));
  const year = Number.isInteger(y) && y >= 2000 && y <= 9999 ? y : Number(last.slice(0, 4));
  return { grain, year, month };
}

// The API's parameters for a period.
export function periodParams(p) {
  return p.grain === 'month' ? { period: 'month', month: p.month } : { period: p.grain, year: p.year };
}

export function periodText(p) {
  if (p.grain === 'month') return p.month;
  if (p.grain === 'fiscal_year') return tw('fy', { y: p.year });
  if (p.grain === 'quarter') return `${p.year} (${tw('grain_quarter')})`;
  return String(p.year);
}

// dashHref(params, changes): the dashboard's address with changes made
// (null removes a parameter).
export function dashHref(params, changes) {
  const q = new URLSearchParams(params);
  for (const [k, v] of Object.entries(changes))
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  const s = q.toString();
  return `#/dashboard${s ? `?${s}` : ''}`;
}

// periodPicker(ctx): the calendar-grain picker; Show navigates.
export function periodPicker(ctx) {
  const p = periodOf(ctx.params);
  const now = Number(lastClosedMonth().slice(0, 4));
  const years = [];
  for (let y = now; y >= 2019; y--) years.push(y);
  const grain = h('select', { id: 'pick-grain', name: 'period' },
    GRAINS.map((g) => h('option', { value: g, selected: g === p.grain }, tw(`grain_${g}`))));
  const year = h('select', { id: 'pick-year', name: 'year' },
    years.map((y) => h('option', { value: String(y), selected: y === p.year }, String(y))));
  const month = h('input', { type: 'month', id: 'pick-month', name: 'month', value: p.month, max: lastClosedMonth(), min: '2019-01' });
  const yearField = h('div', { class: 'field', hidden: p.grain === 'month' }, h('label', { for: 'pick-year' }, tw('pick_year')), year);
  const monthField = h('div', { class: 'field', hidden: p.grain !== 'month' }, h('label', { for: 'pick-month' }, tw('pick_month')), month);
  grain.addEventListener('change', () => {
    yearField.hidden = grain.value === 'month';
    monthField.hidden = grain.value !== 'month';
  });
  const f = h('form', { class: 'period-picker', id: 'period-picker', 'aria-label': tw('period_picker') },
    h('div', { class: 'field' }, h('label', { for: 'pick-grain' }, tw('grain')), grain),
    yearField, monthField,
    h('button', { type: 'submit', class: 'primary', id: 'pick-apply' }, tw('apply')));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const m = grain.value === 'month';
    ctx.navigate(dashHref(ctx.params, {
      period: grain.value, year: m ? null : year.value, month: m ? month.value : null, coff: null,
    }));
  });
  return h('section', { class: 'card no-print-controls', 'aria-labelledby': 'period-title' },
    h('h2', { id: 'period-title' }, tw('period_picker')), f,
    h('p', { class: 'hint' }, tw('calendar_only')),
    h('p', { class: 'selected-period', id: 'selected-period' }, tw('selected_period', { p: periodText(p) })));
}

function cellsBy(body, key) {
  const periods = [...new Set((body.cells || []).map((c) => c.period))].sort();
  const at = {};
  for (const c of body.cells || []) at[`${c[key]}|${c.period}`] = c.value;
  return { periods, at };
}

function crumbs(ctx, region, pref) {
  const items = [h('li', {}, region ? h('a', { href: dashHref(ctx.params, { region: null, pref: null }), class: 'drill-up' }, tw('drill_all')) : tw('drill_all'))];
  if (region)
    items.push(h('li', {}, pref ? h('a', { href: dashHref(ctx.params, { pref: null }), class: 'drill-up' }, regionName(region)) : regionName(region)));
  if (pref) items.push(h('li', {}, prefectureName(pref)));
  return h('ol', { class: 'crumbs-drill', id: 'drill-crumbs', 'aria-label': tw('drill_title') }, items);
}

function drillTable(id, head, periods, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'numeric', id },
    h('thead', {}, h('tr', {}, [head, ...periods].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map(([key, label, vals]) => h('tr', { 'data-key': key },
      h('th', { scope: 'row' }, label), vals.map((v) => h('td', {}, value(v ?? null))))))));
}

// Every listed hospital of a prefecture: code -> name (/api/v1/hospitals,
// page by page).
async function listedIn(pref) {
  const names = {};
  let total = 0;
  for (let offset = 0; offset < 20000; offset += 200) {
    const b = await api('/api/v1/hospitals', { prefecture: pref, limit: 200, offset: offset || null, sort: null });
    total = b.total ?? 0;
    for (const x of b.hospitals || []) names[x.organisation_code] = x.name;
    if (offset + 200 >= total) break;
  }
  return { names, total };
}

// drillPanel(ctx, box, hospitalName): draw the drill-down into box.
export async function drillPanel(ctx, box, hospitalName) {
  const p = periodOf(ctx.params);
  const region = REGIONS.find((r) => r[0] === ctx.params.get('region')) || null;
  const prefParam = ctx.params.get('pref');
  const pref = region && region[3].includes(prefParam) ? prefParam : null;
  // A level opened from the address is shown, not the page's top.
  if (region) box.closest('section').dataset.scrollTarget = '1';
  box.append(crumbs(ctx, region, pref), h('p', { class: 'hint' }, tw('selected_period', { p: periodText(p) })));
  if (!pref) {
    const body = await api('/api/v1/statistics', { measure: 'patients', by: 'period,prefecture', ...periodParams(p) });
    const { periods, at } = cellsBy(body, 'prefecture');
    if (!region) {
      box.append(drillTable('table-drill', tw('region'), periods, REGIONS.map((r) => {
        const vals = periods.map((per) => {
          const shown = r[3].map((c) => at[`${c}|${per}`]).filter((v) => v !== undefined && v !== null);
          return shown.length ? shown.reduce((a, b) => a + b, 0) : null;
        });
        return [r[0], h('a', { href: dashHref(ctx.params, { region: r[0], pref: null }), class: 'drill-link', 'data-region': r[0] }, regionName(r)), vals];
      })), h('p', { class: 'hint' }, tw('drill_regions_note')));
      return;
    }
    box.append(drillTable('table-drill', t('prefecture'), periods, region[3].map((c) => [c,
      h('a', { href: dashHref(ctx.params, { region: region[0], pref: c }), class: 'drill-link', 'data-pref': c }, prefectureName(c)),
      periods.map((per) => at[`${c}|${per}`] ?? null)])));
    return;
  }
  let body;
  try {
    body = await api('/api/v1/statistics', { measure: 'patients', by: 'hospital,period', prefecture: pref, ...periodParams(p) });
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      box.append(h('p', { class: 'notice' }, tw('drill_coordinator')));
      return;
    }
    throw e;
  }
  const { periods, at } = cellsBy(body, 'hospital');
  const shown = [...new Set((body.cells || []).map((c) => c.hospital))];
  const listed = await listedIn(pref);
  shown.sort((a, b) => {
    const sa = periods.reduce((n, per) => n + (at[`${a}|${per}`] || 0), 0);
    const sb = periods.reduce((n, per) => n + (at[`${b}|${per}`] || 0), 0);
    return sb - sa || a.localeCompare(b);
  });
  box.append(h('h3', {}, tw('open_prefecture', { p: prefectureName(pref) })),
    drillTable('table-drill-hospitals', tw('hospital_col'), periods, shown.map((code) => [code,
      h('a', { href: `#/hospital/${code}` }, listed.names[code] ? hospitalName(listed.names[code]) : code),
      periods.map((per) => at[`${code}|${per}`] ?? null)])),
    h('p', { class: 'hint', id: 'drill-hidden', 'data-hidden': Math.max(0, listed.total - shown.length) },
      tw('drill_hidden', { n: num(Math.max(0, listed.total - shown.length)) })),
    h('p', { class: 'hint' }, tw('drill_hospitals_note')));
}

// latePanel(ctx, box): the late and missing hospitals of a month (the
// picked month, else the last closed one), 20 a page.
export async function latePanel(ctx, box) {
  const p = periodOf(ctx.params);
  const month = p.grain === 'month' ? p.month : lastClosedMonth();
  const off = Math.max(0, Number(ctx.params.get('coff')) || 0);
  const b = await api('/api/v1/completeness', { period: month, status: 'late_or_missing', limit: 20, offset: off || null });
  box.append(h('p', { class: 'hint' }, `${month} · ${b.deadline ? tw('deadline', { d: when(b.deadline) }) : ''}`),
    h('p', { class: 'hint' }, tw('late_missing_note')));
  if (!b.hospitals.length) {
    box.append(h('p', { class: 'empty', id: 'late-none' }, tw('none_late')));
    return;
  }
  box.append(h('div', { class: 'table-wrap' }, h('table', { id: 'table-late' },
    h('thead', {}, h('tr', {}, [tw('hospital_col'), t('prefecture'), tw('status'), tw('sub_received'), tw('contact')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, b.hospitals.map((x) => h('tr', { 'data-code': x.organisation_code, 'data-status': x.status },
      h('th', { scope: 'row' }, h('a', { href: `#/hospital/${x.organisation_code}` }, x.name), h('br'), h('small', { class: 'muted' }, x.organisation_code)),
      h('td', {}, prefectureName(x.prefecture)),
      h('td', { class: `status-${x.status}` }, tw(`status_${x.status}`)),
      h('td', {}, x.first_received ? when(x.first_received) : '—'),
      h('td', {}, x.contact ? [x.contact.email ? h('a', { href: `mailto:${x.contact.email}` }, x.contact.email) : null,
        x.contact.email && x.contact.phone ? h('br') : null, x.contact.phone || null] : '—')))))),
  h('p', { class: 'hint' }, tw('n_of_total', { from: num(off + 1), to: num(off + b.hospitals.length), total: num(b.total) })),
  b.total > 20 ? h('nav', { class: 'pager' },
    off > 0 ? h('a', { class: 'button', href: dashHref(ctx.params, { coff: Math.max(0, off - 20) || null }) }, t('prev')) : null,
    off + 20 < b.total ? h('a', { class: 'button', href: dashHref(ctx.params, { coff: off + 20 }) }, t('next')) : null) : null);
}

// The prefecture codes, for a check that an address names a real one.
export const PREF_CODES = PREFECTURES.map((x) => x[0]);
