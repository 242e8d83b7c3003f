// A hospital's listing and its version history, as the hospital page, the
// hospital's own page and the search results show them.
import { section } from '../common.js';
import { h, safeHref, table } from '../dom.js';
import {
  accreditationName, countryName, departmentName, fieldName, getLang, languageName, num, prefectureName, t,
  treatmentName, when, yen,
} from '../i18n.js';

// The listing name keys to try for a page language, best first.
const NAME_KEYS = {
  'zh-Hans': ['zh-Hans', 'zh'], 'zh-Hant': ['zh-Hant', 'zh'], ko: ['ko'], vi: ['vi'], ru: ['ru'],
};

// hospitalName(name): the name as published (Japanese script), with beside
// it the name in the reader's language when the listing has one, else the
// English name, else the romaji reading (ja-Latn) marked as a
// transliteration.
export function hospitalName(name) {
  const key = (NAME_KEYS[getLang()] || []).find((k) => name?.[k]);
  let other = null;
  if (key) other = h('span', { class: 'name-local', lang: key }, name[key]);
  else if (name?.en) other = h('span', { class: 'name-en', lang: 'en' }, name.en);
  else if (name?.['ja-Latn'])
    other = h('span', { class: 'name-en name-latn', lang: 'ja-Latn' }, name['ja-Latn'], ' ',
      h('small', { class: 'transliterated' }, t('transliterated')));
  return [h('span', { class: 'name-ja', lang: 'ja' }, name?.ja || '—'), other];
}

const KNOWN = new Set(['schema_version', 'organisation_code', 'name', 'prefecture', 'postal_code', 'address',
  'location', 'beds', 'departments', 'treatments', 'languages', 'accreditations', 'accepts_countries',
  'price_bands', 'remote_second_opinion', 'website', 'international_contact', 'confirmed_at', 'synthetic', 'version']);

function chips(list, name) {
  if (!list || !list.length) return t('none');
  return h('ul', { class: 'chips' }, list.map((c) => h('li', { title: c }, name(c))));
}

function row(key, content, synthetic) {
  return [
    h('dt', {}, t(key), synthetic ? h('span', { class: 'synthetic-mark', title: t('synthetic') }, ' *') : null),
    h('dd', {}, content),
  ];
}

// A listing field that records, field by field, when it was last
// confirmed: an object of field name to date.
function fieldDates(listing) {
  for (const [k, v] of Object.entries(listing))
    if (/confirm/.test(k) && v && typeof v === 'object' && !Array.isArray(v)) return [k, v];
  return null;
}

export function listingDetails(l) {
  const syn = new Set(l.synthetic || []);
  const today = new Date().toISOString().slice(0, 10);
  const web = l.website ? safeHref(l.website) : null;
  const dates = fieldDates(l);
  const other = Object.entries(l).filter(([k]) => !KNOWN.has(k) && (!dates || k !== dates[0]));
  const mapHref = l.location ? `https://www.openstreetmap.org/?mlat=${l.location.lat}&mlon=${l.location.lon}#map=15/${l.location.lat}/${l.location.lon}` : null;
  return h('div', { class: 'listing' },
    h('dl', { class: 'fields' },
      row('code', h('code', {}, l.organisation_code)),
      row('prefecture', prefectureName(l.prefecture)),
      l.address ? row('address', [l.postal_code ? `〒${l.postal_code.slice(0, 3)}-${l.postal_code.slice(3)} ` : '',
        h('span', { lang: 'ja' }, l.address)]) : null,
      l.location ? row('location', h('a', { href: mapHref, rel: 'noopener noreferrer', target: '_blank' },
        `${l.location.lat.toFixed(4)}, ${l.location.lon.toFixed(4)}`)) : null,
      l.beds != null ? row('beds', num(l.beds)) : null,
      row('departments', chips(l.departments, departmentName), syn.has('departments')),
      row('treatments', chips(l.treatments, treatmentName), syn.has('treatments')),
      row('languages', chips(l.languages, languageName), syn.has('languages')),
      row('accreditations', (l.accreditations || []).length ? h('ul', { class: 'chips' }, l.accreditations.map((a) => {
        const expired = a.expires && a.expires < today;
        return h('li', { class: expired ? 'warn' : null },
          accreditationName(a.scheme), a.expires ? ` · ${t(expired ? 'expired' : 'expires', { d: a.expires })}` : '');
      })) : t('none'), syn.has('accreditations')),
      row('accepts_countries', chips(l.accepts_countries, countryName), syn.has('accepts_countries')),
      row('remote_second_opinion', l.remote_second_opinion ? t('yes') : t('no'), syn.has('remote_second_opinion')),
      (l.price_bands || []).length ? row('price_bands', table([t('service'), t('price_range')],
        l.price_bands.map((b) => [treatmentName(b.service), `${yen(b.min_jpy)} – ${yen(b.max_jpy)}`]),
        { className: 'compact' }), syn.has('price_bands')) : null,
      web ? row('website', h('a', { href: web, rel: 'noopener noreferrer', target: '_blank' }, l.website)) : null,
      l.international_contact ? row('contact', [
        l.international_contact.email ? h('a', { href: `mailto:${l.international_contact.email}` }, l.international_contact.email) : null,
        l.international_contact.email && l.international_contact.phone ? ' · ' : null,
        l.international_contact.phone ? h('a', { href: `tel:${l.international_contact.phone.replace(/[^+\d]/g, '')}` }, l.international_contact.phone) : null,
      ], syn.has('international_contact')) : null,
      row('confirmed_at', l.confirmed_at || '—', syn.has('confirmed_at')),
      dates ? row('field_confirmed', table([t('listing'), t('confirmed_at')],
        Object.entries(dates[1]).map(([k, v]) => [k, String(v)]), { className: 'compact' })) : null,
      other.length ? row('other_fields', h('pre', {}, JSON.stringify(Object.fromEntries(other), null, 2))) : null),
    syn.size ? h('p', { class: 'hint' }, h('span', { class: 'synthetic-mark' }, '* '), t('synthetic_note'),
      [...syn].map(fieldName).join(', ')) : null);
}

function changedKeys(a, b) {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  return [...keys].filter((k) => JSON.stringify(a?.[k]) !== JSON.stringify(b?.[k])).sort();
}

// historySection(history): every version, newest first, with the fields
// each one changed.
export function historySection(history) {
  const rows = (history || []).map((v, i, all) => {
    const older = all[i + 1];
    const changed = older ? changedKeys(older.listing, v.listing) : null;
    return [
      String(v.version),
      when(v.valid_from),
      v.valid_to ? when(v.valid_to) : h('strong', {}, t('current')),
      changed ? h('span', { title: changed.join(', ') }, changed.map(fieldName).join(', ') || '—') : h('em', {}, t('first_version')),
      h('details', {}, h('summary', {}, t('show_listing')), h('pre', {}, JSON.stringify(v.listing, null, 2))),
    ];
  });
  return section(t('history'),
    table([t('version'), t('valid_from'), t('valid_to'), t('changed'), t('listing')], rows, { className: 'history' }));
}
