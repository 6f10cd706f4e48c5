// The event map: an offline basemap of country outlines (Natural Earth via world-atlas, cut at
// the antimeridian: see basemap.ts) with country names, or online tiles when the server has a
// tile URL configured; one circle per place, sized by its number of events and coloured by the
// PLOVER type most frequent there, with its name beside it where that fits. Places close enough
// to overlap are drawn as one cluster (Leaflet.markercluster) that opens on a click or zoom.
// The map fits the events shown whenever the filters change what is shown.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import type { FeatureCollection, Point } from "geojson";
import { basemap, countryLabels, pacificCopy } from "./basemap";
import { typeColor } from "./colors";
import { h } from "./dom";

export interface EventFeatureProps {
  type: string;
  date_start?: string | null;
  location?: string | null;
  country?: string | null;
  summary?: string | null;
  article_id: string;
  article_title?: string | null;
}

type EventFC = FeatureCollection<Point, EventFeatureProps>;

// The largest circle has a 26 px radius, so two places nearer than ~2 radii overlap: 50 px
// clusters exactly those (the plugin's default, 80 px, merged Madrid and Lyon at zoom 4).
const CLUSTER_RADIUS = 50;
// Labels are placed once markercluster's zoom animation (250 ms) has settled.
const RELABEL_MS = 300;
const BASEMAP_STYLE = { color: "#9aa5b1", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 };

interface Place { n: number; top: string }

/** Layer options shared by the event map and the dashboard's choropleth. */
export function baseMap(el: HTMLElement, opts: L.MapOptions = {}): L.Map {
  const map = L.map(el, { worldCopyJump: false, minZoom: 1, maxZoom: 12, zoomSnap: 0.5, ...opts });
  map.attributionControl.setPrefix(false);
  map.createPane("basemap").style.zIndex = "250";
  const labels = map.createPane("labels");
  labels.style.zIndex = "350";
  labels.style.pointerEvents = "none";
  return map;
}

type Box = [number, number, number, number]; // left, top, right, bottom in container pixels

const overlaps = (a: Box, b: Box) => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];

/** Country names: the largest countries first, each only where it fits and overlaps no other
 * name and nothing in ``obstacles`` (the event markers and their names). */
export class CountryLabels {
  private markers: { m: L.Marker; el: HTMLElement; w: number; h: number; label: ReturnType<typeof countryLabels>[number] }[] = [];
  private ready = false;

  constructor(private map: L.Map, onReady: () => void) {
    // Computing the label points takes ~100 ms: after the first paint, not before it.
    setTimeout(() => {
      for (const label of countryLabels()) {
        const el = h("span", { class: "country-label" }, label.name);
        const m = L.marker([label.at[1], label.at[0]], {
          pane: "labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "country-label-icon", html: el, iconSize: [0, 0] }),
        });
        // Width estimated from the name (11 px text ≈ 6.2 px a character), not measured: cheap.
        this.markers.push({ m, el, w: label.name.length * 6.2 + 6, h: 14, label });
        m.addTo(map);
      }
      this.ready = true;
      onReady();
    }, 0);
  }

  update(obstacles: Box[]): void {
    if (!this.ready) return;
    const z = this.map.getZoom();
    const scale = (256 * 2 ** z) / 360; // pixels per degree of longitude
    const size = this.map.getSize();
    const placed: Box[] = [...obstacles];
    let shown = 0;
    for (const { m, el, w, h: ht, label } of this.markers) {
      const p = this.map.latLngToContainerPoint(m.getLatLng());
      const fits = label.w * scale >= w * 0.8 && label.h * scale * 1.2 >= ht;
      const box: Box = [p.x - w / 2 - 2, p.y - ht / 2 - 2, p.x + w / 2 + 2, p.y + ht / 2 + 2];
      const inView = box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y; // no "Yeme…" at the edge
      const free = fits && inView && !placed.some((b) => overlaps(box, b));
      el.style.display = free ? "" : "none";
      if (free) { placed.push(box); shown++; }
    }
    this.map.getContainer().dataset.countryLabels = String(shown);
  }
}

/** The basemap's fills (and the outlines of the cut ones) on one canvas. */
export function drawBasemap(map: L.Map, style: (iso3: string | null) => L.PathOptions = () => BASEMAP_STYLE,
  interactive = false): L.GeoJSON {
  const bm = basemap();
  const renderer = L.canvas({ padding: 0.5, pane: "basemap" });
  const fills = L.geoJSON(bm.fills, {
    renderer, interactive, pane: "basemap",
    style: (f) => {
      const s = style(f?.properties.iso3 ?? null);
      return f?.properties.cut ? { ...s, stroke: false } : s;
    },
  } as L.GeoJSONOptions).addTo(map);
  L.geoJSON(bm.outlines, { renderer, interactive: false, pane: "basemap", style: { color: BASEMAP_STYLE.color, weight: BASEMAP_STYLE.weight } } as L.GeoJSONOptions).addTo(map);
  // What was drawn, for the map tests: the widest longitude span of any ring of the polygons
  // Leaflet holds (Russia's and Fiji's spanned 360° before the cut), and the widest ring Leaflet
  // projected to pixels, as a share of the world's width at this zoom. After the first paint.
  setTimeout(() => {
    let maxSpan = 0;
    let maxPx = 0;
    fills.eachLayer((l) => {
      for (const poly of (l as L.Polygon).getLatLngs() as L.LatLng[][][]) {
        for (const ring of poly) {
          let lo = Infinity;
          let hi = -Infinity;
          for (const p of ring) { if (p.lng < lo) lo = p.lng; if (p.lng > hi) hi = p.lng; }
          if (hi - lo > maxSpan) maxSpan = hi - lo;
        }
      }
      // Leaflet's projected rings (layer pixels): private, but what the canvas strokes.
      for (const ring of (l as unknown as { _rings?: L.Point[][] })._rings ?? []) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const p of ring) { if (p.x < lo) lo = p.x; if (p.x > hi) hi = p.x; }
        if (hi - lo > maxPx) maxPx = hi - lo;
      }
    });
    const el = map.getContainer();
    el.dataset.maxRingSpan = maxSpan.toFixed(1);
    el.dataset.maxRingWorldShare = (maxPx / (256 * 2 ** map.getZoom())).toFixed(3);
  }, 0);
  return fills;
}

export class EventMap {
  private map: L.Map;
  private cluster: L.MarkerClusterGroup;
  private places = new Map<L.Layer, Place>();
  private shownKey: string | null = null;
  private pacific: L.GeoJSON | null = null;
  private tiles: boolean;
  private countryLabels: CountryLabels | null = null;
  private relabelTimer = 0;

  constructor(private el: HTMLElement, tileUrl: string | null, private onOpen: (articleId: string, eventId: string) => void) {
    this.map = baseMap(el).setView([25, 10], 2);
    this.tiles = !!tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(this.map);
      this.map.attributionControl.addAttribution("Map tiles: configured tile server");
    } else {
      drawBasemap(this.map);
      this.countryLabels = new CountryLabels(this.map, () => this.relabel());
      this.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    }
    this.cluster = L.markerClusterGroup({
      maxClusterRadius: CLUSTER_RADIUS,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, // places still overlapping at zoom 12 fan out on a click
      iconCreateFunction: (c) => this.clusterIcon(c),
    }).addTo(this.map);
    this.map.on("zoomend moveend", () => this.relabel());
    this.cluster.on("animationend", () => this.relabel());
    // The view, for the tests and for anyone reading the page: west,south,east,north.
    this.map.on("moveend", () => { el.dataset.bounds = this.map.getBounds().toBBoxString(); el.dataset.zoom = String(this.map.getZoom()); });
  }

  invalidate(): void {
    this.map.invalidateSize();
  }

  /** For the tests: the Leaflet map behind the element. */
  get leaflet(): L.Map {
    return this.map;
  }

  show(fc: EventFC): number {
    this.cluster.clearLayers();
    this.places.clear();
    this.map.closePopup();
    // Group events that share a place (same coordinates) into one marker.
    const groups = new Map<string, { lat: number; lon: number; feats: EventFC["features"] }>();
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const key = `${lat.toFixed(4)},${lon.toFixed(4)}`;
      const g = groups.get(key) ?? { lat, lon, feats: [] };
      g.feats.push(f);
      groups.set(key, g);
    }
    const shift = this.pacificShift([...groups.values()].map((g) => g.lon));
    const markers: L.Layer[] = [];
    const bounds: L.LatLngTuple[] = [];
    for (const g of groups.values()) {
      const counts = new Map<string, number>();
      for (const f of g.feats) counts.set(f.properties.type, (counts.get(f.properties.type) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const n = g.feats.length;
      const lon = g.lon < shift ? g.lon + 360 : g.lon;
      const marker = L.circleMarker([g.lat, lon], {
        radius: Math.min(6 + 3 * Math.sqrt(n - 1), 26),
        color: "#ffffff",
        weight: 1.5,
        fillColor: typeColor(top),
        fillOpacity: 0.85,
        className: `ew-marker ew-type-${top}`,
      });
      const name = g.feats[0].properties.location ?? "";
      marker.bindTooltip(h("span", {}, `${name}${n > 1 ? ` · ${n}` : ""}`), {
        permanent: true, direction: "right", offset: [Math.min(6 + 3 * Math.sqrt(n - 1), 26), 0], className: "place-label",
      });
      marker.on("click", () => this.openPopup(L.latLng(g.lat, lon), g.feats));
      this.places.set(marker, { n, top });
      markers.push(marker);
      bounds.push([g.lat, lon]);
    }
    this.cluster.addLayers(markers);
    // Fit whenever the filters changed what is shown (not when the same events come back, e.g.
    // on a timeline bucket change, so a user's own pan and zoom stay).
    const key = fc.features.map((f) => String(f.id)).sort().join(",");
    if (bounds.length && key !== this.shownKey) {
      this.map.fitBounds(L.latLngBounds(bounds), { maxZoom: 6, padding: [30, 30], animate: false });
    }
    this.shownKey = key;
    this.el.dataset.places = String(groups.size);
    this.relabel();
    return groups.size;
  }

  private relabel(): void {
    clearTimeout(this.relabelTimer);
    this.relabelTimer = window.setTimeout(() => {
      const taken = this.placeLabels(); // with online tiles there are no country names to place
      this.countryLabels?.update(taken);
    }, RELABEL_MS);
  }

  /** Names beside the markers on the map, the places with most events first, each only where
   * it overlaps no marker, cluster or name already placed; returns every box taken (for the
   * country names, which yield to them). */
  private placeLabels(): Box[] {
    const origin = this.el.getBoundingClientRect();
    const rel = (r: DOMRect): Box => [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
    const taken: Box[] = [];
    // Clusters, the zoom buttons, the attribution and the note under the map's corner.
    const over = [...this.el.querySelectorAll<HTMLElement>(".ew-cluster, .leaflet-control"),
      ...(this.el.parentElement?.querySelectorAll<HTMLElement>(":scope > .map-note") ?? [])];
    for (const c of over) taken.push(rel(c.getBoundingClientRect()));
    const shown: { n: number; tip: HTMLElement; marker: Box }[] = [];
    for (const [layer, place] of this.places) {
      if (!this.map.hasLayer(layer)) continue; // inside a cluster
      const tip = (layer as L.CircleMarker).getTooltip()?.getElement();
      const path = (layer as L.CircleMarker & { _path?: SVGElement })._path;
      if (!tip || !path) continue;
      tip.style.display = "";
      const m = rel(path.getBoundingClientRect());
      taken.push(m);
      shown.push({ n: place.n, tip, marker: m });
    }
    shown.sort((a, b) => b.n - a.n);
    const boxes = shown.map((s) => rel(s.tip.getBoundingClientRect())); // one layout pass for all
    const names: Box[] = [];
    let n = 0;
    shown.forEach((s, i) => {
      const box = boxes[i];
      const free = !names.some((b) => overlaps(box, b)) && !taken.some((b) => b !== s.marker && overlaps(box, b));
      s.tip.style.display = free ? "" : "none";
      if (free) { names.push(box); n++; }
    });
    this.el.dataset.placeLabels = String(n);
    return [...taken, ...names];
  }

  /** Events straddling the antimeridian (Fiji and Samoa, nothing near 0°) are shown as one
   * group: the ones west of the widest gap move +360° and the Pacific's land is drawn there too.
   * Returns the longitude below which markers move (-Infinity: none). */
  private pacificShift(lons: number[]): number {
    let shift = -Infinity;
    if (lons.length > 1) {
      const s = [...lons].sort((a, b) => a - b);
      let gap = s[0] + 360 - s[s.length - 1]; // the gap across the antimeridian
      let at = -Infinity;
      for (let i = 1; i < s.length; i++) if (s[i] - s[i - 1] > gap) { gap = s[i] - s[i - 1]; at = s[i]; }
      shift = at;
    }
    if (shift > -Infinity && !this.tiles && !this.pacific) {
      const copy = pacificCopy();
      const renderer = L.canvas({ padding: 0.5, pane: "basemap" });
      this.pacific = L.geoJSON(copy.fills, { renderer, interactive: false, pane: "basemap",
        style: (f) => (f?.properties.cut ? { ...BASEMAP_STYLE, stroke: false } : BASEMAP_STYLE) } as L.GeoJSONOptions).addTo(this.map);
      L.geoJSON(copy.outlines, { renderer, interactive: false, pane: "basemap", style: { color: BASEMAP_STYLE.color, weight: BASEMAP_STYLE.weight } } as L.GeoJSONOptions).addTo(this.map);
    }
    return shift;
  }

  private clusterIcon(c: L.MarkerCluster): L.DivIcon {
    let n = 0;
    const byType = new Map<string, number>();
    for (const m of c.getAllChildMarkers()) {
      const p = this.places.get(m);
      if (!p) continue;
      n += p.n;
      byType.set(p.top, (byType.get(p.top) ?? 0) + p.n);
    }
    const top = [...byType.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
    const size = Math.round(Math.min(30 + 5 * Math.log2(n), 56));
    const el = h("div", { class: "ew-cluster-inner", title: `${n} events at ${c.getChildCount()} places — click to zoom in` }, String(n));
    el.style.background = typeColor(top);
    el.style.width = el.style.height = el.style.lineHeight = `${size}px`;
    return L.divIcon({ html: el, className: `ew-cluster ew-type-${top}`, iconSize: [size, size] });
  }

  /** A popup no wider or taller than the map leaves room for, panned into view. */
  private openPopup(at: L.LatLng, feats: EventFC["features"]): void {
    const size = this.map.getSize();
    L.popup({
      maxWidth: Math.max(180, Math.min(340, size.x - 70)),
      minWidth: Math.min(200, size.x - 70),
      maxHeight: Math.max(120, size.y - 90),
      autoPanPadding: [12, 12],
      className: "ew-popup",
    }).setLatLng(at).setContent(this.popup(feats)).openOn(this.map);
  }

  private popup(feats: EventFC["features"]): HTMLElement {
    const place = feats[0].properties.location ?? "";
    const items = feats.slice(0, 8).map((f) => {
      const p = f.properties;
      return h("li", {},
        h("span", { class: "chip", "data-type": p.type }, p.type), " ",
        h("span", { class: "muted" }, p.date_start ?? "undated"), " ",
        h("a", { href: `#/article/${encodeURIComponent(p.article_id)}/${encodeURIComponent(String(f.id))}`,
                 onclick: (ev: Event) => { ev.preventDefault(); this.onOpen(p.article_id, String(f.id)); } },
          p.summary ? (p.summary.length > 110 ? `${p.summary.slice(0, 110)}…` : p.summary) : p.article_title ?? p.article_id));
    });
    const more = feats.length > 8 ? h("li", { class: "muted" }, `…and ${feats.length - 8} more in the table`) : null;
    const box = h("div", { class: "popup" }, h("strong", {}, `${place} · ${feats.length} event${feats.length === 1 ? "" : "s"}`), h("ul", {}, ...items, more));
    for (const chip of box.querySelectorAll<HTMLElement>(".chip")) chip.style.background = typeColor(chip.dataset.type);
    return box;
  }
}
