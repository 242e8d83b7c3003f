// One hospital: its current listing and every earlier version.
import { api } from '../api.js';
import { section } from '../common.js';
import { h } from '../dom.js';
import { num, t, when } from '../i18n.js';
import { historySection, hospitalName, listingDetails } from './listing.js';
import { shortlistButton, shortlistLoad } from './shortlist.js';

export async function hospitalPage(ctx) {
  const code = ctx.match[1];
  const d = await api(`/api/v1/hospitals/${code}`);
  await shortlistLoad().catch(() => null);
  if (!ctx.current()) return;
  ctx.root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/search', onclick: (ev) => {
      if (window.history.length > 1) { ev.preventDefault(); window.history.back(); }
    } }, `← ${t('back_to_results')}`)),
    h('h1', { class: 'hospital-name' }, hospitalName(d.listing?.name)),
    h('p', { class: 'meta' }, `${t('code')} ${d.organisation_code} · ${t('version')} ${d.version} · ${t('updated_at')} ${when(d.updated_at)}`,
      ' ', shortlistButton(d.organisation_code)),
    section(t('listing'), listingDetails(d.listing || {})),
    responseSection(d.referral_response),
    historySection(d.history));
}

// The hospital's response times to referrals (precomputed at the hub): a
// median only when it rests on the stated minimum of referrals.
function responseSection(rr) {
  if (!rr) return '';
  const min = rr.minimum_referrals;
  const line = (label, x) => [
    h('dt', {}, label),
    h('dd', { class: 'response-time' }, x.median_hours === null
      ? t('rr_not_enough', { n: num(x.referrals), min: num(min) })
      : t('rr_median', { h: num(x.median_hours, 1), n: num(x.referrals) }))];
  return h('section', { class: 'card', id: 'referral-response' },
    h('h2', {}, t('rr_title', { d: num(rr.window_days) })),
    h('dl', { class: 'response-fields' }, ...line(t('rr_first_answer'), rr.first_answer), ...line(t('rr_opinion'), rr.second_opinion)),
    h('p', { class: 'note' }, t('rr_note', { min: num(min) })));
}
