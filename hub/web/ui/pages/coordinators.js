// Certified coordinators (medical travel-support firms) and their listings.
import { api } from '../api.js';
import { fill, loading } from '../common.js';
import { COORDINATOR_SERVICES, COUNTRIES, LANGUAGES } from '../codes.js';
import { h, safeHref, select } from '../dom.js';
import { countryName, languageName, num, prefectureName, serviceName, t } from '../i18n.js';
import { hospitalName } from './listing.js';
import { savedSearches } from './saved.js';

function form(ctx) {
  const p = ctx.params;
  const any = ['', t('any')];
  const f = h('form', { class: 'filters card', role: 'search', 'aria-label': t('filters') },
    h('div', { class: 'grid' },
      h('div', { class: 'field' }, h('label', { for: 'q' }, t('f_coordinator_name')),
        h('input', { id: 'q', name: 'q', type: 'search', value: p.get('q') || '', maxlength: 100 })),
      select('language', t('f_language'), [any, ...LANGUAGES.map((c) => [c, `${languageName(c)} (${c})`])], p.get('language') || ''),
      select('country', t('f_country'), [any, ...COUNTRIES.map((c) => [c, `${countryName(c)} (${c})`])], p.get('country') || ''),
      select('service', t('f_service'), [any, ...COORDINATOR_SERVICES.map((x) => [x[0], serviceName(x[0])])], p.get('service') || '')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('search_button')),
      h('a', { href: '#/coordinators', class: 'button' }, t('reset'))));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(f).entries()) if (v !== '') q.set(k, String(v));
    ctx.navigate(`#/coordinators?${q}`);
  });
  return f;
}

function card(c) {
  const today = new Date().toISOString().slice(0, 10);
  const expired = c.certification_expires && c.certification_expires < today;
  const web = c.website ? safeHref(c.website) : null;
  const contact = c.contact || c.international_contact || {};
  return h('li', { class: 'result card coordinator', 'data-code': c.organisation_code },
    h('div', { class: 'body' },
      h('div', { class: 'col-main' },
        h('h3', {}, hospitalName(c.name)),
        h('p', { class: 'meta' }, c.organisation_code ? `${t('code')} ${c.organisation_code}` : '',
          c.prefecture ? ` · ${prefectureName(c.prefecture)}` : ''),
        h('ul', { class: 'badges' },
          c.certification ? h('li', { class: expired ? 'badge warn' : 'badge ok' },
            `${t('certification')}: ${typeof c.certification === 'string' ? c.certification : JSON.stringify(c.certification)}`,
            c.certification_expires ? ` · ${t(expired ? 'expired' : 'expires', { d: c.certification_expires })}` : '') : null),
        (c.services || []).length ? h('ul', { class: 'chips' }, c.services.map((x) => h('li', { title: x }, serviceName(x)))) : null),
      h('div', { class: 'col-why' },
        h('dl', { class: 'fields compact' },
          h('dt', {}, t('languages')), h('dd', {}, (c.languages || []).map(languageName).join(', ') || '—'),
          h('dt', {}, t('countries_served')), h('dd', {}, (c.countries_served || []).map(countryName).join(', ') || '—'),
          web ? [h('dt', {}, t('website')), h('dd', {}, h('a', { href: web, rel: 'noopener noreferrer', target: '_blank' }, c.website))] : null,
          contact.email || contact.phone ? [h('dt', {}, t('contact')), h('dd', {}, [contact.email, contact.phone].filter(Boolean).join(' · '))] : null,
          c.confirmed_at ? [h('dt', {}, t('confirmed_at')), h('dd', {}, c.confirmed_at)] : null))));
}

async function results(ctx) {
  const p = ctx.params;
  const body = await api('/api/v1/coordinators', {
    q: p.get('q'), language: p.get('language'), country: p.get('country'), service: p.get('service'), limit: 100,
  });
  const list = body.coordinators || [];
  const total = body.total ?? list.length;
  return [
    h('h2', { id: 'results-count', 'data-total': total }, t('n_coordinators', { n: num(total) })),
    list.length ? h('ol', { class: 'results plain' }, list.map(card)) : h('p', { class: 'empty' }, t('no_coordinators')),
  ];
}

export async function coordinatorsPage(ctx) {
  const out = h('section', { class: 'results-area', 'aria-live': 'polite', 'aria-label': t('results') }, loading());
  const saved = savedSearches(ctx, 'coordinators', ctx.params.toString());
  ctx.root.append(h('h1', {}, t('coordinators_title')), h('p', { class: 'intro' }, t('coordinators_intro')), form(ctx),
    saved || '', out);
  await Promise.all([fill(out, results(ctx)), saved?.ready]);
}
