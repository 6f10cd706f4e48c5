// The main view: filters, map, timeline and the event table, all driven by the URL's filters.
import { ApiError, getJSON, type Config, type EventPage, type EventRecord, type Stats } from "./api";
import { PLOVER_TYPES, typeColor } from "./colors";
import { append, clear, code, h, notice } from "./dom";
import { EventMap, type EventFeatureProps } from "./map";
import { reviewBadge } from "./review";
import { foldingSidebar } from "./layout";
import { FLAGS, filterParams, hasFilters, readFilters, setFilters, type Filters } from "./state";
import { Timeline, type Bucket } from "./timeline";
import type { FeatureCollection, Point } from "geojson";

const MAP_LIMIT = 5000; // markers drawn at once; more would slow the page without adding insight

const COLUMNS: { key: string; label: string; sort?: string }[] = [
  { key: "date", label: "Date", sort: "date" },
  { key: "type", label: "Type", sort: "type" },
  { key: "actors", label: "Actor" },
  { key: "recipients", label: "Recipient" },
  { key: "place", label: "Place", sort: "country" },
  { key: "certainty", label: "Certainty" },
  { key: "confidence", label: "Conf.", sort: "confidence" },
  { key: "review", label: "Review" },
  { key: "summary", label: "Sentence" },
];

/** The review filter: every event, reviewed only, not reviewed, or the rejected ones. */
function reviewField(f: Filters): HTMLElement {
  const sel = h("select", { id: "f-reviewed" },
    h("option", { value: "" }, "every event"), h("option", { value: "only" }, "reviewed only"),
    h("option", { value: "exclude" }, "not reviewed"), h("option", { value: "rejected" }, "rejected / out of scope")) as HTMLSelectElement;
  sel.value = f.rejected === "only" ? "rejected" : f.reviewed;
  sel.addEventListener("change", () => setFilters(sel.value === "rejected"
    ? { reviewed: "", rejected: "only" } : { reviewed: sel.value, rejected: "" }));
  return h("label", { class: "field" }, h("span", {}, "Review"), sel);
}

function names(list: EventRecord["actors"]): string {
  return (list ?? []).map((a) => a.text).join("; ");
}

export class EventsView {
  readonly el: HTMLElement;
  private mapEl = h("div", { class: "map", id: "map" });
  private mapNote = h("div", { class: "map-note" });
  private timelineEl = h("div", { class: "timeline", id: "timeline" });
  private tableEl = h("div", { class: "table-wrap", id: "events-table" });
  private statusEl = h("div", { class: "status", id: "status" });
  private timelineTitle = h("span", {}, "Timeline — drag to filter by date");
  private filtersEl = h("form", { class: "filters", id: "filters" });
  private map: EventMap | null = null;
  private timeline: Timeline;
  private bucket: Bucket = "day";
  private abort: AbortController | null = null;
  private below = 0; // events the confidence floor hid from the last page loaded

  constructor(private config: Config, private openArticle: (a: string, e: string) => void) {
    const bucketSel = h("select", { id: "bucket", "aria-label": "Timeline bucket" },
      h("option", { value: "day" }, "per day"), h("option", { value: "week" }, "per week"),
      h("option", { value: "month" }, "per month")) as HTMLSelectElement;
    bucketSel.addEventListener("change", () => { this.bucket = bucketSel.value as Bucket; this.refresh(readFilters()); });
    const clearRange = h("button", { type: "button", class: "link", onclick: () => setFilters({ date_from: "", date_to: "" }) }, "clear range");
    const sidebar = h("aside", { class: "sidebar" }, this.filtersEl);
    foldingSidebar(sidebar); // phones: one "Filters" bar above the map, not a screenful of form
    this.el = h("div", { class: "events-view" },
      sidebar,
      h("main", { class: "main" },
        this.statusEl,
        h("section", { class: "map-box" }, this.mapEl, this.mapNote),
        h("section", { class: "timeline-box" },
          h("div", { class: "box-head" }, this.timelineTitle, h("span", {}, clearRange, " ", bucketSel)),
          this.timelineEl),
        h("section", { class: "table-box" }, this.tableEl)));
    this.timeline = new Timeline(this.timelineEl, (from, to) => setFilters({ date_from: from, date_to: to }));
  }

  /** Called once the view is in the document (Leaflet needs a sized container). */
  mounted(): void {
    if (!this.map) this.map = new EventMap(this.mapEl, this.config.tile_url, this.openArticle);
    this.map.invalidate();
  }

  async refresh(f: Filters): Promise<void> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    this.renderFilters(f, null);
    this.statusEl.replaceChildren(notice("loading", "Loading events…"));
    try {
      const [page, stats, timeStats, geo] = await Promise.all([
        getJSON<EventPage>("/api/events", new URLSearchParams([...filterParams(f, { page: true }), ["limit", String(f.limit)]]), ac.signal),
        getJSON<Stats>("/api/stats", filterParams({ ...f, type: [] }), ac.signal),
        getJSON<Stats>("/api/stats", new URLSearchParams([...filterParams(f, { dates: false }), ["bucket", this.bucket]]), ac.signal),
        getJSON<FeatureCollection<Point, EventFeatureProps>>("/api/map",
          new URLSearchParams([...filterParams(f), ["limit", String(MAP_LIMIT)]]), ac.signal),
      ]);
      if (ac.signal.aborted) return;
      this.below = page.below_confidence ?? 0;
      this.renderFilters(f, stats);
      const places = this.map?.show(geo) ?? 0;
      this.mapNote.replaceChildren(
        `${geo.features.length.toLocaleString("en")} located event${geo.features.length === 1 ? "" : "s"} at ${places} place${places === 1 ? "" : "s"}`
        + (page.total > geo.features.length ? ` (${(page.total - geo.features.length).toLocaleString("en")} without a place or beyond the first ${MAP_LIMIT.toLocaleString("en")})` : ""));
      this.timeline.render(timeStats.timeline, this.bucket, f.date_from, f.date_to);
      this.timelineTitle.textContent = "Timeline — drag to filter by date"
        + (timeStats.undated ? ` (${timeStats.undated.toLocaleString("en")} undated event${timeStats.undated === 1 ? "" : "s"} not shown)` : "")
        + (timeStats.off_timeline ? ` (${timeStats.off_timeline.toLocaleString("en")} historical/future event${timeStats.off_timeline === 1 ? "" : "s"} not shown, listed last)` : "");
      this.renderTable(f, page);
      this.renderStatus(f, page, stats);
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      if (e instanceof ApiError && e.status === 422) {
        // A filter value the server does not know (country "Narnia"): say what is valid, and
        // show no rows or markers that would look like this filter's result.
        this.statusEl.replaceChildren(notice("error", "Check the filters.", e.message));
        this.tableEl.replaceChildren();
        this.map?.show({ type: "FeatureCollection", features: [] });
        this.mapNote.replaceChildren("No events shown: check the filters.");
        this.timeline.render([], this.bucket, f.date_from, f.date_to);
        return;
      }
      this.statusEl.replaceChildren(notice("error", "Could not load events.", (e as Error).message, " ",
        h("button", { type: "button", class: "link", onclick: () => this.refresh(readFilters()) }, "Retry")));
    }
  }

  /** The confidence floor in force: the URL's, else the server's default. */
  private floor(f: Filters): number {
    return f.min_confidence !== "" ? Number(f.min_confidence) : this.config.min_confidence;
  }

  private renderStatus(f: Filters, page: EventPage, stats: Stats): void {
    if (page.total > 0) {
      this.statusEl.replaceChildren();
      return;
    }
    if (page.below_confidence > 0) {
      const n = page.below_confidence;
      this.statusEl.replaceChildren(notice("empty", `No events at or above confidence ${this.floor(f).toFixed(2)}.`,
        `${n.toLocaleString("en")} matching event${n === 1 ? " is" : "s are"} below it. `,
        h("button", { type: "button", class: "link", onclick: () => setFilters({ min_confidence: "0" }) }, "Show all"),
        " or lower the minimum confidence."));
      return;
    }
    if (stats.articles === 0 && !hasFilters(f)) {
      this.statusEl.replaceChildren(notice("empty", "No events yet.",
        "Ingest some news first: ", code("eventwire ingest path/to/articles/"), ", then reload this page."));
    } else if (hasFilters(f)) {
      this.statusEl.replaceChildren(notice("empty", "No events match these filters.",
        h("button", { type: "button", class: "link", onclick: () => { window.history.pushState(null, "", `${location.pathname}${location.hash}`); setFilters({}); } }, "Clear all filters"),
        " or widen the date range."));
    } else {
      this.statusEl.replaceChildren(notice("empty", `${stats.articles} article${stats.articles === 1 ? "" : "s"} stored, but no events were coded in them.`,
        "Open an article from ", h("a", { href: "/api/articles" }, "/api/articles"), " to check the text, or ingest more news with ", code("eventwire ingest …"), "."));
    }
  }

  private renderFilters(f: Filters, stats: Stats | null): void {
    const form = this.filtersEl;
    if (form.childElementCount && !stats) return; // keep the form while loading
    const focused = document.activeElement?.id;
    clear(form);
    form.onsubmit = (ev) => ev.preventDefault();

    const typeBox = h("fieldset", { class: "types" }, h("legend", {}, "Event type (PLOVER)"));
    for (const t of PLOVER_TYPES) {
      const n = stats?.by_type[t] ?? 0;
      const cb = h("input", { type: "checkbox", value: t, id: `type-${t}`, name: "type" }) as HTMLInputElement;
      cb.checked = f.type.includes(t);
      cb.addEventListener("change", () => {
        const next = cb.checked ? [...f.type, t] : f.type.filter((x) => x !== t);
        setFilters({ type: next });
      });
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = typeColor(t);
      typeBox.append(h("label", { class: n || cb.checked ? "type-row" : "type-row dim", for: `type-${t}` }, cb, swatch, t, h("span", { class: "count" }, n ? String(n) : "")));
    }

    const text = (id: string, label: string, value: string, key: "actor", placeholder: string) => {
      const input = h("input", { id, type: "text", value, placeholder, autocomplete: "off" }) as HTMLInputElement;
      input.value = value;
      input.addEventListener("change", () => setFilters({ [key]: input.value.trim() } as Partial<Filters>));
      return h("label", { class: "field" }, h("span", {}, label), input);
    };
    // Codes or names, comma-separated ("UKR, Syria, United States"): the API resolves names
    // against the knowledge base's country table and answers 422 for one it does not know.
    const country = h("input", { id: "f-country", type: "text", placeholder: "e.g. UKR, Syria", autocomplete: "off" }) as HTMLInputElement;
    country.value = f.country.join(", ");
    country.addEventListener("change", () => setFilters({ country: country.value.split(",").map((c) => c.trim()).filter(Boolean) }));
    const countryList = stats ? Object.entries(stats.by_country).filter(([k]) => k).slice(0, 8) : [];
    const countryHints = h("div", { class: "hints" }, ...countryList.map(([c, n]) =>
      h("button", { type: "button", class: "hint", onclick: () => setFilters({ country: f.country.includes(c) ? f.country.filter((x) => x !== c) : [...f.country, c] }) }, `${c} ${n}`)));

    const dateFrom = h("input", { id: "f-from", type: "date" }) as HTMLInputElement;
    dateFrom.value = f.date_from;
    dateFrom.addEventListener("change", () => setFilters({ date_from: dateFrom.value }));
    const dateTo = h("input", { id: "f-to", type: "date" }) as HTMLInputElement;
    dateTo.value = f.date_to;
    dateTo.addEventListener("change", () => setFilters({ date_to: dateTo.value }));

    const certBox = h("fieldset", {}, h("legend", {}, "Certainty"));
    for (const c of this.config.certainties) {
      const cb = h("input", { type: "checkbox", id: `cert-${c}` }) as HTMLInputElement;
      cb.checked = f.certainty.includes(c);
      cb.addEventListener("change", () => setFilters({ certainty: cb.checked ? [...f.certainty, c] : f.certainty.filter((x) => x !== c) }));
      certBox.append(h("label", { class: "inline", for: `cert-${c}` }, cb, c));
    }

    const flagBox = h("fieldset", {}, h("legend", {}, "Flags"));
    for (const fl of FLAGS) {
      const sel = h("select", { id: `flag-${fl}` },
        h("option", { value: "" }, "any"), h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "no")) as HTMLSelectElement;
      sel.value = f.flags[fl] ?? "";
      sel.addEventListener("change", () => setFilters({ flags: { ...f.flags, [fl]: sel.value || undefined } }));
      flagBox.append(h("label", { class: "flag-row" }, h("span", {}, fl), sel));
    }

    const floor = this.floor(f);
    const confValue = h("output", { id: "f-min-confidence-value", for: "f-min-confidence" }, floor.toFixed(2));
    const conf = h("input", { id: "f-min-confidence", type: "range", min: 0, max: 1, step: 0.05,
      "aria-describedby": "f-min-confidence-note" }) as HTMLInputElement;
    conf.value = String(floor);
    conf.addEventListener("input", () => { confValue.textContent = Number(conf.value).toFixed(2); });
    conf.addEventListener("change", () => setFilters({ min_confidence: String(Number(conf.value)) }));
    const hidden = stats ? this.below : 0;
    const actions: HTMLElement[] = [];
    if (hidden) {
      actions.push(h("button", { type: "button", class: "link", id: "conf-show-all", onclick: () => setFilters({ min_confidence: "0" }) }, "Show all"));
    }
    if (f.min_confidence !== "" && Number(f.min_confidence) !== this.config.min_confidence) {
      actions.push(h("button", { type: "button", class: "link", id: "conf-default", onclick: () => setFilters({ min_confidence: "" }) },
        `Default (${this.config.min_confidence.toFixed(2)})`));
    }
    const confNote = h("div", { class: "conf-note muted small", id: "f-min-confidence-note" },
      h("span", {}, hidden ? `${hidden.toLocaleString("en")} event${hidden === 1 ? "" : "s"} below it hidden.` : floor > 0 ? "None hidden." : "Every event shown."),
      actions.length ? h("span", { class: "conf-actions" }, ...actions.flatMap((a, i) => (i ? [" · ", a] : [a]))) : null);
    const confBox = h("div", { class: "field conf" },
      h("label", { class: "conf-head", for: "f-min-confidence" }, h("span", {}, "Min. confidence"), confValue),
      conf, confNote);

    const exportParams = filterParams(f);
    const csv = new URLSearchParams([...exportParams, ["format", "csv"]]);
    const gj = new URLSearchParams([...exportParams, ["format", "geojson"]]);
    append(form,
      h("div", { class: "filters-head" }, h("strong", {}, "Filters"),
        h("button", { type: "button", class: "link", id: "reset", onclick: () => { window.history.pushState(null, "", `${location.pathname}${location.hash}`); setFilters({}); } }, "reset")),
      f.q ? h("div", { class: "active-q" }, "Text: ", h("q", {}, f.q), " ", h("button", { type: "button", class: "link", onclick: () => setFilters({ q: "" }) }, "×")) : null,
      typeBox,
      text("f-actor", "Actor (name or id)", f.actor, "actor", "e.g. Hezbollah"),
      h("label", { class: "field" }, h("span", {}, "Country (code or name)"), country), countryHints,
      h("div", { class: "dates" }, h("label", { class: "field" }, h("span", {}, "From"), dateFrom), h("label", { class: "field" }, h("span", {}, "To"), dateTo)),
      certBox, flagBox, confBox, reviewField(f),
      h("div", { class: "export" }, h("strong", {}, "Export this selection"),
        h("a", { href: `/api/events?${csv}`, id: "export-csv", download: "events.csv" }, "CSV"),
        h("a", { href: `/api/events?${gj}`, id: "export-geojson", download: "events.geojson" }, "GeoJSON")),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  private renderTable(f: Filters, page: EventPage): void {
    const [sortKey, desc] = [f.sort.replace(/^-/, ""), f.sort.startsWith("-")];
    const head = h("tr", {});
    for (const col of COLUMNS) {
      if (!col.sort) {
        head.append(h("th", { scope: "col" }, col.label));
        continue;
      }
      const active = sortKey === col.sort;
      const next = active && desc ? col.sort : `-${col.sort}`;
      head.append(h("th", { scope: "col", class: active ? "sorted" : "", "aria-sort": active ? (desc ? "descending" : "ascending") : "none" },
        h("button", { type: "button", class: "sort", "data-sort": col.sort, onclick: () => setFilters({ sort: next }) },
          col.label, active ? (desc ? " ▼" : " ▲") : "")));
    }
    const body = h("tbody", {});
    for (const ev of page.items) {
      const chip = h("span", { class: "chip" }, ev.type);
      chip.style.background = typeColor(ev.type);
      const flags = Object.entries(ev.flags ?? {}).filter(([, v]) => v).map(([k]) => k);
      const summary = ev.summary ?? "";
      const tr = h("tr", { class: "event-row", "data-event-id": ev.id, tabindex: 0 },
        h("td", { class: "nowrap" }, ev.date?.date_start ?? "—",
          ev.date?.anchor === "ingest"
            ? h("div", { class: "muted small", title: "No publication date: the day was read against the ingest date" }, "≈ ingest date")
            : null),
        h("td", {}, chip),
        h("td", {}, names(ev.actors) || "—"),
        h("td", {}, names(ev.recipients) || "—"),
        h("td", {}, ev.place ? [ev.place.name, ev.place.country].filter(Boolean).join(", ") : "—"),
        // No attributed claim, no certainty to show (the store's "asserted" default is not a reading).
        h("td", {}, ev.claim?.certainty ?? "", flags.length ? h("div", { class: "muted small" }, flags.join(", ")) : null),
        h("td", { class: "num" }, ev.confidence?.toFixed(2) ?? "—"),
        h("td", { class: "review-cell" }, reviewBadge(ev.review) ?? ""),
        h("td", { class: "summary" }, summary.length > 160 ? `${summary.slice(0, 160)}…` : summary,
          h("div", { class: "muted small" }, ev.article?.title ?? "",
            (ev.canonical?.num_articles ?? 1) > 1 ? ` · reported by ${ev.canonical?.num_articles} articles` : "")));
      const open = () => this.openArticle(ev.article_id, ev.id);
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => { if ((e as KeyboardEvent).key === "Enter") open(); });
      body.append(tr);
    }
    const from = page.total ? page.offset + 1 : 0;
    const to = page.offset + page.items.length;
    const pager = h("div", { class: "pager" },
      h("span", { id: "page-info" }, `${from.toLocaleString("en")}–${to.toLocaleString("en")} of ${page.total.toLocaleString("en")} events`),
      page.below_confidence
        ? h("span", { id: "hidden-info" }, `(${page.below_confidence.toLocaleString("en")} more below confidence ${this.floor(f).toFixed(2)})`)
        : null,
      h("button", { type: "button", id: "prev", disabled: page.offset <= 0, onclick: () => setFilters({ offset: Math.max(0, page.offset - f.limit) }) }, "← Previous"),
      h("button", { type: "button", id: "next", disabled: to >= page.total, onclick: () => setFilters({ offset: page.offset + f.limit }) }, "Next →"));
    this.tableEl.replaceChildren(
      h("table", { class: "events" }, h("thead", {}, head), body),
      pager);
  }
}
