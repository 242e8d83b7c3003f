// A person's saved searches (issue 17): the filters, sort and page of a
// search, named and kept at the hub per account (GET, POST
// /api/v1/searches, DELETE /api/v1/searches/{id}), so that they follow
// the person to any tab and any day.  Running one opens its address; a
// person sees only their own.  Only for people signed in with a password:
// a token's page shows nothing here.
import { ApiError, api, apiSend } from '../api.js';
import { errorBox } from '../common.js';
import { h } from '../dom.js';
import { when } from '../i18n.js';
import { tw } from '../i18n_hubweb.js';

// savedSearches(ctx, page, query): the panel for a page ('search' or
// 'coordinators') whose current query text is query.  panel.ready settles
// once its list is drawn: a page waits for it, so that the router restores
// the scroll position after the panel has its height (Back returns to the
// same place in the results).
export function savedSearches(ctx, page, query) {
  if (!ctx.session?.cookie) return null;
  const list = h('div', { class: 'saved-list', 'aria-live': 'polite' });
  const msg = h('p', { class: 'hint', role: 'status' });
  const name = h('input', { type: 'text', id: 'saved-name', name: 'name', maxlength: 100, required: true, autocomplete: 'off' });
  const draw = (body) => {
    const items = (body?.searches || []).filter((s) => s.page === page);
    list.replaceChildren(items.length
      ? h('ul', { id: 'saved-list' }, items.map((s) => {
        const del = h('button', { type: 'button', class: 'button saved-delete', 'data-id': s.id }, tw('saved_delete'));
        del.addEventListener('click', async () => {
          del.disabled = true;
          try {
            draw(await apiSend('DELETE', `/api/v1/searches/${s.id}`));
          } catch (e) {
            del.disabled = false;
            msg.replaceChildren(errorBox(e));
          }
        });
        return h('li', { 'data-id': s.id },
          h('a', { class: 'name saved-run', href: `#/${page}${s.query ? `?${s.query}` : ''}` }, s.name),
          h('span', { class: 'muted' }, when(s.created_at)), del);
      }))
      : h('p', { class: 'empty' }, tw('saved_none')));
  };
  const f = h('form', { id: 'saved-form' },
    h('div', { class: 'field' }, h('label', { for: 'saved-name' }, tw('save_name')), name),
    h('button', { type: 'submit', class: 'primary', id: 'saved-save' }, tw('save_button')));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    if (!n) return;
    try {
      draw(await apiSend('POST', '/api/v1/searches', { name: n, page, query }));
      msg.textContent = tw('saved_ok', { name: n });
      name.value = '';
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && /name/.test(e.message)) msg.textContent = tw('saved_exists');
      else msg.replaceChildren(errorBox(e));
    }
  });
  const panel = h('details', { class: 'card saved-searches', id: 'saved-searches', open: true },
    h('summary', {}, tw('saved_searches')),
    list,
    h('h3', {}, tw('save_search')), f, msg);
  panel.ready = api('/api/v1/searches').then(draw).catch((e) => {
    if (e instanceof ApiError && e.status === 403) list.replaceChildren(h('p', { class: 'hint' }, tw('saved_only_people')));
    else list.replaceChildren(errorBox(e));
  });
  return panel;
}
