// The event map: an offline basemap of country outlines (Natural Earth via the world-atlas npm
// package), or online tiles when the server has a tile URL configured; one circle per place,
// sized by its number of events and coloured by the PLOVER type most frequent there.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { FeatureCollection, Point } from "geojson";
import countries from "world-atlas/countries-50m.json";
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

export class EventMap {
  private map: L.Map;
  private layer: L.LayerGroup;
  private fitted = false;

  constructor(el: HTMLElement, tileUrl: string | null, private onOpen: (articleId: string, eventId: string) => void) {
    this.map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 }).setView([25, 10], 2);
    this.map.attributionControl.setPrefix(false);
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(this.map);
      this.map.attributionControl.addAttribution("Map tiles: configured tile server");
    } else {
      const topo = countries as unknown as Topology<{ countries: GeometryCollection }>;
      const outlines = feature(topo, topo.objects.countries);
      // Canvas: thousands of coastline vertices draw far faster than as SVG paths.
      const opts = {
        renderer: L.canvas({ padding: 0.5 }),
        interactive: false,
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      } as L.GeoJSONOptions;
      L.geoJSON(outlines, opts).addTo(this.map);
      this.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
    }
    this.layer = L.layerGroup().addTo(this.map);
  }

  invalidate(): void {
    this.map.invalidateSize();
  }

  show(fc: EventFC): number {
    this.layer.clearLayers();
    // Group events that share a place (same coordinates) into one marker.
    const groups = new Map<string, { lat: number; lon: number; feats: EventFC["features"] }>();
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const key = `${lat.toFixed(4)},${lon.toFixed(4)}`;
      const g = groups.get(key) ?? { lat, lon, feats: [] };
      g.feats.push(f);
      groups.set(key, g);
    }
    const bounds: L.LatLngTuple[] = [];
    for (const g of groups.values()) {
      const counts = new Map<string, number>();
      for (const f of g.feats) counts.set(f.properties.type, (counts.get(f.properties.type) ?? 0) + 1);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const n = g.feats.length;
      const marker = L.circleMarker([g.lat, g.lon], {
        radius: Math.min(6 + 3 * Math.sqrt(n - 1), 26),
        color: "#ffffff",
        weight: 1.5,
        fillColor: typeColor(top),
        fillOpacity: 0.85,
        className: `ew-marker ew-type-${top}`,
      });
      marker.bindTooltip(`${g.feats[0].properties.location ?? ""} · ${n} event${n > 1 ? "s" : ""}`);
      marker.bindPopup(() => this.popup(g.feats), { maxWidth: 340 });
      marker.addTo(this.layer);
      bounds.push([g.lat, g.lon]);
    }
    if (bounds.length && !this.fitted) {
      this.map.fitBounds(L.latLngBounds(bounds).pad(0.3), { maxZoom: 6 });
      this.fitted = true;
    }
    return groups.size;
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
    const box = h("div", { class: "popup" }, h("strong", {}, place), h("ul", {}, ...items, more));
    for (const chip of box.querySelectorAll<HTMLElement>(".chip")) chip.style.background = typeColor(chip.dataset.type);
    return box;
  }
}
