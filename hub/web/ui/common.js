// Pieces the pages share.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function homeFor(role) {
  return { ministry: '#/dashboard', hospital: '#/mine' }[role] || '#/search';
}

// errorBox(e): an API refusal or failure, said plainly.
export function errorBox(e) {
  let text = e?.message || String(e);
  if (e instanceof ApiError && e.status === 403) text = `${t('forbidden')} (${e.message})`;
  if (e instanceof ApiError && e.status === 404 && /no such resource/.test(e.message)) text = t('not_available');
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, `${t('error')}: `), text);
}


// section(titleKey, ...children): a titled part of a page.
export function section(title, ...children) {
  const id = `s-${Math.random().toString(36).slice(2, 9)}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

// loading(): a placeholder replaced when the data arrive.
export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

// fill(el, promise of children): replace el's content with what arrives,
// or with the error; an expired session propagates to the router.
export async function fill(el, promise) {
  try {
    const content = await promise;
    el.replaceChildren(...[content].flat().filter((x) => x !== null && x !== undefined));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    el.replaceChildren(errorBox(e));
  }
}
