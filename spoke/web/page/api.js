// Calls to the spoke's own API (/api/...): the session cookie goes by
// itself; every call that changes something sends the CSRF token, which
// sign-in answered and the readable cookie ibx_csrf keeps for every tab.
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body || {};
  }
}

function csrf() {
  const m = document.cookie.match(/(?:^|; )ibx_csrf=([0-9a-f]{64})/);
  return m ? m[1] : '';
}

// call(method, path, body, {type, allow}): the JSON answer; refusals throw
// ApiError unless their status is in allow (then the body is returned with
// its status in .status_code).
export async function call(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
  if (body !== undefined && !(body instanceof ArrayBuffer)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  } else if (body instanceof ArrayBuffer) {
    headers['Content-Type'] = opts.type || 'text/csv';
  }
  let r;
  try {
    r = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, `network: ${e.message}`);
  }
  let json = {};
  try {
    json = await r.json();
  } catch {
    json = {};
  }
  json.status_code = r.status;
  json.retry_after = Number(r.headers.get('Retry-After')) || 0;
  if (r.ok || (opts.allow || []).includes(r.status)) return json;
  throw new ApiError(r.status, json.error || `HTTP ${r.status}`, json);
}
