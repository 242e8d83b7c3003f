// The hub's JSON API, called with the bearer token of this browser tab's
// session (sessionStorage: gone when the tab closes).
const KEY = 'ibx.session';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
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
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  if (!r.ok) throw new ApiError(r.status, body?.error || `HTTP ${r.status}`, body);
  return body;
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
