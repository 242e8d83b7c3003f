// The monthly report: choose the month and the export, see what the
// anonymiser makes of it (the cells that would leave, the rows it refuses
// with line and column), map the hospital system's words, then send it,
// or send a nil report.
import { call } from './api.js';
import { h } from '/ui/dom.js';
import { COUNTRIES, PURPOSES, REFERRAL_CHANNELS, SEXES } from '/ui/codes.js';
import { channelName, countryName, problemText, purposeName, sexName, t } from './i18n.js';

let period = null;
let bytes = null;   // the chosen file
let fileName = '';
let convert = false;
let result = null;  // the last answer of /api/report/check
let notice = null;

// The anonymiser's messages write bytes outside printable ASCII as \xNN
// (for logs); here, inside the hospital, they are shown as the text.
function unescape(msg) {
  return msg.replace(/(?:\\x[0-9a-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.match(/[0-9a-f]{2}/g).map((x) => parseInt(x, 16)));
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  });
}

// The months a report may be for: the last 12 closed ones and this one.
function months() {
  const out = [];
  const d = new Date();
  for (let i = 0; i <= 12; i++) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    out.push(m.toISOString().slice(0, 7));
  }
  return out;
}

// Our values for a word column: [value, name].
function ours(column) {
  const yn = [['yes', t('yes')], ['no', t('no')], ['unknown', '?']];
  return {
    sex: SEXES.map((r) => [r[0], sexName(r[0])]),
    purpose: PURPOSES.map((r) => [r[0], purposeName(r[0])]),
    referral_channel: REFERRAL_CHANNELS.map((r) => [r[0], channelName(r[0])]),
    nationality: COUNTRIES.map((c) => [c, `${countryName(c)} (${c})`]),
    remote_second_opinion_first: yn,
    medical_stay_visa: yn,
  }[column] || [];
}

function mapHelper() {
  const entries = Object.entries(result?.values || {}).filter(([, v]) => v.length > 0);
  if (entries.length === 0) return null;
  const rows = [];
  for (const [col, vals] of entries)
    for (const v of vals) {
      const known = ours(col).some(([x]) => x.toLowerCase() === v.toLowerCase());
      if (known) continue;
      rows.push(h('tr', {}, h('th', { scope: 'row' }, col), h('td', {}, v),
        h('td', {}, h('select', { class: 'map-choice', 'data-column': col, 'data-theirs': v, 'aria-label': `${col}: ${v}` },
          h('option', { value: '' }, t('map_leave')), ours(col).map(([x, n]) => h('option', { value: x }, n))))));
    }
  if (rows.length === 0) return null;
  return h('section', { class: 'card', id: 'map-helper', 'aria-labelledby': 'map-title' },
    h('h2', { id: 'map-title' }, t('map_title')), h('p', { class: 'hint' }, t('map_intro')),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('column')), h('th', {}, 'CSV'), h('th', {}, '→'))),
      h('tbody', {}, rows))),
    h('button', {
      type: 'button', id: 'map-save',
      onclick: async () => {
        const values = [...document.querySelectorAll('.map-choice')].filter((s) => s.value)
          .map((s) => ({ column: s.dataset.column, theirs: s.dataset.theirs, ours: s.value }));
        if (values.length === 0) return;
        await call('POST', '/api/map', { values });
        await check();
      },
    }, t('map_save')));
}

// Our columns the file lacks (its header problems), each to be named by
// one of the file's own headers.
function headerHelper() {
  const missing = [];
  for (const p of result?.file_problems || []) {
    const m = p.match(/missing column "([a-z_0-9]+)"/);
    if (m) missing.push(m[1]);
    if (/needs a birth_date or an age column/.test(p)) missing.push('birth_date', 'age');
  }
  if (missing.length === 0 || !(result.header || []).length) return null;
  return h('section', { class: 'card', id: 'header-helper', 'aria-labelledby': 'header-title' },
    h('h2', { id: 'header-title' }, t('header_title')), h('p', { class: 'hint' }, t('header_intro')),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, t('column')), h('th', {}, t('their_header')))),
      h('tbody', {}, missing.map((col) => h('tr', {}, h('th', { scope: 'row' }, col),
        h('td', {}, h('select', { class: 'header-choice', 'data-column': col, 'aria-label': col },
          h('option', { value: '' }, t('map_leave')), result.header.map((x) => h('option', { value: x }, x))))))))),
    h('button', {
      type: 'button', id: 'header-save',
      onclick: async () => {
        const headers = [...document.querySelectorAll('.header-choice')].filter((s) => s.value)
          .map((s) => ({ column: s.dataset.column, theirs: s.value }));
        if (headers.length === 0) return;
        const r = await call('POST', '/api/map', { headers }, { allow: [422] });
        if (r.status_code === 422) {
          notice = { cls: 'error', text: (r.problems || []).map((p) => p.message).join(' / ') || r.error };
          draw();
          return;
        }
        await check();
      },
    }, t('map_save')));
}

function cells(sub) {
  if (!sub?.cells?.length) return null;
  return h('section', { class: 'card', id: 'preview', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, t('preview_title')),
    h('div', { class: 'table-wrap' }, h('table', { id: 'cells' },
      h('thead', {}, h('tr', {}, ['c_nationality', 'c_purpose', 'c_icd10', 'c_age', 'c_sex', 'c_channel', 'c_patients', 'c_episodes', 'c_charge']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, sub.cells.map((c) => h('tr', {},
        h('th', { scope: 'row' }, `${countryName(c.nationality)} (${c.nationality})`),
        h('td', {}, purposeName(c.purpose)), h('td', {}, c.icd10), h('td', {}, c.age_band),
        h('td', {}, sexName(c.sex)), h('td', {}, channelName(c.referral_channel)),
        h('td', {}, c.patients), h('td', {}, c.episodes), h('td', {}, c.charge_jpy.toLocaleString())))))));
}

function resultView() {
  if (!result) return [];
  if (result.needs_conversion)
    return [h('div', { class: 'warning', id: 'sjis' }, h('p', {}, t('sjis_found')),
      h('pre', { class: 'mono' }, result.preview),
      h('button', { type: 'button', id: 'convert', onclick: () => { convert = true; check(); } }, t('convert')))];
  const out = [h('p', { id: 'summary' }, `${t('encoding')}: ${result.encoding}${result.converted ? ' → UTF-8' : ''}. `,
    t('rows_summary', { rows: result.rows, in: result.in_period, other: result.other_periods, bad: result.bad_rows }))];
  if (result.file_problems?.length)
    out.push(h('div', { class: 'error', id: 'file-problems' }, h('strong', {}, t('file_problems')),
      h('ul', {}, result.file_problems.map((p) => h('li', {}, p)))));
  if (result.errors?.length)
    out.push(h('section', { class: 'card', 'aria-labelledby': 'errors-title' }, h('h2', { id: 'errors-title' }, t('row_errors')),
      h('div', { class: 'table-wrap' }, h('table', { id: 'row-errors' },
        h('thead', {}, h('tr', {}, h('th', {}, t('line')), h('th', {}, t('column')), h('th', {}, t('message')))),
        h('tbody', {}, result.errors.map((e) => h('tr', { 'data-line': e.line, 'data-column': e.column },
          h('th', { scope: 'row' }, e.line ?? ''), h('td', {}, e.column), h('td', {}, unescape(problemText(e))))))))));
  out.push(headerHelper());
  out.push(mapHelper());
  out.push(cells(result.submission));
  if (!result.ok) out.push(h('p', { class: 'hint' }, t('not_ok')));
  return out;
}

async function check() {
  if (!bytes) return;
  result = await call('POST', `/api/report/check?period=${period}${convert ? '&convert=shift_jis' : ''}`, bytes, { allow: [400, 422] });
  notice = result.status_code !== 200 ? { cls: 'error', text: result.error } : null;
  draw();
}

let mainEl = null;
function draw() {
  const file = h('input', {
    type: 'file', id: 'file', accept: '.csv,text/csv',
    onchange: async (ev) => {
      const f = ev.target.files[0];
      if (!f) return;
      fileName = f.name;
      bytes = await f.arrayBuffer();
      convert = false;
      result = null;
      notice = null;
      await check();
    },
  });
  const form = h('div', { class: 'card spoke-form', id: 'report' },
    h('h1', {}, t('report_title')), h('p', { class: 'hint' }, t('report_intro')),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'period' }, t('period')),
        h('select', { id: 'period', onchange: (ev) => { period = ev.target.value; check(); } },
          months().map((m) => h('option', { value: m, selected: m === period }, m)))),
      h('div', { class: 'field' }, h('label', { for: 'file' }, t('file')), file,
        fileName ? h('small', { class: 'hint' }, fileName) : null)),
    h('div', { id: 'result' }, resultView()),
    h('div', { class: 'buttons' },
      h('button', {
        type: 'button', class: 'primary', id: 'send', disabled: !result?.ok,
        onclick: async () => {
          const r = await call('POST', `/api/report/send?period=${period}${convert ? '&convert=shift_jis' : ''}`, bytes, { allow: [422] });
          notice = r.status_code === 200 ? { cls: 'ok', text: t('sent_ok') } : { cls: 'error', text: r.error };
          draw();
        },
      }, t('send')),
      h('button', {
        type: 'button', id: 'send-nil',
        onclick: async () => {
          await call('POST', `/api/report/nil?period=${period}`, {});
          notice = { cls: 'ok', text: t('nil_ok') };
          draw();
        },
      }, t('send_nil'))),
    h('p', { id: 'report-status', role: 'status', 'aria-live': 'polite', class: notice?.cls || 'hint' }, notice?.text || ''));
  mainEl.replaceChildren(form);
}

export async function reportView(main) {
  mainEl = main;
  if (!period) period = months()[1];
  draw();
}
