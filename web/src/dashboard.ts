// The dashboard (#/dashboard): the numbers of GET /api/dashboard for the filters in the URL —
// the same filters as the events view, so one link moves between the two. Counts by PLOVER
// type, by country (a choropleth on the offline basemap and a list) and by week or month, the
// fatalities summed with the events and articles they come from, the most active actors and the
// share of events reviewed. Clicking a type, a country or a bar narrows the filter.
import L from "leaflet";
import { axisBottom, axisLeft } from "d3-axis";
import { scaleBand, scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { ApiError, getJSON } from "./api";
import { typeColor } from "./colors";
import { h, notice } from "./dom";
import { baseMap, drawBasemap } from "./map";
import { filterParams, hasFilters, readFilters, setFilters, type Filters } from "./state";

export interface DashboardData {
  total: number;
  min_confidence: number | null;
  by_type: { type: string; n: number }[];
  by_country: { country: string | null; name: string | null; n: number }[];
  bucket: "week" | "month";
  timeline: { t: string; n: number }[];
  undated: number;
  off_timeline: number;
  fatalities: {
    total: number;
    events: number;
    top: {
      event_id: string; type: string; date_start?: string | null; country?: string | null; location?: string | null;
      fatalities: number; summary?: string | null;
      article: { id: string; title?: string | null; publisher?: string | null; source?: string | null; url?: string | null; published_at?: string | null };
    }[];
  };
  top_actors: { id: string | null; name: string; events: number }[];
  reviewed: { events: number; share: number; by_status: Record<string, number> };
}

type Bucket = "auto" | "week" | "month";

const fmt = (n: number) => n.toLocaleString("en");
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

// Five classes, light to dark (ColorBrewer YlOrRd 5): enough to tell a handful from hundreds.
const RAMP = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const NO_EVENTS = "#f4f1ea";

/** Upper bounds of the five classes: equal steps of log(max), so 1 and 1,000 both read. */
export function classBreaks(max: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= 5; k++) out.push(max <= 5 ? Math.min(k, Math.max(max, 1)) : Math.max(k, Math.ceil(max ** (k / 5))));
  out[4] = Math.max(max, 1);
  return out.filter((b, i) => i === 0 || b > out[i - 1]);
}

function classOf(n: number, breaks: number[]): number {
  for (let i = 0; i < breaks.length; i++) if (n <= breaks[i]) return i;
  return breaks.length - 1;
}

export class DashboardView {
  readonly el: HTMLElement;
  private head = h("div", { class: "dash-head" });
  private status = h("div", { class: "status" });
  private kpis = h("div", { class: "dash-kpis", id: "dash-kpis" });
  private mapEl = h("div", { class: "dash-map", id: "dash-map" });
  private legend = h("div", { class: "dash-legend", id: "dash-legend" });
  private types = h("div", { class: "dash-bars", id: "dash-types" });
  private countries = h("div", { class: "dash-bars", id: "dash-countries" });
  private timeline = h("div", { class: "dash-timeline", id: "dash-timeline" });
  private timelineHead = h("span", {});
  private fatalities = h("div", { id: "dash-fatalities" });
  private actors = h("div", { id: "dash-actors" });
  private reviewed = h("div", { id: "dash-reviewed" });
  private map: L.Map | null = null;
  private fills: L.GeoJSON | null = null;
  private counts = new Map<string, number>();
  private breaks: number[] = [1];
  private bucket: Bucket = "auto";
  private abort: AbortController | null = null;
  private fitKey: string | null = null;

  constructor() {
    const bucketSel = h("select", { id: "dash-bucket", "aria-label": "Timeline bucket" },
      h("option", { value: "auto" }, "auto"), h("option", { value: "week" }, "per week"),
      h("option", { value: "month" }, "per month")) as HTMLSelectElement;
    bucketSel.addEventListener("change", () => { this.bucket = bucketSel.value as Bucket; void this.refresh(readFilters()); });
    const card = (title: string | HTMLElement, body: HTMLElement, cls = "") =>
      h("section", { class: `dash-card ${cls}` }, h("h2", {}, title), body);
    this.el = h("div", { class: "dashboard page-wide", id: "dashboard" },
      this.head, this.status, this.kpis,
      h("div", { class: "dash-grid" },
        card("Events by country", h("div", {}, h("div", { class: "dash-map-box" }, this.mapEl, this.legend), this.countries), "dash-wide"),
        card("Events by type (PLOVER)", this.types),
        card(h("span", { class: "box-head" }, this.timelineHead, bucketSel), this.timeline),
        card("Fatalities and their sources", this.fatalities, "dash-wide"),
        card("Most active actors", this.actors),
        card("Reviewed", this.reviewed)));
  }

  /** Called once the view is in the document (Leaflet needs a sized container). */
  mounted(): void {
    if (!this.map) {
      this.map = baseMap(this.mapEl, { minZoom: 0, maxZoom: 7, zoomSnap: 0.25, scrollWheelZoom: false });
      this.fills = drawBasemap(this.map, (iso3) => this.style(iso3), true);
      this.fills.eachLayer((l) => {
        const p = (l as L.Polygon & { feature: GeoJSON.Feature<GeoJSON.MultiPolygon, { iso3: string | null; name: string }> }).feature.properties;
        l.bindTooltip(() => h("span", {}, h("strong", {}, p.name), " · ", plural(this.counts.get(p.iso3 ?? "") ?? 0, "event")), { sticky: true });
        l.on("click", () => {
          if (!p.iso3 || !this.counts.get(p.iso3)) return;
          const f = readFilters();
          setFilters({ country: f.country.length === 1 && f.country[0] === p.iso3 ? [] : [p.iso3] });
        });
      });
      this.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
      this.fitWorld();
    }
    this.map.invalidateSize();
  }

  private fitWorld(): void {
    // The inhabited world (no Antarctica, little Arctic), whatever the width.
    this.map?.fitBounds([[-50, -165], [72, 185]], { animate: false });
  }

  private style(iso3: string | null): L.PathOptions {
    const n = iso3 ? this.counts.get(iso3) ?? 0 : 0;
    return { color: "#9aa5b1", weight: 0.6, fillOpacity: 1, fillColor: n ? RAMP[classOf(n, this.breaks) + (5 - this.breaks.length)] : NO_EVENTS };
  }

  async refresh(f: Filters): Promise<void> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    document.title = "Dashboard · eventwire";
    this.renderHead(f);
    // The first load says so; later ones dim the numbers shown until the new ones arrive.
    if (!this.el.classList.contains("loaded")) this.status.replaceChildren(notice("loading", "Loading the dashboard…"));
    this.el.classList.add("busy");
    let d: DashboardData;
    try {
      const params = new URLSearchParams([...filterParams(f), ["bucket", this.bucket], ["top", "10"]]);
      d = await getJSON<DashboardData>("/api/dashboard", params, ac.signal);
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      // No numbers under an error that could pass for this filter's.
      this.el.classList.remove("busy", "loaded");
      this.el.classList.add("failed");
      this.status.replaceChildren(notice("error", e instanceof ApiError && e.status === 422 ? "Check the filters." : "Could not load the dashboard.",
        (e as Error).message));
      return;
    }
    if (ac.signal.aborted) return;
    const wasHidden = this.el.classList.contains("failed");
    this.el.classList.remove("busy", "failed");
    this.el.classList.add("loaded");
    if (wasHidden) this.map?.invalidateSize();
    this.status.replaceChildren(d.total ? "" : notice("empty", hasFilters(f) ? "No events match these filters." : "No events yet.",
      hasFilters(f) ? "Widen the filters in the events view." : "Ingest some news first: eventwire ingest path/to/articles/"));
    this.renderKpis(d);
    this.renderCountries(d, f);
    this.renderTypes(d, f);
    this.renderTimeline(d);
    this.renderFatalities(d);
    this.renderActors(d);
    this.renderReviewed(d);
  }

  private renderHead(f: Filters): void {
    const parts: string[] = [];
    if (f.type.length) parts.push(`type ${f.type.join(", ")}`);
    if (f.acled_type.length) parts.push(`ACLED ${f.acled_type.join(", ")}`);
    if (f.country.length) parts.push(`country ${f.country.join(", ")}`);
    if (f.actor) parts.push(`actor ${f.actor}`);
    if (f.date_from || f.date_to) parts.push(`${f.date_from || "…"} to ${f.date_to || "…"}`);
    if (f.q) parts.push(`text “${f.q}”`);
    if (f.certainty.length) parts.push(`certainty ${f.certainty.join(", ")}`);
    for (const [k, v] of Object.entries(f.flags)) if (v) parts.push(`${k} ${v}`);
    if (f.min_confidence !== "") parts.push(`confidence ≥ ${f.min_confidence}`);
    if (f.reviewed) parts.push(`reviewed: ${f.reviewed}`);
    if (f.rejected) parts.push(`rejected: ${f.rejected}`);
    this.head.replaceChildren(
      h("h1", {}, "Dashboard"),
      h("div", { class: "dash-filter", id: "dash-filter" },
        parts.length ? `For ${parts.join(" · ")}` : "All events",
        " · ", h("a", { href: "#/" }, "edit the filters in the events view"),
        parts.length ? h("span", {}, " · ", h("button", { type: "button", class: "link", onclick: () => {
          window.history.pushState(null, "", `${location.pathname}${location.hash}`);
          setFilters({});
        } }, "clear")) : null));
  }

  private renderKpis(d: DashboardData): void {
    const kpi = (id: string, value: string, label: string, sub?: string) =>
      h("div", { class: "kpi", id }, h("div", { class: "kpi-value" }, value), h("div", { class: "kpi-label" }, label),
        sub ? h("div", { class: "kpi-sub muted" }, sub) : null);
    const countries = d.by_country.filter((c) => c.country).length;
    this.kpis.replaceChildren(
      kpi("kpi-events", fmt(d.total), d.total === 1 ? "event" : "events",
        d.min_confidence ? `confidence ≥ ${d.min_confidence.toFixed(2)}` : undefined),
      kpi("kpi-fatalities", fmt(d.fatalities.total), "reported deaths", `in ${plural(d.fatalities.events, "event")}`),
      kpi("kpi-countries", fmt(countries), countries === 1 ? "country" : "countries",
        d.by_country.some((c) => !c.country) ? `${plural(d.by_country.find((c) => !c.country)?.n ?? 0, "event")} without a place` : undefined),
      kpi("kpi-reviewed", `${(100 * d.reviewed.share).toFixed(1)}%`, "reviewed", `${plural(d.reviewed.events, "event")} of ${fmt(d.total)}`));
  }

  /** Horizontal bars: one row per key, clickable to filter by it. */
  private bars(rows: { key: string; label: string; n: number; color: string; active: boolean; onclick?: () => void }[]): HTMLElement {
    const max = Math.max(1, ...rows.map((r) => r.n));
    return h("ol", { class: "bars" }, ...rows.map((r) => {
      const bar = h("span", { class: "bar" });
      bar.style.width = `${(100 * r.n) / max}%`;
      bar.style.background = r.color;
      const label = r.onclick
        ? h("button", { type: "button", class: "link bar-label", title: `${r.label}: ${r.active ? "remove this filter" : "filter by this"}`, onclick: r.onclick }, r.label)
        : h("span", { class: "bar-label", title: r.label }, r.label);
      return h("li", { class: r.active ? "bar-row active" : "bar-row", "data-key": r.key, "data-n": r.n },
        label, h("span", { class: "bar-track" }, bar), h("span", { class: "bar-n num" }, fmt(r.n)));
    }));
  }

  private renderTypes(d: DashboardData, f: Filters): void {
    if (!d.by_type.length) { this.types.replaceChildren(h("p", { class: "muted" }, "No events.")); return; }
    this.types.replaceChildren(this.bars(d.by_type.map((r) => ({
      key: r.type, label: r.type, n: r.n, color: typeColor(r.type), active: f.type.includes(r.type),
      onclick: () => setFilters({ type: f.type.includes(r.type) ? f.type.filter((t) => t !== r.type) : [r.type] }),
    }))));
  }

  private renderCountries(d: DashboardData, f: Filters): void {
    this.counts = new Map(d.by_country.filter((c) => c.country).map((c) => [c.country as string, c.n]));
    const max = Math.max(0, ...this.counts.values());
    this.breaks = classBreaks(max);
    this.fills?.eachLayer((l) => {
      const iso3 = (l as L.Polygon & { feature: GeoJSON.Feature<GeoJSON.MultiPolygon, { iso3: string | null }> }).feature.properties.iso3;
      (l as L.Polygon).setStyle(this.style(iso3));
    });
    this.mapEl.dataset.countries = String(this.counts.size);
    // Fit the countries that have events (the world when they span it, or none has).
    const key = [...this.counts.keys()].sort().join(",");
    if (key !== this.fitKey) {
      this.fitKey = key;
      const b = L.latLngBounds([]);
      this.fills?.eachLayer((l) => {
        const iso3 = (l as L.Polygon & { feature: GeoJSON.Feature<GeoJSON.MultiPolygon, { iso3: string | null }> }).feature.properties.iso3;
        if (iso3 && this.counts.has(iso3)) b.extend((l as L.Polygon).getBounds());
      });
      if (b.isValid() && b.getEast() - b.getWest() < 200) this.map?.fitBounds(b, { padding: [12, 12], maxZoom: 5, animate: false });
      else this.fitWorld();
    }
    const offset = 5 - this.breaks.length;
    this.legend.replaceChildren(...(max ? this.breaks.map((b, i) => {
      const lo = i === 0 ? 1 : this.breaks[i - 1] + 1;
      const sw = h("span", { class: "swatch-sq" });
      sw.style.background = RAMP[i + offset];
      return h("span", { class: "legend-item" }, sw, lo === b ? fmt(b) : `${fmt(lo)}–${fmt(b)}`);
    }) : [h("span", { class: "muted" }, "No located events")]));
    const top = d.by_country.slice(0, 12);
    const rest = d.by_country.length - top.length;
    this.countries.replaceChildren(this.bars(top.map((c) => ({
      key: c.country ?? "", label: c.country ? `${c.name ?? c.country} (${c.country})` : "no place",
      n: c.n, color: c.country ? RAMP[classOf(c.n, this.breaks) + offset] : "#c3ccd6",
      active: !!c.country && f.country.includes(c.country),
      onclick: c.country ? () => setFilters({ country: f.country.length === 1 && f.country[0] === c.country ? [] : [c.country as string] }) : undefined,
    }))), rest > 0 ? h("p", { class: "muted small" }, `…and ${plural(rest, "more country", "more countries")} on the map`) : "");
  }

  private renderTimeline(d: DashboardData): void {
    const extra = [d.undated ? `${plural(d.undated, "undated event")}` : "", d.off_timeline ? `${plural(d.off_timeline, "historical/future event")}` : ""]
      .filter(Boolean).join(", ");
    this.timelineHead.textContent = `Events per ${d.bucket}${extra ? ` (not shown: ${extra})` : ""}`;
    this.timeline.dataset.bucket = d.bucket;
    const width = Math.max(this.timeline.clientWidth, 280);
    const height = 170;
    const m = { top: 8, right: 8, bottom: 24, left: 34 };
    const svg = select(this.timeline).selectAll<SVGSVGElement, null>("svg").data([null]).join("svg")
      .attr("class", "dash-timeline-svg").attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`)
      .attr("role", "img").attr("aria-label", `Events per ${d.bucket}`);
    svg.selectAll("*").remove();
    if (!d.timeline.length) return;
    const x = scaleBand<string>().domain(d.timeline.map((p) => p.t)).range([m.left, width - m.right]).padding(0.15);
    const maxN = Math.max(...d.timeline.map((p) => p.n));
    const y = scaleLinear().domain([0, maxN]).nice().range([height - m.bottom, m.top]);
    const every = Math.max(1, Math.ceil(d.timeline.length / Math.floor((width - m.left) / 60)));
    const label = (t: string) => (d.bucket === "month" ? t.slice(0, 7) : t.slice(5));
    svg.append("g").attr("transform", `translate(0,${height - m.bottom})`)
      .call(axisBottom(x).tickValues(x.domain().filter((_, i) => i % every === 0)).tickFormat(label).tickSizeOuter(0));
    svg.append("g").attr("transform", `translate(${m.left},0)`).call(axisLeft(y).ticks(Math.min(4, maxN)).tickSizeOuter(0));
    svg.append("g").attr("class", "bars").selectAll("rect").data(d.timeline).join("rect")
      .attr("x", (p) => x(p.t) ?? 0).attr("width", x.bandwidth())
      .attr("y", (p) => y(p.n)).attr("height", (p) => y(0) - y(p.n))
      .attr("data-t", (p) => p.t).attr("data-n", (p) => p.n)
      .append("title").text((p) => `${d.bucket === "week" ? "week of " : ""}${label(p.t)}: ${plural(p.n, "event")}`);
  }

  private renderFatalities(d: DashboardData): void {
    const fa = d.fatalities;
    if (!fa.events) {
      this.fatalities.replaceChildren(h("p", { class: "muted" }, "No deaths reported in these events."));
      return;
    }
    const rows = fa.top.map((e) => {
      const a = e.article;
      const source = [a.publisher, a.published_at].filter(Boolean).join(", ");
      return h("tr", { "data-event": e.event_id },
        h("td", { class: "num" }, h("strong", {}, fmt(e.fatalities))),
        h("td", { class: "nowrap" }, e.date_start ?? "undated"),
        h("td", {}, h("span", { class: "chip", "data-type": e.type }, e.type)),
        h("td", {}, [e.location, e.country].filter(Boolean).join(", ")),
        h("td", { class: "summary" }, h("a", { href: `#/article/${encodeURIComponent(a.id)}/${encodeURIComponent(e.event_id)}` },
          e.summary ?? a.title ?? a.id)),
        h("td", {}, a.url ? h("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" }, a.title ?? a.url) : (a.title ?? a.source ?? ""),
          source ? h("div", { class: "muted small" }, source) : null));
    });
    const table = h("table", { class: "events dash-table" },
      h("thead", {}, h("tr", {}, ...["Deaths", "Date", "Type", "Place", "Event (evidence)", "Source"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...rows));
    for (const chip of table.querySelectorAll<HTMLElement>(".chip")) chip.style.background = typeColor(chip.dataset.type);
    this.fatalities.replaceChildren(
      h("p", { class: "dash-sum", id: "dash-fatalities-sum" }, h("strong", {}, fmt(fa.total)), ` reported deaths in ${plural(fa.events, "event")}`,
        h("span", { class: "muted" }, " (each event's largest reported toll, summed)"),
        fa.top.length < fa.events ? h("span", { class: "muted" }, `; the ${fa.top.length} largest below`) : null),
      h("div", { class: "table-wrap" }, table));
  }

  private renderActors(d: DashboardData): void {
    if (!d.top_actors.length) { this.actors.replaceChildren(h("p", { class: "muted" }, "No actors.")); return; }
    const max = Math.max(1, ...d.top_actors.map((a) => a.events));
    this.actors.replaceChildren(h("ol", { class: "bars" }, ...d.top_actors.map((a) => {
      const bar = h("span", { class: "bar" });
      bar.style.width = `${(100 * a.events) / max}%`;
      return h("li", { class: "bar-row", "data-key": a.id ?? a.name, "data-n": a.events },
        a.id ? h("a", { class: "bar-label", href: `#/actor/${encodeURIComponent(a.id)}` }, a.name)
          : h("span", { class: "bar-label", title: "not in the knowledge base" }, a.name, h("span", { class: "muted" }, " *")),
        h("span", { class: "bar-track" }, bar), h("span", { class: "bar-n num" }, fmt(a.events)));
    })), d.top_actors.some((a) => !a.id) ? h("p", { class: "muted small" }, "* as written in the articles; not resolved to a knowledge-base actor") : "");
  }

  private renderReviewed(d: DashboardData): void {
    const r = d.reviewed;
    const bar = h("span", { class: "bar" });
    bar.style.width = `${Math.min(100, 100 * r.share)}%`;
    const status = Object.entries(r.by_status).filter(([, n]) => n);
    this.reviewed.replaceChildren(
      h("p", { class: "dash-sum", id: "dash-reviewed-sum" }, h("strong", {}, `${(100 * r.share).toFixed(1)}%`),
        ` of these events reviewed (${fmt(r.events)} of ${fmt(d.total)})`),
      h("div", { class: "bar-track big" }, bar),
      status.length ? h("ul", { class: "plain" }, ...status.map(([k, n]) => h("li", { "data-status": k }, `${k}: ${fmt(n)}`))) : "",
      h("p", { class: "muted small" }, r.events < d.total
        ? h("a", { href: `?${filterParams({ ...readFilters(), reviewed: "exclude" }, { page: true })}#/` }, "Review the others in the events view")
        : "Every event here has been reviewed."));
  }
}
