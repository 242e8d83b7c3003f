// Building the page: elements are made with h(), never from HTML strings, so
// text from the API can never become markup.

// h(tag, attributes, ...children): an element.  Attributes that are null,
// undefined or false are left out; on* functions become event listeners.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) el.value = v;
    else if (k === 'checked' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

// add(el, children): append children (nodes, strings, numbers, nested
// arrays; null and false skipped).
export function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A link only for http and https addresses (a listing's website).
export function safeHref(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// select(name, label, options [[value, text]], current, extra attributes).
export function select(id, label, options, current, attrs = {}) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id, ...attrs },
      options.map(([v, text]) => h('option', { value: v, selected: v === current }, text))));
}

// table(headers, rows, caption): rows are arrays of cell contents; the first
// cell of each row is a row header.
export function table(headers, rows, { caption, className, id } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: className || null, id: id || null },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}
