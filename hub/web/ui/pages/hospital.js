// One hospital: its current listing and every earlier version.
import { api } from '../api.js';
import { section } from '../common.js';
import { h } from '../dom.js';
import { t, when } from '../i18n.js';
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
    historySection(d.history));
}
