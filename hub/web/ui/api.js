// The hub's JSON API.  A person signed in with a password and a TOTP code
// holds an HttpOnly session cookie that every tab sends (issue 17); the
// page learns who it is from /api/v1/me and sends the session's CSRF token
// (the readable ibx_csrf cookie) with every change.  An API client or a
// test may still sign in with a bearer token, kept for this tab only
// (sessionStorage: gone when the tab closes).
const KEY = 'ibx.session';
let person = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null') || person;
  } catch {
    return person;
  }
}

// setPerson(p): the signed-in person ({role, org, login, cookie: true}).
export function setPerson(p) {
  person = p;
}

// loadSession(): ask the hub whether this browser's cookie is a live
// session (a new tab starts here); nothing when a token is in use.
export async function loadSession() {
  if (sessionStorage.getItem(KEY)) return;
  try {
    const r = await fetch('/api/v1/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!r.ok) {
      person = null;
      return;
    }
    const me = await r.json();
    person = { role: me.role, org: me.organisation_code || null, login: me.login || null, cookie: true };
  } catch {
    person = null;
  }
}

function csrfToken() {
  return /(?:^|;\s*)ibx_csrf=([0-9a-f]{64})/.exec(document.cookie)?.[1] || '';
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
  person = null;
}

async function answer(r) {
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  if (!r.ok) {
    const e = new ApiError(r.status, body?.error || `HTTP ${r.status}`, body);
    e.retryAfter = Number(r.headers.get('Retry-After')) || 0;
    throw e;
  }
  return body;
}

// apiSend(method, path, body): a change (POST, PUT, DELETE) with the
// session's CSRF token; body, when given, is sent as JSON.
export async function apiSend(method, path, body) {
  let r;
  try {
    r = await fetch(new URL(path, window.location.origin), {
      method,
      headers: {
        Accept: 'application/json',
        'X-CSRF-Token': csrfToken(),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, `network: ${e.message}`);
  }
  return answer(r);
}

// signOut(): end the person's session at the hub (the cookie is cleared
// there), or forget this tab's token.
export async function signOut() {
  if (person?.cookie) {
    try {
      await apiSend('DELETE', '/api/v1/session');
    } catch {
      // Signed out locally whatever the hub says.
    }
  }
  clearSession();
}

// api(path, params, token): the decoded JSON answer; an ApiError (with the
// API's own message) for any other status than 200.  Empty parameters are
// left out.
export async function api(path, params = {}, token = session()?.token) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '' && v !== false) url.searchParams.set(k, String(v));
  let r;
  try {
    r = await fetch(url, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, `network: ${e.message}`);
  }
  return answer(r);
}

// apiDownload(path, params, filename): fetch a non-JSON answer (CSV) with
// the token and hand it to the browser as a download named filename.
export async function apiDownload(path, params, filename, accept = 'text/csv', token = session()?.token) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '' && v !== false) url.searchParams.set(k, String(v));
  const r = await fetch(url, {
    headers: { Accept: accept, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    cache: 'no-store',
  });
  if (!r.ok) {
    let body = null;
    try { body = await r.json(); } catch { body = null; }
    throw new ApiError(r.status, body?.error || `HTTP ${r.status}`, body);
  }
  const href = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

function lastMonth() {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

// identify(token): who the token belongs to, {role, org}.  Asks
// /api/v1/me; a hub without it is asked what each role may see instead
// (only the ministry reads completeness; a hospital's statistics come
// without disclosure control, being its own).
export async function identify(token) {
  try {
    const me = await api('/api/v1/me', {}, token);
    return { role: me.role, org: me.organisation_code || null, label: me.label || null };
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  try {
    await api('/api/v1/completeness', { period: lastMonth() }, token);
    return { role: 'ministry', org: null };
  } catch (e) {
    if (e.status !== 403) throw e;
  }
  const s = await api('/api/v1/statistics', { measure: 'patients', by: 'period', period: 'year' }, token);
  if (String(s?.disclosure_control?.applied || '').startsWith('none')) {
    let org = null;
    try {
      const sub = await api('/api/v1/submissions', {}, token);
      org = sub?.submissions?.[0]?.organisation_code || null;
    } catch {
      org = null;
    }
    return { role: 'hospital', org };
  }
  return { role: 'coordinator', org: null };
}
