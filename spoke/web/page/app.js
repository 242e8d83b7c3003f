// The spoke's page: sign-in, then the views chosen by the address's hash
// (#listing, #report, #referrals, #status), in Japanese or English.
import { ApiError, call } from './api.js';
import { h } from '/ui/dom.js';
import { LANGS, currentLang, setLang, t } from './i18n.js';
import { listingView } from './listing.js';
import { referralsView } from './referrals.js';
import { reportView } from './report.js';
import { statusView } from './status.js';

const VIEWS = { listing: listingView, report: reportView, referrals: referralsView, status: statusView };
let me = null;

function field(id, label, attrs, hint) {
  return h('div', { class: 'field', id: `field-${id}` },
    h('label', { for: id }, label),
    h('input', { id, name: id, ...attrs }),
    hint ? h('small', { class: 'hint' }, hint) : null);
}

function signinView(main, notice) {
  const status = h('p', { id: 'signin-status', class: notice ? 'error' : 'hint', role: 'status', 'aria-live': 'polite' }, notice || '');
  const login = field('login', t('login_name'), { type: 'text', required: true, autocomplete: 'username', maxlength: 64, autocapitalize: 'none', spellcheck: 'false' });
  const password = field('password', t('password'), { type: 'password', required: true, autocomplete: 'current-password', maxlength: 256 });
  const totp = field('totp', t('totp'), { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 }, t('totp_hint'));
  const button = h('button', { type: 'submit', class: 'primary', id: 'signin-button' }, t('signin_button'));
  const form = h('form', { class: 'signin card', id: 'signin-form', novalidate: true },
    h('h1', {}, t('signin_title')), h('p', {}, t('signin_intro')), login, password, totp, button, status);
  const val = (f) => f.querySelector('input').value;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.className = 'hint';
    status.textContent = t('signin_checking');
    button.disabled = true;
    const body = { login: val(login).trim(), password: val(password) };
    if (val(totp).trim()) body.totp = val(totp).trim();
    const r = await call('POST', '/api/session', body, { allow: [400, 401, 403, 429] }).catch((e) => ({ status_code: 0, error: e.message }));
    button.disabled = false;
    if (r.status_code === 200) {
      form.querySelector('#password').value = '';
      await start();
      return;
    }
    status.className = 'error';
    if (r.status_code === 429 || /locked/.test(r.error || '')) status.textContent = t('signin_locked', { s: r.retry_after || '?' });
    else if (r.next === 'totp') status.textContent = t('signin_need_code');
    else if (r.status_code === 401) status.textContent = t('signin_failed');
    else status.textContent = `${t('error')}: ${r.error}`;
  });
  main.replaceChildren(form);
  form.querySelector('#login').focus();
}

function chrome() {
  document.getElementById('app-name').textContent = t('app_name');
  document.getElementById('app-sub').textContent = t('app_sub');
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('lang-label').textContent = t('lang_label');
  const sel = document.getElementById('lang-select');
  sel.replaceChildren(...LANGS.map(([v, n]) => h('option', { value: v, selected: v === currentLang() }, n)));
  const logout = document.getElementById('logout');
  logout.textContent = t('logout');
  logout.hidden = !me;
  document.getElementById('who').textContent = me ? `${t('signed_in_as')}${me.login} (${me.organisation_code})` : '';
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav'));
  const view = currentView();
  nav.replaceChildren(me ? h('ul', {}, views().map((k) => h('li', {},
    h('a', { href: `#${k}`, id: `nav-${k}`, 'aria-current': k === view ? 'page' : null }, t(`nav_${k}`))))) : '');
}

// The views of the signed-in spoke: a coordinator's has no monthly report.
function views() {
  return Object.keys(VIEWS).filter((k) => k !== 'report' || me?.role === 'hospital');
}

function currentView() {
  const v = location.hash.replace(/^#\/?/, '');
  return views().includes(v) ? v : 'listing';
}

async function render() {
  chrome();
  const main = document.getElementById('main');
  if (!me) {
    signinView(main);
    return;
  }
  try {
    await VIEWS[currentView()](main);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      me = null;
      chrome();
      signinView(main, t('session_ended'));
      return;
    }
    main.replaceChildren(h('div', { class: 'error', role: 'alert' }, `${t('error')}: ${e.message}`));
  }
}

async function start() {
  try {
    me = await call('GET', '/api/session');
  } catch {
    me = null;
  }
  await render();
}

document.getElementById('lang-select').addEventListener('change', (ev) => {
  setLang(ev.target.value);
  render();
});
document.getElementById('logout').addEventListener('click', async () => {
  await call('DELETE', '/api/session').catch(() => null);
  me = null;
  render();
});
window.addEventListener('hashchange', render);
setLang(currentLang());
start();
