// Hospital search for coordinators: filters, ranked results, and why each
// hospital ranks where it does.
import { api, apiDownload } from '../api.js';
import { fill, loading } from '../common.js';
import {
  ACCREDITATIONS, AIRPORTS, COUNTRIES, DEPARTMENTS, LANGUAGES, PREFECTURES, PURPOSES, SERVICES_EXTRA, TREATMENTS,
} from '../codes.js';
import { h, select } from '../dom.js';
import {
  accreditationName, airportName, countryName, departmentGroupName, departmentName, experienceText, flagText,
  getLang, languageName, num, prefectureName, purposeName, reasonText, t, treatmentName, yen,
} from '../i18n.js';
import { drawMap } from '../map.js';
import { hospitalName } from './listing.js';
import { savedSearches } from './saved.js';
import { shortlistButton, shortlistLink, shortlistLoad } from './shortlist.js';

const PAGE = 20;
const FIELDS = ['q', 'treatment', 'department', 'language', 'nationality', 'accepts', 'purpose', 'prefecture',
  'accreditation', 'remote', 'near', 'within_km', 'sort', 'service', 'max_price_jpy', 'as_of', 'offset'];
const DEPT_GROUPS = ['01', '02', '03', '04', '05', '06', '07', '08', '09'];
const SORTS = ['rank', 'distance', 'price', 'experience'];
const COMPONENT_KEYS = {
  experience: 'c_experience', freshness: 'c_freshness', accreditation: 'c_accreditation',
  remote_second_opinion: 'c_remote_second_opinion', distance: 'c_distance',
  response_time: 'c_response_time',
};

// Every scheduled airport (GET /api/v1/airports), asked once per page load.
let airportsOnce = null;
function airports() {
  if (!airportsOnce) airportsOnce = api('/api/v1/airports').catch(() => []);
  return airportsOnce;
}

// The API's parameters for the form's values.
export function apiParams(p) {
  const near = p.get('near') || null;
  const sort = SORTS.includes(p.get('sort')) ? p.get('sort') : null;
  return {
    q: p.get('q'),
    treatment: p.get('treatment'),
    department: p.get('department'),
    language: p.get('language'),
    prefecture: p.get('prefecture'),
    accreditation: p.get('accreditation'),
    accepts: p.get('accepts') === '1' ? p.get('nationality') : null,
    second_opinion: p.get('remote') === '1' ? 'remote' : null,
    nationality: p.get('nationality'),
    purpose: p.get('purpose'),
    near,
    within_km: near && Number(p.get('within_km')) > 0 ? Number(p.get('within_km')) : null,
    sort: sort === 'distance' && !near ? null : sort,
    service: p.get('service'),
    max_price_jpy: /^\d+$/.test(p.get('max_price_jpy') || '') ? p.get('max_price_jpy') : null,
    as_of: p.get('as_of'),
    limit: PAGE,
    offset: Number(p.get('offset')) > 0 ? Number(p.get('offset')) : null,
  };
}

// The airports to search near: the main arrival airports first (names
// translated), then every other scheduled one by IATA code.
function airportOptions(list) {
  const main = AIRPORTS.map((a) => a[0]);
  const rest = list.filter((a) => !main.includes(a.iata));
  return [...main.map((c) => [c, `${airportName(c)} (${c})`]),
    ...rest.map((a) => [a.iata, `${airportName(a.iata, a.name)} (${a.iata})`])];
}

function form(ctx, airportList) {
  const p = ctx.params;
  const any = ['', t('any')];
  const deptSelect = h('select', { id: 'department', name: 'department' },
    h('option', { value: '' }, t('any')),
    DEPT_GROUPS.map((g) => h('optgroup', { label: departmentGroupName(g) },
      DEPARTMENTS.filter((d) => d[0].startsWith(g)).map((d) =>
        h('option', { value: d[0], selected: d[0] === p.get('department') }, departmentName(d[0]))))));
  const f = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filters') },
    h('div', { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'q' }, t('f_q')),
        h('input', { id: 'q', name: 'q', type: 'search', value: p.get('q') || '', maxlength: 100 })),
      select('treatment', t('f_treatment'), [any, ...TREATMENTS.map((x) => [x[0], treatmentName(x[0])])], p.get('treatment') || ''),
      h('div', { class: 'field' }, h('label', { for: 'department' }, t('f_department')), deptSelect),
      select('language', t('f_language'), [any, ...LANGUAGES.map((c) => [c, `${languageName(c)} (${c})`])], p.get('language') || ''),
      h('div', { class: 'field' },
        h('label', { for: 'nationality' }, t('f_nationality')),
        h('select', { id: 'nationality', name: 'nationality' },
          [any, ...COUNTRIES.map((c) => [c, `${countryName(c)} (${c})`])].map(([v, x]) =>
            h('option', { value: v, selected: v === (p.get('nationality') || '') }, x))),
        h('label', { class: 'check' },
          h('input', { type: 'checkbox', id: 'accepts', name: 'accepts', value: '1', checked: p.get('accepts') === '1' }),
          t('f_accepts'))),
      select('purpose', t('f_purpose'), [any, ...PURPOSES.map((x) => [x[0], purposeName(x[0])])], p.get('purpose') || ''),
      select('prefecture', t('f_prefecture'), [any, ...PREFECTURES.map((x) => [x[0], prefectureName(x[0])])], p.get('prefecture') || ''),
      select('accreditation', t('f_accreditation'), [any, ...ACCREDITATIONS.map((x) => [x[0], accreditationName(x[0])])], p.get('accreditation') || ''),
      select('near', t('f_near'), [any, ...airportOptions(airportList)], p.get('near') || ''),
      h('div', { class: 'field' }, h('label', { for: 'within_km' }, t('f_within_km')),
        h('input', { id: 'within_km', name: 'within_km', type: 'number', min: 1, max: 3000, step: 1, inputmode: 'numeric',
          value: p.get('within_km') || '', placeholder: '200' })),
      select('sort', t('f_sort'), SORTS.map((x) => [x, t(`sort_${x}`)]), p.get('sort') || 'rank'),
      select('service', t('f_price_service'), [any, ...[...TREATMENTS, ...SERVICES_EXTRA].map((x) => [x[0], treatmentName(x[0])])],
        p.get('service') || ''),
      h('div', { class: 'field' }, h('label', { for: 'max_price_jpy' }, t('f_max_price')),
        h('input', { id: 'max_price_jpy', name: 'max_price_jpy', type: 'number', min: 0, max: 1000000000, step: 10000,
          inputmode: 'numeric', value: p.get('max_price_jpy') || '' })),
      h('div', { class: 'field' }, h('label', { for: 'as_of' }, t('f_as_of')),
        h('input', { id: 'as_of', name: 'as_of', type: 'date', value: p.get('as_of') || '', max: new Date().toISOString().slice(0, 10) })),
      h('div', { class: 'field checks' },
        h('label', { class: 'check' },
          h('input', { type: 'checkbox', id: 'remote', name: 'remote', value: '1', checked: p.get('remote') === '1' }),
          t('f_remote')))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'search-button' }, t('search_button')),
      h('a', { href: '#/search', class: 'button' }, t('reset'))));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(f).entries()) if (v !== '') q.set(k, String(v));
    ctx.navigate(`#/search?${q}`);
  });
  return f;
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function accreditationBadges(list, asOf) {
  return (list || []).map((a) => {
    const expired = a.expires && a.expires < asOf;
    return h('li', { class: expired ? 'badge warn' : 'badge ok' },
      a.scheme, a.expires ? ` · ${expired ? t('expired', { d: a.expires }) : t('expires', { d: a.expires })}` : '');
  });
}

function resultCard(x, index, params) {
  const asOf = params.get('as_of') || today();
  const wanted = params.get('treatment');
  const treatments = x.treatments || [];
  const shownTreatments = [...(wanted && treatments.includes(wanted) ? [wanted] : []),
    ...treatments.filter((c) => c !== wanted)].slice(0, 6);
  const rank = x.rank ?? index;
  const exp = x.experience;
  return h('li', { class: 'result card', 'data-code': x.organisation_code },
    h('div', { class: 'rank' }, h('span', { class: 'visually-hidden' }, `${t('rank')} `), String(rank)),
    h('div', { class: 'body' }, h('div', { class: 'col-main' },
      h('h3', {}, h('a', { href: `#/hospital/${x.organisation_code}`, class: 'hospital-link' }, hospitalName(x.name))),
      h('p', { class: 'meta' },
        // In Japanese an address that starts with the prefecture says it.
        getLang() === 'ja' && x.address?.startsWith(prefectureName(x.prefecture)) ? '' : `${prefectureName(x.prefecture)} · `,
        x.address ? h('span', { lang: 'ja' }, x.address) : '',
        x.beds != null ? ` · ${t('beds')} ${num(x.beds)}` : '',
        x.distance_km != null ? ` · ${t('distance')} ${t('km', { n: num(x.distance_km, 1) })}` : ''),
      h('p', { class: 'facts' },
        h('span', { class: 'price' }, h('span', { class: 'label' }, `${t('price')}: `),
          x.price ? t('price_for', { s: treatmentName(x.price.service), p: `${yen(x.price.min_jpy)}–${yen(x.price.max_jpy)}` })
            : t('price_none')),
        x.nearest_airport ? h('span', { class: 'airport' }, ` · ${t('nearest_airport')}: `,
          h('abbr', { title: airportName(x.nearest_airport.iata, x.nearest_airport.iata) }, x.nearest_airport.iata),
          ` ${t('km', { n: num(x.nearest_airport.km, 1) })}`) : null),
      x.score ? h('p', { class: 'score' },
        h('label', { for: `score-${x.organisation_code}` }, `${t('score')} `),
        h('meter', { id: `score-${x.organisation_code}`, min: 0, max: 100, value: x.score.total }),
        ` ${num(x.score.total, 1)}`) : null,
      x.score ? breakdown(x) : null,
      (x.flags || []).length ? h('ul', { class: 'badges flags', 'aria-label': t('flags') },
        x.flags.map((f) => h('li', { class: 'badge warn flag' }, `⚠ ${flagText(f)}`))) : null,
      h('ul', { class: 'badges' },
        accreditationBadges(x.accreditations, asOf),
        x.remote_second_opinion ? h('li', { class: 'badge' }, t('remote_second_opinion')) : null,
        (x.languages || []).filter((l) => l !== 'ja').slice(0, 8).map((l) =>
          h('li', { class: l === params.get('language') ? 'badge hit' : 'badge' }, languageName(l)))),
      shownTreatments.length ? h('p', { class: 'treatments' },
        shownTreatments.map((c, i) => [i ? ' · ' : '', c === wanted ? h('mark', {}, treatmentName(c)) : treatmentName(c)]),
        treatments.length > shownTreatments.length ? ` +${treatments.length - shownTreatments.length}` : '') : null),
    h('div', { class: 'col-why' },
      exp ? h('p', { class: 'experience' },
        h('span', { class: 'label' }, `${t('experience')}: `),
        [exp.nationality ? countryName(exp.nationality) : null, exp.purpose ? purposeName(exp.purpose) : null]
          .filter(Boolean).join(' · '),
        ' ', h('strong', { class: 'experience-value' }, experienceText(exp.display ?? exp.patients ?? '—'))) : null,
      (x.reasons || []).length ? h('div', { class: 'reasons' },
        h('span', { class: 'label' }, `${t('why')}:`),
        h('ul', {}, x.reasons.map((r) => h('li', {}, reasonText(r))))) : null,
      shortlistButton(x.organisation_code))));
}

// Why a hospital has its score: each component's points out of its weight,
// and the reason, in a table a coordinator opens to compare #1 with #2.
function breakdown(x) {
  const comps = x.score.components || [];
  return h('details', { class: 'breakdown', 'data-code': x.organisation_code },
    h('summary', {}, t('score_breakdown')),
    h('table', { class: 'components' },
      h('thead', {}, h('tr', {}, [t('component'), t('points'), t('weight'), t('reason')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, comps.map((c) => h('tr', { 'data-component': c.name },
        h('th', { scope: 'row' }, t(COMPONENT_KEYS[c.name] || c.name)),
        h('td', { class: 'num points' }, num(c.value, 1)),
        h('td', { class: 'num' }, num(c.weight)),
        h('td', {}, reasonText(c.reason))))),
      h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('total')),
        h('td', { class: 'num total' }, num(x.score.total, 1)), h('td', { class: 'num' }, num(100)), h('td', {})))));
}

function nameOf(x) {
  return x.name?.en && getLang() !== 'ja' ? x.name.en : x.name?.ja || x.organisation_code;
}

async function results(ctx) {
  const params = apiParams(ctx.params);
  const [body, airportList] = await Promise.all([api('/api/v1/hospitals', params), airports()]);
  const total = body.total ?? 0;
  const offset = body.offset ?? 0;
  const list = body.hospitals || [];
  const nav = (to, key, rel) => {
    const q = new URLSearchParams(ctx.params);
    if (to > 0) q.set('offset', String(to)); else q.delete('offset');
    return h('a', { href: `#/search?${q}`, class: 'button', rel }, t(key));
  };
  const near = body.near;
  const place = near ? (near.iata ? `${airportName(near.iata, near.name)} (${near.iata})` : `${near.lat}, ${near.lon}`) : '';
  const csvButton = h('button', { type: 'button', class: 'button', id: 'download-csv' }, t('download_csv'));
  csvButton.addEventListener('click', () => {
    const { limit, offset, ...all } = params;
    apiDownload('/api/v1/hospitals', { ...all, format: 'csv' }, 'hospitals.csv').catch((e) => {
      csvButton.after(h('span', { class: 'error', role: 'alert' }, ` ${e.message}`));
    });
  });
  const mapBox = h('div', { class: 'map-box', id: 'map-box' });
  const mapDetails = h('details', { class: 'map-details card', id: 'map-details' },
    h('summary', {}, t('map')), h('h3', { class: 'visually-hidden' }, t('map_title')), mapBox);
  let drawn = false;
  mapDetails.addEventListener('toggle', () => {
    if (!mapDetails.open || drawn) return;
    drawn = true;
    drawMap(mapBox, { hospitals: list, airports: airportList, near, name: nameOf });
  });
  return [
    h('h2', { id: 'results-count', 'data-total': total, tabindex: '-1' },
      t(total === 1 ? 'n_hospital' : 'n_hospitals', { n: num(total) })),
    near ? h('p', { class: 'near', id: 'near-summary' }, t('near_summary', { place, km: num(near.within_km) })) : null,
    h('p', { class: 'actions' }, csvButton),
    h('p', { class: 'hint weights' }, t('weights_note')),
    mapDetails,
    list.length ? h('p', { class: 'hint' }, t('showing', { from: num(offset + 1), to: num(offset + list.length) })) : null,
    list.length
      ? h('ol', { class: 'results', start: offset + 1 }, list.map((x, i) => resultCard(x, offset + i + 1, ctx.params)))
      : h('p', { class: 'empty' }, t('no_results')),
    total > PAGE ? h('nav', { class: 'pager', 'aria-label': t('results') },
      offset > 0 ? nav(Math.max(0, offset - PAGE), 'prev', 'prev') : null,
      offset + PAGE < total ? nav(offset + PAGE, 'next', 'next') : null) : null,
  ];
}

export async function searchPage(ctx) {
  for (const k of [...ctx.params.keys()]) if (!FIELDS.includes(k)) ctx.params.delete(k);
  const out = h('section', { class: 'results-area', 'aria-live': 'polite', 'aria-busy': 'true', 'aria-label': t('results') }, loading());
  const airportList = await airports();
  // A person's shortlist (issue 17): a toggle on each result.
  await shortlistLoad().catch(() => null);
  const saved = savedSearches(ctx, 'search', ctx.params.toString());
  ctx.root.append(
    h('h1', {}, t('search_title')),
    h('p', { class: 'intro' }, t('search_intro'), ' ', shortlistLink()),
    form(ctx, airportList),
    saved || '',
    out);
  await Promise.all([fill(out, results(ctx)), saved?.ready]);
  out.setAttribute('aria-busy', 'false');
}
