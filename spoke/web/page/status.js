// The status: the outbox's depth, every acknowledgement and every refusal
// with its reason, the next report due, the agent's last error.
import { call } from './api.js';
import { h } from '/ui/dom.js';
import { t } from './i18n.js';

export async function statusView(main) {
  const s = await call('GET', '/api/status');
  const what = (a) => (a.payload === 'case_statistics'
    ? `${t('p_stats')} ${a.period}${a.cells === 0 ? ' (nil)' : ` (${t('c_patients')} ${a.patients})`}`
    : `${t('p_listing')} ${t('version_n', { v: a.listing_version })}`);
  main.replaceChildren(h('div', { class: 'card', id: 'status' },
    h('h1', {}, t('status_title')),
    h('dl', { class: 'fields' },
      h('dt', {}, t('pending')), h('dd', { id: 'pending' }, String(s.pending)),
      h('dt', {}, t('next_report')), h('dd', { id: 'next-report' }, t('next_report_text', { p: s.next_report.period, due: s.next_report.due })),
      h('dt', {}, t('last_error')), h('dd', { id: 'last-error' }, s.last_error || t('none'))),
    h('h2', {}, t('rejected')),
    s.rejected.length === 0 ? h('p', { class: 'hint' }, t('none'))
      : h('div', { class: 'table-wrap' }, h('table', { id: 'rejected' },
        h('thead', {}, h('tr', {}, h('th', {}, t('sequence')), h('th', {}, t('reason')))),
        h('tbody', {}, s.rejected.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.sequence), h('td', { class: 'mono' }, r.reason)))))),
    h('h2', {}, t('acks')),
    s.acknowledged.length === 0 ? h('p', { class: 'hint' }, t('none'))
      : h('div', { class: 'table-wrap' }, h('table', { id: 'acks' },
        h('thead', {}, h('tr', {}, h('th', {}, t('when')), h('th', {}, t('what')), h('th', {}, t('sequence')))),
        h('tbody', {}, s.acknowledged.map((a) => h('tr', {}, h('th', { scope: 'row' }, a.acked_at), h('td', {}, what(a)), h('td', {}, a.sequence))))))));
}
