// Sign in: paste a token; the role comes from the API's first answers.
import { ApiError, identify, saveSession } from '../api.js';
import { homeFor } from '../common.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

export async function loginPage(ctx) {
  const notice = sessionStorage.getItem('ibx.notice');
  sessionStorage.removeItem('ibx.notice');
  const status = h('p', { id: 'login-status', class: notice ? 'error' : 'hint', role: 'status', 'aria-live': 'polite' },
    notice ? t(notice) : '');
  const input = h('textarea', {
    id: 'token', name: 'token', rows: 2, required: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'login-intro login-status', placeholder: 'ibx_…',
  });
  const button = h('button', { type: 'submit', class: 'primary' }, t('login_button'));
  const form = h('form', { class: 'login card', novalidate: true },
    h('h1', {}, t('login_title')),
    h('p', { id: 'login-intro' }, t('login_intro')),
    h('div', { class: 'field' }, h('label', { for: 'token' }, t('token')), input),
    button, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!/^ibx_[A-Za-z0-9_-]+$/.test(token)) {
      status.className = 'error';
      status.textContent = t('login_bad_format');
      input.focus();
      return;
    }
    button.disabled = true;
    status.className = 'hint';
    status.textContent = t('login_checking');
    try {
      const who = await identify(token);
      saveSession({ token, role: who.role, org: who.org, label: who.label });
      ctx.navigate(homeFor(who.role));
    } catch (e) {
      status.className = 'error';
      status.textContent = e instanceof ApiError && e.status === 401 ? t('login_invalid') : `${t('error')}: ${e.message}`;
      button.disabled = false;
      input.focus();
    }
  });
  ctx.root.append(form);
  input.focus();
}
