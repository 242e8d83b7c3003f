// The search page's map: Leaflet (npm package leaflet, copied into
// ui/vendor by deploy/install-web.sh), loaded only when the map is opened,
// with no tiles from the internet.  The base map is the prefectures drawn as
// the 0.1-degree squares where towns are (japan_grid.js, from Geolonia's
// address data, CC BY 4.0); on it the airports, the search centre with its
// radius, and the results.
import { h } from './dom.js';
import { CELLS, CREDIT } from './japan_grid.js';
import { t } from './i18n.js';

let loading = null;

function loadLibrary() {
  if (window.L) return Promise.resolve(window.L);
  if (!loading)
    loading = new Promise((resolve) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/ui/vendor/leaflet.css';
      document.head.append(css);
      const s = document.createElement('script');
      s.src = '/ui/vendor/leaflet.js';
      s.onload = () => resolve(window.L || null);
      s.onerror = () => resolve(null);
      document.head.append(s);
    });
  return loading;
}

// Soft colours that tell neighbouring prefectures apart.
const FILLS = ['#d9e7d0', '#e8e0c8', '#d4e2ea', '#eadbd6', '#dedaea', '#e6e6d2'];

function baseMap(L, map, renderer) {
  for (const [pref, cells] of Object.entries(CELLS)) {
    const fill = FILLS[Number(pref) % FILLS.length];
    for (let i = 0; i < cells.length; i += 2) {
      const la = cells[i] / 10;
      const lo = cells[i + 1] / 10;
      L.rectangle([[la, lo], [la + 0.1, lo + 0.1]], {
        renderer, stroke: false, fillColor: fill, fillOpacity: 1, interactive: false,
      }).addTo(map);
    }
  }
}

// drawMap(container, {hospitals, airports, near}): the map in container;
// hospitals are search results ({name, location, rank, organisation_code}),
// airports {iata, name, lat, lon}, near the search's {lat, lon, within_km}.
// Resolves to the Leaflet map, or null when the library is missing.
export async function drawMap(container, { hospitals, airports, near, name }) {
  const L = await loadLibrary();
  if (!L) {
    container.replaceChildren(h('p', { class: 'notice' }, t('map_unavailable')));
    return null;
  }
  const el = h('div', { class: 'map', id: 'results-map', role: 'region', 'aria-label': t('map_title') });
  container.replaceChildren(el, h('p', { class: 'hint map-note' }, t('map_note')));
  const renderer = L.canvas({ padding: 0.2 });
  const map = L.map(el, { preferCanvas: true, zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(`${CREDIT} · OurAirports`);
  baseMap(L, map, renderer);
  const bounds = [];
  for (const a of airports || []) {
    L.circleMarker([a.lat, a.lon], {
      renderer, radius: 4, color: '#0072B2', weight: 1, fillColor: '#56B4E9', fillOpacity: 0.9,
    }).bindTooltip(h('span', {}, `${a.iata} ${a.name}`)).addTo(map); // text, never HTML
  }
  if (near) {
    L.circle([near.lat, near.lon], {
      renderer, radius: near.within_km * 1000, color: '#E69F00', weight: 2, fill: false,
    }).addTo(map);
    bounds.push([near.lat, near.lon]);
  }
  for (const x of hospitals || []) {
    if (!x.location) continue;
    const p = [x.location.lat, x.location.lon];
    L.circleMarker(p, {
      renderer, radius: 6, color: '#7a2b00', weight: 1, fillColor: '#D55E00', fillOpacity: 0.9,
    }).bindPopup(h('span', { class: 'map-popup' }, `${x.rank}. ${name(x)}`)).addTo(map);
    bounds.push(p);
  }
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 11 });
  else if (bounds.length === 1) map.setView(bounds[0], 9);
  else map.fitBounds([[24, 123], [45.6, 146]]);
  container.dataset.ready = 'true';
  return map;
}
