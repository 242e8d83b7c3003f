// 2 to 4 hospitals side by side (issue 17): fields, treatments, prices,
// languages, accreditations, experience (the search's last 12 months) and
// response times where the listing gives them.  #/compare?codes=A,B[,C,D].
import { api } from '../api.js';
import { h } from '../dom.js';
import {
  accreditationName, countryName, departmentName, experienceText, languageName, num, prefectureName, t,
  treatmentName, yen,
} from '../i18n.js';
import { ta } from '../i18n_account.js';
import { hospitalName } from './listing.js';

const chips = (list, name) => (list && list.length
  ? h('ul', { class: 'chips' }, list.map((c) => h('li', { title: c }, name(c))))
  : h('span', { class: 'muted' }, t('none')));

// A listing's response times: any field whose name says so.
function responseTimes(l) {
  const e = Object.entries(l || {}).filter(([k]) => /response/.test(k));
  if (!e.length) return h('span', { class: 'muted' }, ta('not_given'));
  return e.map(([k, v]) => h('div', {}, `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`));
}

// The search's experience figure for code (its name searched).
async function experience(d) {
  try {
    const r = await api('/api/v1/hospitals', { q: d.listing?.name?.ja, limit: 10 });
    const x = (r.hospitals || []).find((y) => y.organisation_code === d.organisation_code);
    return x?.experience ? experienceText(x.experience.display ?? x.experience.patients ?? '—') : null;
  } catch {
    return null;
  }
}

export async function comparePage(ctx) {
  const codes = [...new Set((ctx.params.get('codes') || '').split(',').filter((c) => /^\d{10}$/.test(c)))];
  const back = h('p', { class: 'crumbs' }, h('a', { href: '#/shortlist', onclick: (ev) => {
    if (window.history.length > 1) {
      ev.preventDefault();
      window.history.back();
    }
  } }, `← ${ta('back')}`));
  ctx.root.append(back, h('h1', {}, ta('compare_title')));
  if (codes.length < 2 || codes.length > 4) {
    ctx.root.append(h('p', { class: 'error', role: 'alert' }, ta('compare_need')));
    return;
  }
  const ds = await Promise.all(codes.map((c) => api(`/api/v1/hospitals/${c}`)));
  const exp = await Promise.all(ds.map(experience));
  if (!ctx.current()) return;
  const ls = ds.map((d) => d.listing || {});
  const services = [...new Set(ls.flatMap((l) => (l.price_bands || []).map((b) => b.service)))];
  const today = new Date().toISOString().slice(0, 10);
  const rows = [
    [t('prefecture'), ls.map((l) => prefectureName(l.prefecture))],
    [t('beds'), ls.map((l) => (l.beds != null ? num(l.beds) : '—'))],
    [t('languages'), ls.map((l) => chips(l.languages, languageName))],
    [t('treatments'), ls.map((l) => chips(l.treatments, treatmentName))],
    [t('departments'), ls.map((l) => chips(l.departments, departmentName))],
    ...services.map((s) => [`${t('price_range')}: ${treatmentName(s)}`, ls.map((l) => {
      const b = (l.price_bands || []).find((x) => x.service === s);
      return b ? `${yen(b.min_jpy)} – ${yen(b.max_jpy)}` : '—';
    })]),
    [t('accreditations'), ls.map((l) => ((l.accreditations || []).length
      ? h('ul', { class: 'chips' }, l.accreditations.map((a) => h('li', { class: a.expires && a.expires < today ? 'warn' : null },
        accreditationName(a.scheme), a.expires ? ` · ${t(a.expires < today ? 'expired' : 'expires', { d: a.expires })}` : '')))
      : t('none')))],
    [t('experience'), exp.map((x) => x ?? h('span', { class: 'muted' }, ta('not_given')))],
    [ta('response_times'), ls.map(responseTimes)],
    [t('remote_second_opinion'), ls.map((l) => (l.remote_second_opinion ? t('yes') : t('no')))],
    [t('accepts_countries'), ls.map((l) => chips(l.accepts_countries, countryName))],
    [t('confirmed_at'), ls.map((l) => l.confirmed_at || '—')],
  ];
  ctx.root.append(h('div', { class: 'table-wrap compare-wrap' },
    h('table', { class: 'compare', id: 'compare-table', 'data-columns': ds.length },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ta('field_name')),
        ds.map((d) => h('th', { scope: 'col', 'data-code': d.organisation_code },
          h('a', { href: `#/hospital/${d.organisation_code}`, class: 'hospital-link' }, hospitalName(d.listing?.name)))))),
      h('tbody', {}, rows.map(([label, cells]) => h('tr', {}, h('th', { scope: 'row' }, label),
        cells.map((c) => h('td', {}, c))))))));
}
