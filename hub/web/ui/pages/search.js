// Hospital search for coordinators: filters, ranked results, and why each
// hospital ranks where it does.
import { api } from '../api.js';
import { fill, loading } from '../common.js';
import {
  ACCREDITATIONS, AIRPORTS, COUNTRIES, DEPARTMENTS, LANGUAGES, PREFECTURES, PURPOSES, TREATMENTS,
} from '../codes.js';
import { h, select } from '../dom.js';
import {
  accreditationName, airportName, countryName, departmentName, experienceText, flagText, getLang,
  languageName, num, prefectureName, purposeName, reasonText, t, treatmentName,
} from '../i18n.js';
import { hospitalName } from './listing.js';
import { shortlistButton, shortlistLink, shortlistLoad } from './shortlist.js';

const PAGE = 20;
const FIELDS = ['q', 'treatment', 'department', 'language', 'nationality', 'accepts', 'purpose', 'prefecture',
  'accreditation', 'remote', 'near', 'as_of', 'offset'];

const DEPT_GROUPS = {
  '01': ['内科系', 'Internal medicine'], '02': ['外科系', 'Surgery'], '03': ['小児', 'Paediatrics'],
  '04': ['産婦人科', 'Obstetrics and gynaecology'], '05': ['眼科・耳鼻いんこう科', 'Eye, ear, nose and throat'],
  '06': ['皮膚科・泌尿器科', 'Dermatology and urology'], '07': ['精神科', 'Psychiatry'], '08': ['歯科', 'Dentistry'],
  '09': ['その他', 'Other'],
};

// The API's parameters for the form's values.
export function apiParams(p) {
  const airport = AIRPORTS.find((a) => a[0] === p.get('near'));
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
    near: airport ? `${airport[3]},${airport[4]}` : null,
    as_of: p.get('as_of'),
    limit: PAGE,
    offset: Number(p.get('offset')) > 0 ? Number(p.get('offset')) : null,
  };
}

function form(ctx) {
  const p = ctx.params;
  const ja = getLang() === 'ja';
  const any = ['', t('any')];
  const deptSelect = h('select', { id: 'department', name: 'department' },
    h('option', { value: '' }, t('any')),
    Object.entries(DEPT_GROUPS).map(([g, label]) => h('optgroup', { label: label[ja ? 0 : 1] },
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
      select('near', t('f_near'), [any, ...AIRPORTS.map((x) => [x[0], `${airportName(x[0])} (${x[0]})`])], p.get('near') || ''),
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
        x.distance_km != null ? ` · ${t('distance')} ${t('km', { n: num(x.distance_km) })}` : ''),
      x.score != null ? h('p', { class: 'score' },
        h('label', { for: `score-${x.organisation_code}` }, `${t('score')} `),
        h('meter', { id: `score-${x.organisation_code}`, min: 0, max: 100, value: x.score }),
        ` ${num(x.score)}`) : null,
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

async function results(ctx) {
  const body = await api('/api/v1/hospitals', apiParams(ctx.params));
  const total = body.total ?? 0;
  const offset = body.offset ?? 0;
  const list = body.hospitals || [];
  const nav = (to, key, rel) => {
    const q = new URLSearchParams(ctx.params);
    if (to > 0) q.set('offset', String(to)); else q.delete('offset');
    return h('a', { href: `#/search?${q}`, class: 'button', rel }, t(key));
  };
  return [
    h('h2', { id: 'results-count', 'data-total': total, tabindex: '-1' },
      t(total === 1 ? 'n_hospital' : 'n_hospitals', { n: num(total) })),
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
  // A person's shortlist (issue 17): a toggle on each result.
  await shortlistLoad().catch(() => null);
  ctx.root.append(
    h('h1', {}, t('search_title')),
    h('p', { class: 'intro' }, t('search_intro'), ' ', shortlistLink()),
    form(ctx),
    out);
  await fill(out, results(ctx));
  out.setAttribute('aria-busy', 'false');
}
