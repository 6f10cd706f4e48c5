// The offline basemap: Natural Earth country outlines (world-atlas, 1:50m), made drawable on a
// flat map. world-atlas ships rings "stitched" across the antimeridian for spherical
// renderers: Russia's and Fiji's rings jump from +179.9° to -180° and back, and Antarctica's
// ring goes once round the pole. Leaflet joins such a jump with a line across the whole world,
// so every ring that jumps is unwrapped (longitudes made continuous), closed over the pole if it
// circles one, and clipped into 180°-wide windows, each piece shifted back into [-180°, 180°].
// Those fills are drawn without a stroke (the cut edges are not borders); their outlines are
// drawn as lines, broken where the ring jumped. Every other ring is left as it is.
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import type { Feature, FeatureCollection, MultiLineString, MultiPolygon } from "geojson";
import polylabel from "polylabel";
import codes from "i18n-iso-countries/codes.json";
import countries from "world-atlas/countries-50m.json";

export type Pt = [number, number];
export type Ring = Pt[];

export interface CountryProps {
  /** ISO 3166-1 numeric code as world-atlas has it ("643"), or "" for the few without one. */
  id: string;
  /** ISO 3166-1 alpha-3 ("RUS"), the code the API uses; null when there is none. */
  iso3: string | null;
  name: string;
  /** Whether the fill was cut at the antimeridian (draw it without a stroke; see outlines). */
  cut: boolean;
}

export interface CountryLabel {
  name: string;
  /** Where the name goes: the largest piece's pole of inaccessibility (polylabel). */
  at: Pt;
  /** That piece's extent in degrees, and its area (degrees², shrunk by cos latitude). */
  w: number;
  h: number;
  area: number;
}

export interface Basemap {
  fills: FeatureCollection<MultiPolygon, CountryProps>;
  /** Outlines of the cut countries only, as lines that never cross the antimeridian. */
  outlines: FeatureCollection<MultiLineString, { name: string }>;
}

// Names world-atlas gives no numeric code; Kosovo's is the user-assigned XKX that GeoNames uses.
const NO_NUMERIC: Record<string, string> = { Kosovo: "XKX" };

const NUM_TO_ISO3 = new Map<string, string>((codes as string[][]).map((c) => [c[2], c[1]]));

function jumps(r: Ring): boolean {
  for (let i = 1; i < r.length; i++) if (Math.abs(r[i][0] - r[i - 1][0]) > 180) return true;
  return false;
}

/** Longitudes made continuous (each within 180° of the one before); a ring circling a pole
 * comes back 360° away from where it started, and is closed over that pole. */
function unwrap(r: Ring): Ring {
  const out: Ring = [[r[0][0], r[0][1]]];
  for (let i = 1; i < r.length; i++) {
    let lon = r[i][0];
    const prev = out[i - 1][0];
    while (lon - prev > 180) lon -= 360;
    while (lon - prev < -180) lon += 360;
    out.push([lon, r[i][1]]);
  }
  const drift = out[out.length - 1][0] - out[0][0];
  if (Math.abs(drift) > 180) {
    const lat = out.reduce((s, p) => s + p[1], 0) / out.length < 0 ? -90 : 90;
    const a = out[out.length - 1][0];
    const b = out[0][0];
    // Along the pole in 10° steps, so no segment of the closed ring is longer than that.
    const n = Math.ceil(Math.abs(a - b) / 10);
    for (let k = 0; k <= n; k++) out.push([a + ((b - a) * k) / n, lat]);
    out.push([out[0][0], out[0][1]]);
  }
  return out;
}

/** Sutherland–Hodgman clip of a ring to lo <= lon <= hi. */
function clip(r: Ring, lo: number, hi: number): Ring {
  const edge = (pts: Ring, inside: (p: Pt) => boolean, x: number): Ring => {
    const res: Ring = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i];
      const prev = pts[(i + pts.length - 1) % pts.length];
      const cin = inside(cur);
      const pin = inside(prev);
      if (cin !== pin) {
        const t = (x - prev[0]) / (cur[0] - prev[0]);
        res.push([x, prev[1] + t * (cur[1] - prev[1])]);
      }
      if (cin) res.push(cur);
    }
    return res;
  };
  let pts = r.slice(0, r.length - 1); // open ring for clipping
  pts = edge(pts, (p) => p[0] >= lo, lo);
  if (pts.length) pts = edge(pts, (p) => p[0] <= hi, hi);
  if (pts.length < 3) return [];
  pts.push([pts[0][0], pts[0][1]]);
  return pts;
}

/** A ring split into 180°-wide pieces, each shifted into [-180, 180]; keyed by destination. */
function cut(r: Ring): Map<number, Ring[]> {
  const u = unwrap(r);
  let min = Infinity;
  let max = -Infinity;
  for (const p of u) { min = Math.min(min, p[0]); max = Math.max(max, p[0]); }
  const out = new Map<number, Ring[]>();
  for (let k = Math.floor(min / 180); k * 180 < max; k++) {
    const piece = clip(u, k * 180, (k + 1) * 180);
    if (!piece.length) continue;
    const shift = -360 * Math.round((k * 180 + 90) / 360);
    const dest = ((k % 2) + 2) % 2; // 0: [0, 180], 1: [-180, 0]
    const list = out.get(dest) ?? [];
    list.push(piece.map(([x, y]) => [Math.max(-180, Math.min(180, x + shift)), y] as Pt));
    out.set(dest, list);
  }
  return out;
}

/** The ring as lines, broken wherever it jumps across the antimeridian. */
function breakAtJumps(r: Ring): Ring[] {
  const lines: Ring[] = [];
  let cur: Ring = [r[0]];
  for (let i = 1; i < r.length; i++) {
    if (Math.abs(r[i][0] - r[i - 1][0]) > 180) {
      if (cur.length > 1) lines.push(cur);
      cur = [];
    }
    cur.push(r[i]);
  }
  if (cur.length > 1) lines.push(cur);
  return lines;
}

function area(r: Ring): number {
  // Planar area in degrees², shrunk by cos(latitude): only used to rank pieces and labels.
  let s = 0;
  for (let i = 1; i < r.length; i++) s += (r[i - 1][0] * r[i][1] - r[i][0] * r[i - 1][1]);
  const lat = r.reduce((t, p) => t + p[1], 0) / r.length;
  return Math.abs(s / 2) * Math.cos((lat * Math.PI) / 180);
}

function bbox(r: Ring): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of r) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  return [x0, y0, x1, y1];
}

let cached: Basemap | null = null;

export function basemap(): Basemap {
  if (cached) return cached;
  const topo = countries as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const raw = feature(topo, topo.objects.countries);
  const fills: Feature<MultiPolygon, CountryProps>[] = [];
  const outlines: Feature<MultiLineString, { name: string }>[] = [];
  for (const f of raw.features) {
    const g = f.geometry;
    if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon")) continue;
    const polys = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as Ring[][];
    const name = f.properties?.name ?? "";
    const id = f.id === undefined ? "" : String(f.id);
    let wasCut = false;
    const out: Ring[][] = [];
    const lines: Ring[] = [];
    for (const poly of polys) {
      if (!poly.some(jumps)) {
        out.push(poly);
        continue;
      }
      wasCut = true;
      for (const r of poly) lines.push(...breakAtJumps(r));
      // Outer ring and holes are cut alike; a destination window's holes go with its pieces.
      const [outer, ...holes] = poly.map(cut);
      for (const [dest, pieces] of outer) {
        const hs = holes.flatMap((h) => h.get(dest) ?? []);
        pieces.forEach((piece, i) => out.push(i === 0 ? [piece, ...hs] : [piece]));
      }
    }
    fills.push({
      type: "Feature", id,
      geometry: { type: "MultiPolygon", coordinates: out },
      properties: { id, iso3: NUM_TO_ISO3.get(id) ?? NO_NUMERIC[name] ?? null, name, cut: wasCut },
    });
    if (wasCut) outlines.push({ type: "Feature", geometry: { type: "MultiLineString", coordinates: lines }, properties: { name } });
  }
  cached = { fills: { type: "FeatureCollection", features: fills }, outlines: { type: "FeatureCollection", features: outlines } };
  return cached;
}

let labelCache: CountryLabel[] | null = null;

/** One label per country, largest first (computed on first use: ~100 ms for the 241). */
export function countryLabels(): CountryLabel[] {
  if (labelCache) return labelCache;
  const out: CountryLabel[] = [];
  for (const f of basemap().fills.features) {
    let best = f.geometry.coordinates[0] as Ring[];
    let bestArea = -1;
    for (const p of f.geometry.coordinates as Ring[][]) { const a = area(p[0]); if (a > bestArea) { bestArea = a; best = p; } }
    const b = bbox(best[0]);
    const w = b[2] - b[0];
    const h = b[3] - b[1];
    // A twentieth of the piece's smaller side: close enough to the optimum for a label.
    const at = polylabel(best as [number, number][][], Math.max(0.01, Math.min(w, h) / 20));
    out.push({ name: f.properties.name, at: [at[0], at[1]], w, h, area: bestArea });
  }
  out.sort((a, b) => b.area - a.area);
  labelCache = out;
  return out;
}

/** The basemap's pieces west of -60°, shifted +360°: drawn only when the events shown straddle
 * the antimeridian (Fiji and Samoa), so the Pacific reads as one sea east of 180°. */
export function pacificCopy(): Basemap {
  const shift = (r: Ring) => r.map(([x, y]) => [x + 360, y] as Pt);
  const fills: Feature<MultiPolygon, CountryProps>[] = [];
  for (const f of basemap().fills.features) {
    const west = (f.geometry.coordinates as Ring[][]).filter((p) => bbox(p[0])[0] < -60);
    if (west.length) fills.push({ ...f, geometry: { type: "MultiPolygon", coordinates: west.map((p) => p.map(shift)) } });
  }
  const outlines: Feature<MultiLineString, { name: string }>[] = [];
  for (const f of basemap().outlines.features) {
    const west = (f.geometry.coordinates as Ring[]).filter((l) => bbox(l)[0] < -60);
    if (west.length) outlines.push({ ...f, geometry: { type: "MultiLineString", coordinates: west.map(shift) } });
  }
  return { fills: { type: "FeatureCollection", features: fills }, outlines: { type: "FeatureCollection", features: outlines } };
}
