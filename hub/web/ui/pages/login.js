// Sign in (issue 17): a user name, a password and the 6-digit code of an
// authenticator app (TOTP).  At the first sign-in the hub asks for the
// one-time enrolment code the administrator gave, then shows the TOTP key
// once as a QR code; the first code from it completes the sign-in.  The
// session is an HttpOnly cookie that every tab of this browser shares.
// Below, for API clients and tests, a bearer token may be pasted instead
// (kept for this tab only).
import { ApiError, identify, loadSession, saveSession, session } from '../api.js';
import { homeFor } from '../common.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { ta } from '../i18n_account.js';

function field(id, label, attrs, hint) {
  return h('div', { class: 'field', id: `field-${id}` },
    h('label', { for: id }, label),
    h('input', { id, name: id, ...attrs, 'aria-describedby': hint ? `${id}-hint` : null }),
    hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null);
}

async function postSession(body) {
  let r;
  try {
    r = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, `network: ${e.message}`);
  }
  let json = null;
  try {
    json = await r.json();
  } catch {
    json = null;
  }
  return { status: r.status, body: json || {}, retryAfter: Number(r.headers.get('Retry-After')) || 0 };
}

function signinForm(ctx, notice) {
  const status = h('p', { id: 'signin-status', class: notice ? 'error' : 'hint', role: 'status', 'aria-live': 'polite' },
    notice ? ta(notice) : '');
  const login = field('login', ta('login_name'), { type: 'text', required: true, autocomplete: 'username', maxlength: 64, autocapitalize: 'none', spellcheck: 'false' });
  const password = field('password', ta('password'), { type: 'password', required: true, autocomplete: 'current-password', maxlength: 256 });
  const totp = field('totp', ta('totp'), { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 }, ta('totp_hint'));
  const enrolment = field('enrolment', ta('enrolment_code'), { type: 'text', autocomplete: 'off', maxlength: 64, spellcheck: 'false' }, ta('enrolment_hint'));
  enrolment.hidden = true;
  const enrolBox = h('div', { id: 'enrol', class: 'enrol', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary', id: 'signin-button' }, ta('signin_button'));
  const form = h('form', { class: 'signin card', id: 'signin-form', novalidate: true },
    h('h1', {}, ta('signin_title')),
    h('p', { id: 'signin-intro' }, ta('signin_intro')),
    login, password, totp, enrolment, enrolBox, button, status);
  const input = (f) => f.querySelector('input');
  const say = (cls, text) => {
    status.className = cls;
    status.textContent = text;
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { login: input(login).value.trim().toLowerCase(), password: input(password).value };
    if (input(totp).value.trim()) body.totp = input(totp).value.trim();
    if (!enrolment.hidden && input(enrolment).value.trim()) body.enrolment_code = input(enrolment).value.trim().toLowerCase();
    button.disabled = true;
    say('hint', ta('signin_checking'));
    let r;
    try {
      r = await postSession(body);
    } catch (e) {
      say('error', `${t('error')}: ${e.message}`);
      button.disabled = false;
      return;
    }
    button.disabled = false;
    if (r.status === 200 && r.body.status === 'signed_in') {
      input(password).value = '';
      await loadSession();
      const s = session();
      ctx.navigate(homeFor(s?.role || r.body.role));
      return;
    }
    if (r.status === 200 && r.body.status === 'enrol') {
      // The key, shown once: a QR code and its text.
      enrolment.hidden = true;
      input(enrolment).value = '';
      enrolBox.hidden = false;
      enrolBox.replaceChildren(
        h('h2', {}, ta('enrol_title')),
        h('p', {}, ta('enrol_intro')),
        h('img', { id: 'enrol-qr', alt: 'QR', width: 220, height: 220,
          src: `data:image/svg+xml,${encodeURIComponent(r.body.qr_svg)}` }),
        h('p', { class: 'hint' }, `${ta('enrol_key')}: `, h('code', { id: 'enrol-key' }, r.body.secret)));
      say('hint', ta('signin_need_totp'));
      input(totp).focus();
      return;
    }
    if (r.status === 429) {
      say('error', ta(/address/.test(r.body.error || '') ? 'signin_locked_address' : 'signin_locked', { n: r.retryAfter || '?' }));
      return;
    }
    if (r.status === 401 && r.body.next === 'totp') {
      say('error', ta('signin_need_totp'));
      input(totp).focus();
      return;
    }
    if (r.status === 401 && r.body.next === 'enrolment_code') {
      enrolment.hidden = false;
      say('error', ta('signin_need_enrolment'));
      input(enrolment).focus();
      return;
    }
    if (r.status === 401 && r.retryAfter > 0) {
      say('error', `${ta('signin_failed')} ${ta('signin_locked', { n: r.retryAfter })}`);
      return;
    }
    if (r.status === 401) {
      say('error', ta('signin_failed'));
      input(totp).value = '';
      input(password).focus();
      return;
    }
    say('error', `${t('error')}: ${r.body.error || `HTTP ${r.status}`}`);
  });
  return form;
}

// The token form of before, for API clients and tests.
function tokenForm(ctx) {
  const status = h('p', { id: 'login-status', class: 'hint', role: 'status', 'aria-live': 'polite' });
  const input = h('textarea', {
    id: 'token', name: 'token', rows: 2, required: true, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'login-intro login-status', placeholder: 'ibx_…',
  });
  const button = h('button', { type: 'submit', class: 'button' }, t('login_button'));
  const form = h('form', { class: 'login card token-login', novalidate: true },
    h('h2', {}, ta('token_title')),
    h('p', { id: 'login-intro', class: 'hint' }, t('login_intro')),
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
  return form;
}

export async function loginPage(ctx) {
  const notice = sessionStorage.getItem('ibx.notice');
  sessionStorage.removeItem('ibx.notice');
  const form = signinForm(ctx, notice);
  ctx.root.append(form, tokenForm(ctx));
  form.querySelector('#login').focus();
}
