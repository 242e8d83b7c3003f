// A person's shortlist of hospitals (issue 17), kept at the hub for the
// account: a toggle on each search result and hospital page, and the list,
// from which 2 to 4 are chosen to compare.  Only people signed in with an
// account have one (a token does not).
import { apiSend, api, session } from '../api.js';
import { fill, loading } from '../common.js';
import { h } from '../dom.js';
import { prefectureName, t } from '../i18n.js';
import { ta } from '../i18n_account.js';
import { hospitalName } from './listing.js';

let codes = null;

// shortlistLoad(): the codes on the shortlist (asked once per page).
export async function shortlistLoad() {
  if (!session()?.cookie) {
    codes = null;
    return null;
  }
  const r = await api('/api/v1/shortlist');
  codes = new Set((r.hospitals || []).map((x) => x.organisation_code));
  return codes;
}

// shortlistButton(code): a toggle for code, or null without a shortlist.
export function shortlistButton(code) {
  if (!codes) return null;
  const b = h('button', { type: 'button', class: 'button shortlist-toggle', 'data-code': code });
  const show = () => {
    const on = codes.has(code);
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
    b.textContent = on ? `★ ${ta('shortlist_remove')}` : `☆ ${ta('shortlist_add')}`;
  };
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const r = await apiSend(codes.has(code) ? 'DELETE' : 'PUT', `/api/v1/shortlist/${code}`);
      codes = new Set((r.hospitals || []).map((x) => x.organisation_code));
      show();
      document.querySelectorAll('[data-shortlist-count]').forEach((el) => {
        el.textContent = ta('shortlist_count', { n: codes.size });
      });
    } catch (e) {
      b.title = e.message;
    } finally {
      b.disabled = false;
    }
  });
  show();
  return b;
}

// shortlistLink(): a link to the shortlist with its size.
export function shortlistLink() {
  if (!codes) return null;
  return h('a', { href: '#/shortlist', class: 'button shortlist-link', 'data-shortlist-count': '' },
    ta('shortlist_count', { n: codes.size }));
}

async function list(ctx) {
  const r = await api('/api/v1/shortlist');
  const rows = r.hospitals || [];
  if (!rows.length) return h('p', { class: 'empty' }, ta('shortlist_empty'));
  const chosen = new Set();
  const compare = h('button', { type: 'button', class: 'primary', id: 'compare-button', disabled: true }, ta('compare'));
  const hint = h('p', { class: 'hint', id: 'compare-hint', 'aria-live': 'polite' }, ta('compare_pick', { n: 0 }));
  const update = () => {
    compare.disabled = chosen.size < 2 || chosen.size > 4;
    hint.textContent = ta('compare_pick', { n: chosen.size });
  };
  compare.addEventListener('click', () => ctx.navigate(`#/compare?codes=${[...chosen].join(',')}`));
  const items = rows.map((x) => {
    const box = h('input', { type: 'checkbox', id: `pick-${x.organisation_code}`, value: x.organisation_code });
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(x.organisation_code);
      else chosen.delete(x.organisation_code);
      update();
    });
    const remove = h('button', { type: 'button', class: 'link-button' }, ta('shortlist_remove'));
    remove.addEventListener('click', async () => {
      await apiSend('DELETE', `/api/v1/shortlist/${x.organisation_code}`);
      chosen.delete(x.organisation_code);
      li.remove();
      update();
    });
    const li = h('li', { class: 'card shortlist-item', 'data-code': x.organisation_code },
      h('label', { class: 'check', for: `pick-${x.organisation_code}` }, box,
        h('span', { class: 'visually-hidden' }, ta('compare'))),
      h('div', { class: 'body' },
        h('h3', {}, h('a', { href: `#/hospital/${x.organisation_code}`, class: 'hospital-link' }, hospitalName(x.name))),
        h('p', { class: 'meta' }, h('code', {}, x.organisation_code), x.prefecture ? ` · ${prefectureName(x.prefecture)}` : '')),
      remove);
    return li;
  });
  return [h('ul', { class: 'shortlist' }, items), h('div', { class: 'actions sticky' }, compare, hint)];
}

export async function shortlistPage(ctx) {
  const out = h('section', { class: 'shortlist-area', 'aria-busy': 'true' }, loading());
  ctx.root.append(h('h1', {}, ta('shortlist_title')), h('p', { class: 'intro' }, ta('shortlist_intro')), out);
  await fill(out, list(ctx));
  out.setAttribute('aria-busy', 'false');
  if (!session()?.cookie) out.replaceChildren(h('p', { class: 'empty' }, t('forbidden')));
}
