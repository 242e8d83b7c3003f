// The single-page app: a hash router (the hub serves only / and /ui/...),
// the header with the role and the language picker, and the pages.
//
//   #/login                sign in: password and TOTP (or a token)
//   #/search?...           hospital search (coordinators; every role)
//   #/hospital/CODE        one hospital's listing and its history
//   #/coordinators?...     coordinator search
//   #/dashboard            national figures (ministry)
//   #/mine                 a hospital's own page (hospital)
//   #/shortlist            a person's shortlist (kept at the hub)
//   #/compare?codes=A,B,.. 2 to 4 hospitals side by side
//   #/referrals[/ID]       referrals sent (coordinator) or received
//                          (hospital), one with its timeline
//
// A person's session is a cookie every tab sends: a new tab asks the hub
// who it is (loadSession) before drawing.  Each address's scroll position
// is remembered for this tab, so Back returns to the same place in a list
// (a page's state, filters, page and sort, is in its address).  Every
// table gets a CSV download and every page a "data as of" stamp for
// printing (report.js).
import { ApiError, clearSession, loadSession, session, signOut } from './api.js';
import { errorBox, homeFor } from './common.js';
import { destroyCharts } from './charts.js';
import { h } from './dom.js';
import { LANGS, getLang, setLang, t } from './i18n.js';
import { ta } from './i18n_account.js';
import { comparePage } from './pages/compare.js';
import { shortlistPage } from './pages/shortlist.js';
import { coordinatorsPage } from './pages/coordinators.js';
import { dashboardPage } from './pages/dashboard.js';
import { hospitalPage } from './pages/hospital.js';
import { loginPage } from './pages/login.js';
import { minePage } from './pages/mine.js';
import { referralPage, referralsPage } from './pages/referrals.js';
import { searchPage } from './pages/search.js';
import { stamp, watchTables } from './report.js';

const ROUTES = [
  [/^\/login$/, loginPage, null],
  [/^\/search$/, searchPage, 'nav_search'],
  [/^\/hospital\/(\d{10})$/, hospitalPage, 'nav_search'],
  [/^\/coordinators$/, coordinatorsPage, 'nav_coordinators'],
  [/^\/dashboard$/, dashboardPage, 'nav_dashboard'],
  [/^\/mine$/, minePage, 'nav_mine'],
  [/^\/shortlist$/, shortlistPage, 'nav_shortlist'],
  [/^\/compare$/, comparePage, 'nav_shortlist'],
  [/^\/referrals$/, referralsPage, 'nav_referrals'],
  [/^\/referrals\/([0-9a-f]{32})$/, referralPage, 'nav_referrals'],
];

const MENUS = {
  ministry: [['#/dashboard', 'nav_dashboard'], ['#/search', 'nav_search'], ['#/coordinators', 'nav_coordinators']],
  coordinator: [['#/search', 'nav_search'], ['#/shortlist', 'nav_shortlist'], ['#/referrals', 'nav_referrals'], ['#/coordinators', 'nav_coordinators']],
  hospital: [['#/mine', 'nav_mine'], ['#/referrals', 'nav_referrals'], ['#/search', 'nav_search'], ['#/coordinators', 'nav_coordinators']],
};

let seq = 0;
let drawing = false;
// The address whose page is on screen: a scroll seen after the address
// changed but before its page is drawn (the browser clamping the old,
// shorter page) belongs to no page.
let drawnHash = null;

// Scroll positions by address, for this tab.
const SCROLL_KEY = 'ibx.scroll';
function scrollMap() {
  try {
    return JSON.parse(sessionStorage.getItem(SCROLL_KEY) || '{}');
  } catch {
    return {};
  }
}
function saveScroll() {
  if (drawing || window.location.hash !== drawnHash) return;
  const m = scrollMap();
  m[window.location.hash] = Math.round(window.scrollY);
  const keys = Object.keys(m);
  if (keys.length > 50) delete m[keys[0]];
  sessionStorage.setItem(SCROLL_KEY, JSON.stringify(m));
}

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/';
  const i = raw.indexOf('?');
  return { path: i < 0 ? raw : raw.slice(0, i), params: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

function header(s, navKey) {
  document.getElementById('app-name').textContent = t('app_name');
  document.getElementById('app-sub').textContent = t('app_sub');
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('foot-name').textContent = t('app_name');
  // The language picker: each language named in itself.
  document.getElementById('lang-label').textContent = t('lang_label');
  const picker = document.getElementById('lang-select');
  picker.replaceChildren(...LANGS.map(([code, name]) =>
    h('option', { value: code, lang: code, selected: code === getLang() }, name)));
  picker.value = getLang();
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav'));
  nav.replaceChildren(...(s ? [h('ul', {},
    (MENUS[s.role] || MENUS.coordinator).filter(([href]) => href !== '#/shortlist' || s.cookie).map(([href, key]) => h('li', {},
      h('a', { href, 'aria-current': key === navKey ? 'page' : null }, ta(key)))))] : []));
  const who = document.getElementById('who');
  who.replaceChildren(...(s ? [t('signed_in_as'), h('strong', { 'data-role': s.role }, t(`role_${s.role}`)),
    s.org ? ` ${s.org}` : '', s.login ? h('span', { class: 'login-name' }, ` (${s.login})`) : ''] : []));
  const logout = document.getElementById('logout');
  logout.textContent = ta('logout');
  logout.hidden = !s;
}

// render(): draw the page the address names.
export async function render() {
  const my = ++seq;
  drawing = true;
  try {
    await draw(my);
  } finally {
    if (my === seq) {
      drawing = false;
      drawnHash = window.location.hash;
      const y = scrollMap()[window.location.hash];
      const target = document.querySelector('#main [data-scroll-target]');
      if (!(y > 0) && target) target.scrollIntoView();
      else window.scrollTo(0, y > 0 ? y : 0);
    }
  }
}

async function draw(my) {
  const { path, params } = parseHash();
  const s = session();
  if (!s && path !== '/login') {
    window.location.replace('#/login');
    return;
  }
  if (s && (path === '/' || path === '/login')) {
    window.location.replace(homeFor(s.role));
    return;
  }
  let route = null, match = null;
  for (const r of ROUTES)
    if ((match = r[0].exec(path))) {
      route = r;
      break;
    }
  if (!route) {
    window.location.replace(s ? homeFor(s.role) : '#/login');
    return;
  }
  header(s, route[2]);
  destroyCharts();
  const main = document.getElementById('main');
  const root = h('div', { class: 'page' });
  main.replaceChildren(root);
  if (route[0].source !== '^\\/login$') stamp(root);
  const ctx = {
    params, match, session: s, root,
    current: () => my === seq,
    navigate: (hash) => { window.location.hash = hash; },
  };
  try {
    await route[1](ctx);
  } catch (e) {
    if (!ctx.current()) return;
    if (e instanceof ApiError && e.status === 401) {
      clearSession();
      sessionStorage.setItem('ibx.notice', 'session_ended');
      ctx.root.replaceChildren();
      window.location.replace('#/login');
      return;
    }
    root.append(errorBox(e));
  }
  if (ctx.current()) {
    const h1 = root.querySelector('h1');
    document.title = `${h1 ? `${h1.textContent} · ` : ''}${t('app_name')}`;
  }
}

function start() {
  document.getElementById('lang-select').addEventListener('change', (ev) => {
    setLang(ev.target.value);
    render();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await signOut();
    window.location.hash = '#/login';
    render();
  });
  window.addEventListener('hashchange', () => {
    render().then(() => document.getElementById('main').focus({ preventScroll: true }));
  });
  // Positions are restored here, once the page is drawn, not by the
  // browser on the page before.
  if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
  let pending = false;
  window.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      saveScroll();
    });
  }, { passive: true });
  watchTables(document.getElementById('main'));
  loadSession().then(render);
}

start();
