// The listing form: every field of docs/listing-format.md, code lists by
// name, each problem the spoke finds (the rules of inbound-spoke check)
// next to its field, the changes against the published version, and
// Publish / Confirm unchanged.  The draft survives a change of language.
import { call } from './api.js';
import { h } from '/ui/dom.js';
import {
  ACCREDITATIONS, COUNTRIES, DEPARTMENTS, LANGUAGES, PREFECTURES, SERVICES_EXTRA, TREATMENTS,
} from '/ui/codes.js';
import {
  accreditationName, countryName, departmentName, languageName, prefectureName, problemText, t, treatmentName,
} from './i18n.js';

let draft = null;     // the listing being edited
let published = null; // the version the hub last acknowledged (its bytes)
let loaded = null;    // the answer of GET /api/listing
let problems = [];    // [{field, message}] of the last check
let notice = null;    // {cls, text} after an action

const NAME_LANGS = [['zh-Hans', '简体中文'], ['zh-Hant', '繁體中文'], ['ko', '한국어'], ['vi', 'Tiếng Việt'], ['ru', 'Русский']];

// get/set a dotted path ("name.ja", "international_contact.email").
function get(path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), draft);
}
function set(path, v) {
  const keys = path.split('.');
  let o = draft;
  for (const k of keys.slice(0, -1)) o = o[k] ?? (o[k] = {});
  const last = keys[keys.length - 1];
  if (v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) delete o[last];
  else o[last] = v;
  if (keys.length > 1 && Object.keys(o).length === 0) set(keys.slice(0, -1).join('.'), undefined);
}

// The id of the block for a problem's field: "price_bands[1].min_jpy" ->
// f-price_bands-1, else f-price_bands, ... the most specific that exists.
function blockFor(field) {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (let n = parts.length; n > 0; n--) {
    const el = document.getElementById(`f-${parts.slice(0, n).join('-')}`);
    if (el) return el;
  }
  return null;
}

function errorsFor(id) {
  return h('div', { class: 'errors', id: `e-${id}`, 'aria-live': 'polite' });
}

function text(path, label, attrs = {}) {
  const id = `i-${path.replace(/\./g, '-')}`;
  return h('div', { class: 'field', id: `f-${path.replace(/\./g, '-')}` },
    h('label', { for: id }, label),
    h('input', {
      id, type: 'text', value: get(path) ?? '', ...attrs,
      oninput: (ev) => {
        const v = ev.target.value.trim();
        set(path, attrs.type === 'number' ? (v === '' ? undefined : Number(v)) : v);
        changes();
      },
    }),
    errorsFor(path));
}

function choice(path, label, options, { bool = false } = {}) {
  const id = `i-${path.replace(/\./g, '-')}`;
  const cur = get(path);
  const curText = cur === undefined ? '' : String(cur);
  return h('div', { class: 'field', id: `f-${path.replace(/\./g, '-')}` },
    h('label', { for: id }, label),
    h('select', {
      id,
      onchange: (ev) => {
        const v = ev.target.value;
        set(path, v === '' ? undefined : bool ? v === 'true' : v);
        changes();
      },
    }, options.map(([v, n]) => h('option', { value: v, selected: v === curText }, n))),
    errorsFor(path));
}

// A list of codes as checkboxes, with names; codes the listing has that the
// list lacks are shown too.
function pick(path, label, codes, name) {
  const cur = get(path) || [];
  const all = [...codes, ...cur.filter((c) => !codes.includes(c))];
  const filter = h('input', {
    type: 'search', placeholder: t('filter'), 'aria-label': `${label}: ${t('filter')}`,
    oninput: (ev) => {
      const q = ev.target.value.toLowerCase();
      for (const l of box.querySelectorAll('label')) l.hidden = q !== '' && !l.textContent.toLowerCase().includes(q);
    },
  });
  const box = h('div', { class: 'pick', role: 'group', 'aria-label': label }, all.map((c) => h('label', {},
    h('input', {
      type: 'checkbox', value: c, checked: cur.includes(c), 'data-code': c,
      onchange: (ev) => {
        const now = get(path) || [];
        set(path, ev.target.checked ? [...now, c] : now.filter((x) => x !== c));
        changes();
      },
    }), `${name(c)} (${c})`)));
  return h('div', { class: 'field', id: `f-${path}` }, h('span', { class: 'label' }, h('strong', {}, label)),
    all.length > 12 ? filter : null, box, errorsFor(path));
}

function bands() {
  const list = draft.price_bands || [];
  const services = [...TREATMENTS.map((r) => r[0]), ...SERVICES_EXTRA.map((r) => r[0])];
  const rows = list.map((b, i) => h('div', { class: 'band', id: `f-price_bands-${i}` },
    h('div', { class: 'field' }, h('label', { for: `band-${i}-service` }, t('f_service')),
      h('select', {
        id: `band-${i}-service`,
        onchange: (ev) => { b.service = ev.target.value; changes(); },
      }, services.map((s) => h('option', { value: s, selected: s === b.service }, treatmentName(s))))),
    ...['min_jpy', 'max_jpy'].map((k) => h('div', { class: 'field' },
      h('label', { for: `band-${i}-${k}` }, t(`f_${k}`)),
      h('input', {
        id: `band-${i}-${k}`, type: 'number', min: 0, step: 1000, value: b[k] ?? '',
        oninput: (ev) => { b[k] = ev.target.value === '' ? undefined : Number(ev.target.value); changes(); },
      }))),
    h('button', { type: 'button', class: 'link-button', onclick: () => { list.splice(i, 1); set('price_bands', list); redraw(); } }, t('remove')),
    h('div', { style: null }, errorsFor(`price_bands-${i}`))));
  return h('fieldset', { id: 'f-price_bands' }, h('legend', {}, t('g_prices')), rows,
    h('button', {
      type: 'button', id: 'band-add',
      onclick: () => { set('price_bands', [...list, { service: SERVICES_EXTRA[0][0], min_jpy: 0, max_jpy: 0 }]); redraw(); },
    }, t('add')), errorsFor('price_bands'));
}

function accreditations() {
  const list = draft.accreditations || [];
  const rows = list.map((a, i) => h('div', { class: 'band', id: `f-accreditations-${i}` },
    h('div', { class: 'field' }, h('label', { for: `acc-${i}-scheme` }, t('f_scheme')),
      h('select', { id: `acc-${i}-scheme`, onchange: (ev) => { a.scheme = ev.target.value; changes(); } },
        ACCREDITATIONS.map((r) => h('option', { value: r[0], selected: r[0] === a.scheme }, accreditationName(r[0]))))),
    h('div', { class: 'field' }, h('label', { for: `acc-${i}-expires` }, t('f_expires')),
      h('input', {
        id: `acc-${i}-expires`, type: 'date', value: a.expires || '',
        onchange: (ev) => { if (ev.target.value) a.expires = ev.target.value; else delete a.expires; changes(); },
      })),
    h('span'),
    h('button', { type: 'button', class: 'link-button', onclick: () => { list.splice(i, 1); set('accreditations', list); redraw(); } }, t('remove')),
    errorsFor(`accreditations-${i}`)));
  return h('div', { class: 'field', id: 'f-accreditations' }, h('strong', {}, t('f_accreditations')), rows,
    h('button', { type: 'button', onclick: () => { set('accreditations', [...list, { scheme: ACCREDITATIONS[0][0] }]); redraw(); } }, t('add')),
    errorsFor('accreditations'));
}

function warnings() {
  const out = [];
  for (const w of loaded?.warnings || []) {
    let s = null;
    if (w.kind === 'stale') s = t('w_stale', { d: w.days });
    else if (w.kind === 'stale_soon') s = t('w_stale_soon', { d: w.days, left: w.days_left });
    else if (w.kind === 'never_confirmed') s = t('w_never');
    else if (w.kind === 'accreditation_expiring') s = t('w_acc_expiring', { scheme: w.scheme, left: w.days_left });
    else if (w.kind === 'accreditation_expired') s = t('w_acc_expired', { scheme: w.scheme });
    if (s) out.push(h('p', { class: 'warning', role: 'status' }, s));
  }
  return out;
}

// A value as words, for the table of changes.
function shown(key, v) {
  if (v === undefined || v === null) return '—';
  const names = {
    languages: languageName, accepts_countries: countryName, treatments: treatmentName,
    departments: departmentName,
  };
  if (names[key]) return v.map(names[key]).join('、');
  if (key === 'prefecture') return prefectureName(v);
  if (key === 'price_bands') return v.map((b) => `${treatmentName(b.service)} ${b.min_jpy?.toLocaleString()}–${b.max_jpy?.toLocaleString()}`).join(' / ');
  if (key === 'accreditations') return v.map((a) => `${a.scheme}${a.expires ? ` (${a.expires})` : ''}`).join(', ');
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${x}`).join(', ');
  return String(v);
}

function changes() {
  const box = document.getElementById('changes');
  if (!box) return;
  if (!published) {
    box.replaceChildren(h('p', { class: 'hint' }, t('no_published')));
    return;
  }
  const keys = [...new Set([...Object.keys(published), ...Object.keys(draft)])]
    .filter((k) => k !== 'confirmed_at' && JSON.stringify(published[k]) !== JSON.stringify(draft[k]));
  box.replaceChildren(keys.length === 0 ? h('p', { class: 'hint', id: 'no-changes' }, t('no_changes'))
    : h('div', { class: 'table-wrap' }, h('table', { class: 'diff', id: 'diff' },
      h('thead', {}, h('tr', {}, h('th', {}, t('field')), h('th', {}, t('before')), h('th', {}, t('after')))),
      h('tbody', {}, keys.map((k) => h('tr', { 'data-field': k }, h('th', { scope: 'row' }, k),
        h('td', { class: 'before' }, shown(k, published[k])), h('td', { class: 'after' }, shown(k, draft[k]))))))));
}

function showProblems() {
  for (const el of document.querySelectorAll('.field-error')) el.remove();
  for (const el of document.querySelectorAll('.has-error')) el.classList.remove('has-error');
  const general = document.getElementById('general-errors');
  general.replaceChildren();
  for (const p of problems) {
    const block = blockFor(p.field);
    const msg = h('p', { class: 'field-error', 'data-field': p.field }, p.field ? `${p.field}: ${problemText(p)}` : problemText(p));
    if (block) {
      block.classList.add('has-error');
      block.append(msg);
    } else general.append(msg);
  }
}

// A coordinator's listing (docs/listing-format.md, "Coordinator
// listings") is edited as its JSON text, with the same checks, changes
// and buttons.
function coordinatorForm() {
  const area = h('textarea', {
    id: 'listing-json', rows: 24, class: 'mono', spellcheck: 'false', 'aria-label': t('listing_title'),
    oninput: (ev) => {
      try {
        draft = JSON.parse(ev.target.value);
        changes();
      } catch {
        /* checked when sent */
      }
    },
  }, JSON.stringify(draft, null, 2));
  const form = h('form', { class: 'spoke-form card', id: 'listing-form', novalidate: true },
    h('h1', {}, t('listing_title')), h('p', { class: 'hint' }, t('coordinator_intro')),
    warnings(), h('div', { id: 'general-errors' }), h('div', { class: 'field', id: 'f-json' }, area),
    h('section', { class: 'card', 'aria-labelledby': 'changes-title' }, h('h2', { id: 'changes-title' }, t('changes')), h('div', { id: 'changes' })),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'check', onclick: check }, t('check')),
      h('button', { type: 'submit', class: 'primary', id: 'publish' }, t('publish')),
      h('button', { type: 'button', id: 'confirm', onclick: confirmUnchanged }, t('confirm_unchanged'))),
    h('p', { id: 'listing-status', role: 'status', 'aria-live': 'polite', class: notice?.cls || 'hint' }, notice?.text || ''));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); publish(); });
  return form;
}

let mainEl = null;
function redraw() {
  if (loaded?.kind === 'coordinator') {
    mainEl.replaceChildren(coordinatorForm());
    showProblems();
    changes();
    return;
  }
  const sel = (path, rows, key) => choice(path, t(key), [['', t('not_said')], ...rows]);
  const form = h('form', { class: 'spoke-form card', id: 'listing-form', novalidate: true },
    h('h1', {}, t('listing_title')), h('p', { class: 'hint' }, t('listing_intro')),
    warnings(),
    h('div', { id: 'publication' }, publicationStatus()),
    h('div', { id: 'general-errors' }),
    h('fieldset', {}, h('legend', {}, t('g_identity')), h('div', { class: 'row' },
      text('organisation_code', t('f_organisation_code'), { readonly: true }),
      text('name.ja', t('f_name_ja'), { maxlength: 200 }),
      text('name.en', t('f_name_en'), { maxlength: 200 }),
      sel('name_en_source', [['registered', t('src_registered')], ['transliteration', t('src_transliteration')]], 'f_name_en_source'),
      text('name.ja-Latn', t('f_name_ja_latn'), { maxlength: 200 }),
      text('beds', t('f_beds'), { type: 'number', min: 0, max: 5000 }),
      text('confirmed_at', t('f_confirmed_at'), { readonly: true }))),
    h('fieldset', {}, h('legend', {}, t('g_names')), h('div', { class: 'row' },
      NAME_LANGS.map(([l, n]) => text(`name.${l}`, n, { maxlength: 200, lang: l })))),
    h('fieldset', {}, h('legend', {}, t('g_place')), h('div', { class: 'row' },
      choice('prefecture', t('f_prefecture'), PREFECTURES.map((r) => [r[0], prefectureName(r[0])])),
      text('postal_code', t('f_postal_code'), { inputmode: 'numeric', maxlength: 7 }),
      text('address', t('f_address'), { maxlength: 400 }),
      text('address_latn', t('f_address_latn'), { maxlength: 600 }),
      text('location.lat', t('f_lat'), { type: 'number', step: 'any' }),
      text('location.lon', t('f_lon'), { type: 'number', step: 'any' }),
      sel('geocode_level', [['official', t('geo_official')], ['town', t('geo_town')], ['municipality', t('geo_municipality')]], 'f_geocode_level'))),
    h('fieldset', {}, h('legend', {}, t('g_care')),
      pick('departments', t('f_departments'), DEPARTMENTS.map((r) => r[0]), departmentName),
      pick('treatments', t('f_treatments'), TREATMENTS.map((r) => r[0]), treatmentName)),
    h('fieldset', {}, h('legend', {}, t('g_patients')),
      pick('languages', t('f_languages'), LANGUAGES, languageName),
      pick('accepts_countries', t('f_accepts_countries'), COUNTRIES, countryName),
      h('div', { class: 'row' },
        choice('receives_foreign_patients', t('f_receives'), [['', t('not_said')], ['true', t('yes')], ['false', t('no')]], { bool: true }),
        choice('remote_second_opinion', t('f_remote_second_opinion'), [['', t('not_said')], ['true', t('yes')], ['false', t('no')]], { bool: true })),
      accreditations()),
    bands(),
    h('fieldset', {}, h('legend', {}, t('g_contact')), h('div', { class: 'row' },
      text('website', t('f_website'), { type: 'url', maxlength: 500 }),
      text('international_contact.email', t('f_email'), { type: 'email', maxlength: 200 }),
      text('international_contact.phone', t('f_phone'), { type: 'tel', maxlength: 40 }))),
    h('section', { class: 'card', 'aria-labelledby': 'changes-title' }, h('h2', { id: 'changes-title' }, t('changes')), h('div', { id: 'changes' })),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'check', onclick: check }, t('check')),
      h('button', { type: 'submit', class: 'primary', id: 'publish' }, t('publish')),
      h('button', { type: 'button', id: 'confirm', onclick: confirmUnchanged }, t('confirm_unchanged'))),
    h('p', { id: 'listing-status', role: 'status', 'aria-live': 'polite', class: notice?.cls || 'hint' }, notice?.text || ''));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); publish(); });
  const y = window.scrollY;
  mainEl.replaceChildren(form);
  window.scrollTo(0, y);
  showProblems();
  changes();
}

function say(cls, text) {
  notice = { cls, text };
  const el = document.getElementById('listing-status');
  if (el) {
    el.className = cls;
    el.textContent = text;
  }
}

// A coordinator's JSON text, parsed into the draft; false (said) when it
// is not JSON.
function jsonOk() {
  const area = document.getElementById('listing-json');
  if (!area) return true;
  try {
    draft = JSON.parse(area.value);
    return true;
  } catch (e) {
    say('error', `JSON: ${e.message}`);
    return false;
  }
}

async function check() {
  if (!jsonOk()) return;
  const r = await call('POST', '/api/listing/check', draft);
  problems = r.problems || [];
  showProblems();
  say(problems.length ? 'error' : 'ok', problems.length ? t('check_problems', { n: problems.length }) : t('check_ok'));
  if (problems.length) blockFor(problems[0].field)?.scrollIntoView({ block: 'center' });
}

// Where the newest publication stands: the version the hub accepted,
// "waiting for the hub" while the agent's envelope is pending, or
// "refused: reason" (GET /api/listing's acknowledged and publication).
function publicationStatus() {
  const p = loaded?.publication || { state: 'none' };
  const out = [];
  if (loaded?.acknowledged)
    out.push(h('p', { class: 'hint', id: 'acked' }, t('acked', { v: loaded.acknowledged.version, at: loaded.acknowledged.acked_at })));
  if (p.state === 'waiting')
    out.push(h('p', { class: 'warning', id: 'pub-state', 'data-state': 'waiting' }, t('pub_waiting')));
  else if (p.state === 'refused')
    // rejected/SEQ.reason: "sequence: ...", "status: ...", "error: the hub's words"
    out.push(h('p', { class: 'error', id: 'pub-state', 'data-state': 'refused' },
      t('pub_refused', { reason: (p.reason || '').split('\n').find((l) => l.startsWith('error: '))?.slice(7) || p.reason })));
  else out.push(h('span', { id: 'pub-state', 'data-state': p.state, hidden: true }));
  return out;
}

// While a version waits for the hub (and, after Publish, until the hub's
// version changes: the agent seals it a moment later), look again every 2
// seconds and update the status and the changes (the draft being edited
// stays).
let polling = null;
function watchPublication(afterPublish = false) {
  const before = loaded?.acknowledged?.sequence;
  const until = afterPublish ? Date.now() + 60000 : 0;
  if (polling || (!afterPublish && loaded?.publication?.state !== 'waiting')) return;
  polling = setInterval(async () => {
    let r;
    try {
      r = await call('GET', '/api/listing');
    } catch {
      return;
    }
    loaded.publication = r.publication;
    loaded.acknowledged = r.acknowledged;
    published = r.published;
    document.getElementById('publication')?.replaceChildren(...publicationStatus());
    if (document.getElementById('changes')) changes();
    const unchanged = Date.now() < until && r.acknowledged?.sequence === before && r.publication?.state !== 'refused';
    if (r.publication?.state !== 'waiting' && !unchanged) {
      clearInterval(polling);
      polling = null;
    }
  }, 2000);
}

async function reload() {
  loaded = await call('GET', '/api/listing');
  draft = structuredClone(loaded.listing || { schema_version: 1, organisation_code: loaded.organisation_code, name: {} });
  published = loaded.published;
  watchPublication();
}

async function publish() {
  if (!jsonOk()) return;
  const r = await call('POST', '/api/listing/publish', draft, { allow: [422] });
  if (r.status_code === 422) {
    problems = r.problems || [];
    showProblems();
    say('error', t('check_problems', { n: problems.length }));
    blockFor(problems[0]?.field || '')?.scrollIntoView({ block: 'center' });
    return;
  }
  problems = [];
  await reload();
  notice = { cls: 'ok', text: t('published_ok') };
  redraw();
  watchPublication(true);
}

async function confirmUnchanged() {
  await call('POST', '/api/listing/confirm', {});
  problems = [];
  await reload();
  notice = { cls: 'ok', text: t('confirmed_ok') };
  redraw();
  watchPublication(true);
}

export async function listingView(main) {
  mainEl = main;
  if (draft === null) {
    await reload();
    problems = loaded.problems || [];
  }
  redraw();
}
