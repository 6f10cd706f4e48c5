// Reviews (issue 15.1): accept, reject or edit an event, mark an article out of scope.
// Writes need the server's token (or a reviewer's named token): the reviewer types it once, it is
// kept in this browser's localStorage and sent as "Authorization: Bearer …" on review requests
// only. Every value shown comes from the API through text nodes (dom.ts): no innerHTML.
import L from "leaflet";
import { ApiError, getJSON, type EventRecord } from "./api";
import { baseMap, drawBasemap } from "./map";
import "./review.css";
import { h, notice } from "./dom";

const TOKEN_KEY = "eventwire.reviewToken";

export interface ReviewState {
  status: "accepted" | "rejected" | "edited";
  reviewer?: string | null;
  reviewed_at?: string | null;
  fields?: string[];
}

export interface ReviewOptions {
  plover_types: string[];
  acled: { event_type: string; sub_event_type: string }[];
  writes: boolean;
}

export interface PlaceHit {
  name: string; country: string | null; admin1: string | null; lat: number; lon: number; kind: string;
  population: number;
}

export interface HistoryItem {
  id: number; reviewer: string; created_at: string; action: string; note?: string | null;
  before?: Record<string, unknown> | null; after?: Record<string, unknown> | null;
}

export function getToken(): string {
  try { return localStorage.getItem(TOKEN_KEY) ?? ""; } catch { return ""; }
}

export function setToken(t: string): void {
  try {
    if (t) localStorage.setItem(TOKEN_KEY, t); else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage off: the token lasts for this page only */ }
}

/** POST JSON with the reviewer's token; errors carry the API's {"error": {code, message}}. */
export async function postJSON<T>(path: string, body: unknown): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${getToken()}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "network", "cannot reach the eventwire server; is `eventwire serve` still running?");
  }
  let data: unknown = null;
  try { data = await resp.json(); } catch { data = null; }
  if (!resp.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(resp.status, err?.code ?? `http_${resp.status}`, err?.message ?? `HTTP ${resp.status}`);
  }
  return data as T;
}

let options: Promise<ReviewOptions> | null = null;
export function reviewOptions(): Promise<ReviewOptions> {
  options ??= getJSON<ReviewOptions>("/api/review-options");
  return options;
}

/** The small status badge of a reviewed event ("edited by alice"); null when unreviewed. */
export function reviewBadge(review: ReviewState | null | undefined): HTMLElement | null {
  if (!review) return null;
  const label = { accepted: "✓ accepted", rejected: "✗ rejected", edited: "✎ edited" }[review.status] ?? review.status;
  return h("span", { class: `review-badge review-${review.status}`, title: `${label} by ${review.reviewer ?? "?"} ${review.reviewed_at?.slice(0, 16).replace("T", " ") ?? ""}` }, label);
}

function tokenBox(onSaved: () => void): HTMLElement {
  const input = h("input", { type: "password", id: "review-token", placeholder: "reviewer token", autocomplete: "off", "aria-label": "Reviewer token" }) as HTMLInputElement;
  input.value = getToken();
  const save = h("button", { type: "button", id: "review-token-save", onclick: () => { setToken(input.value.trim()); onSaved(); } }, getToken() ? "Change" : "Save");
  return h("div", { class: "review-token" },
    h("label", { for: "review-token", class: "muted small" }, "Your reviewer token (kept in this browser)"), h("div", { class: "row" }, input, save));
}

function field(label: string, el: HTMLElement, hint?: string): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, label), el, hint ? h("span", { class: "muted small" }, hint) : null);
}

function names(list: EventRecord["actors"] | undefined): string {
  return (list ?? []).map((a) => a.text).join("; ");
}

function parseActors(text: string): { text: string }[] {
  return text.split(";").map((t) => t.trim()).filter(Boolean).map((t) => ({ text: t }));
}

function dead(ev: EventRecord): number | null {
  const vals = (ev.quantities ?? []).filter((q) => q.kind === "dead").map((q) => q.value);
  return vals.length ? Math.max(...vals) : null;
}

/** A small offline map: a click sets the point (lat/lon inputs), the marker shows it. */
function pointMap(lat: HTMLInputElement, lon: HTMLInputElement, onPick: () => void): { el: HTMLElement; sync: () => void } {
  const el = h("div", { class: "review-map", id: "rv-map", "aria-label": "Click to set the event's point" });
  let map: L.Map | null = null;
  let marker: L.CircleMarker | null = null;
  const sync = () => {
    if (!map) return;
    const la = Number(lat.value);
    const lo = Number(lon.value);
    if (lat.value === "" || lon.value === "" || !Number.isFinite(la) || !Number.isFinite(lo)) return;
    if (!marker) marker = L.circleMarker([la, lo], { radius: 7, color: "#0d47a1", weight: 2, fillColor: "#fb8c00", fillOpacity: 0.9 }).addTo(map);
    marker.setLatLng([la, lo]);
    map.setView([la, lo], Math.max(map.getZoom(), 4));
  };
  // Leaflet needs the container in the page, sized: after the form is shown.
  setTimeout(() => {
    map = baseMap(el);
    drawBasemap(map);
    map.setView([20, 10], 1);
    map.on("click", (e: L.LeafletMouseEvent) => {
      lat.value = e.latlng.lat.toFixed(5);
      lon.value = L.Util.wrapNum(e.latlng.lng, [-180, 180], true).toFixed(5);
      onPick();
      sync();
    });
    sync();
  }, 0);
  return { el, sync };
}

/** The place picker: type a name, pick a gazetteer place (GET /api/places), click the map, or
 * type lat/lon. */
function placePicker(ev: EventRecord): { el: HTMLElement; value: () => Record<string, unknown> | null } {
  const p = ev.place;
  const q = h("input", { type: "search", id: "rv-place-q", placeholder: "search the gazetteer, e.g. Kharkiv", autocomplete: "off" }) as HTMLInputElement;
  const hits = h("ul", { class: "place-hits", id: "rv-place-hits", role: "listbox" });
  const lat = h("input", { type: "number", id: "rv-lat", step: "any", min: -90, max: 90 }) as HTMLInputElement;
  const lon = h("input", { type: "number", id: "rv-lon", step: "any", min: -180, max: 180 }) as HTMLInputElement;
  const chosen = h("div", { class: "muted small", id: "rv-place-chosen" }, p ? `now: ${[p.name, p.admin1, p.country].filter(Boolean).join(", ")}` : "now: no place");
  let pick: PlaceHit | null = null;
  lat.value = p ? String(p.lat) : "";
  lon.value = p ? String(p.lon) : "";
  const start = { lat: lat.value, lon: lon.value };
  let timer = 0;
  q.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const text = q.value.trim();
      hits.replaceChildren();
      if (!text) return;
      try {
        const res = await getJSON<{ items: PlaceHit[] }>("/api/places", new URLSearchParams({ q: text, limit: "8" }));
        hits.replaceChildren(...res.items.map((hit) => h("li", {},
          h("button", { type: "button", class: "place-hit", onclick: () => {
            pick = hit;
            lat.value = String(hit.lat);
            lon.value = String(hit.lon);
            start.lat = ""; // a pick is a change even at the same point
            chosen.textContent = `picked: ${[hit.name, hit.admin1, hit.country].filter(Boolean).join(", ")}`;
            hits.replaceChildren();
            mini.sync();
          } }, `${hit.name}`, h("span", { class: "muted" }, ` ${[hit.admin1, hit.country].filter(Boolean).join(", ")} · ${hit.kind}`)))));
        if (!res.items.length) hits.append(h("li", { class: "muted small" }, "no place of that name in the gazetteer"));
      } catch (e) {
        hits.replaceChildren(h("li", { class: "muted small" }, (e as Error).message));
      }
    }, 200);
  });
  const value = (): Record<string, unknown> | null => {
    if (pick && String(pick.lat) === lat.value && String(pick.lon) === lon.value) {
      return { lat: pick.lat, lon: pick.lon, location: pick.name, country: pick.country ?? undefined, admin1: pick.admin1 ?? undefined };
    }
    if (lat.value === start.lat && lon.value === start.lon) return null;
    if (lat.value === "" || lon.value === "") return null;
    return { lat: Number(lat.value), lon: Number(lon.value) }; // typed or clicked on a map: a bare point
  };
  const mini = pointMap(lat, lon, () => {
    pick = null;
    chosen.textContent = "picked: a point on the map (no place name)";
  });
  for (const input of [lat, lon]) input.addEventListener("change", mini.sync);
  const el = h("fieldset", { class: "place-picker" }, h("legend", {}, "Place"), chosen, q, hits, mini.el,
    h("div", { class: "row" }, field("lat", lat), field("lon", lon)));
  return { el, value };
}

/** The edit form: only the fields changed are sent. */
function editForm(ev: EventRecord, opts: ReviewOptions, onDone: (msg: string) => void, onError: (e: Error) => void): HTMLElement {
  const type = h("select", { id: "rv-type" }, ...opts.plover_types.map((t) => h("option", { value: t }, t))) as HTMLSelectElement;
  type.value = ev.type;
  const sub = h("select", { id: "rv-acled" }, h("option", { value: "" }, "— none / unchanged —"),
    ...opts.acled.map((a) => h("option", { value: a.sub_event_type }, `${a.event_type} / ${a.sub_event_type}`))) as HTMLSelectElement;
  sub.value = ev.acled_sub_event_type ?? "";
  const actors = h("input", { type: "text", id: "rv-actors", autocomplete: "off" }) as HTMLInputElement;
  actors.value = names(ev.actors);
  const recipients = h("input", { type: "text", id: "rv-recipients", autocomplete: "off" }) as HTMLInputElement;
  recipients.value = names(ev.recipients);
  const date = h("input", { type: "date", id: "rv-date" }) as HTMLInputElement;
  date.value = (ev.date?.date_start ?? "").slice(0, 10);
  const fat = h("input", { type: "number", id: "rv-fatalities", min: 0, step: 1 }) as HTMLInputElement;
  const d0 = dead(ev);
  fat.value = d0 === null ? "" : String(d0);
  const note = h("input", { type: "text", id: "rv-note", placeholder: "why (optional)", maxlength: 2000 }) as HTMLInputElement;
  const place = placePicker(ev);
  const save = h("button", { type: "submit", id: "rv-save", class: "primary" }, "Save correction");
  const form = h("form", { class: "review-edit", id: "review-edit" },
    field("Type (PLOVER)", type), field("ACLED type", sub),
    field("Actors", actors, "names separated by ;"), field("Recipients", recipients, "names separated by ;"),
    place.el, h("div", { class: "row" }, field("Date", date), field("Fatalities", fat)), field("Note", note), save) as HTMLFormElement;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const fields: Record<string, unknown> = {};
    if (type.value !== ev.type) fields.type = type.value;
    if (sub.value && sub.value !== (ev.acled_sub_event_type ?? "")) fields.acled_sub_event_type = sub.value;
    if (actors.value.trim() !== names(ev.actors)) fields.actors = parseActors(actors.value);
    if (recipients.value.trim() !== names(ev.recipients)) fields.recipients = parseActors(recipients.value);
    if (date.value && date.value !== (ev.date?.date_start ?? "").slice(0, 10)) fields.date_start = date.value;
    if (fat.value !== "" && Number(fat.value) !== d0) fields.fatalities = Number.parseInt(fat.value, 10);
    const pl = place.value();
    if (pl) Object.assign(fields, Object.fromEntries(Object.entries(pl).filter(([, v]) => v !== undefined && v !== null)));
    if (!Object.keys(fields).length) {
      onError(new Error("Nothing changed: edit a field first, or use Accept."));
      return;
    }
    save.setAttribute("disabled", "");
    try {
      await postJSON(`/api/events/${encodeURIComponent(ev.id)}/review`, { action: "edit", fields, note: note.value.trim() || undefined });
      onDone(`Saved: ${Object.keys(fields).join(", ")}`);
    } catch (err) {
      onError(err as Error);
    } finally {
      save.removeAttribute("disabled");
    }
  });
  return form;
}

function historyList(items: HistoryItem[]): HTMLElement {
  const show = (o: Record<string, unknown> | null | undefined) =>
    Object.entries(o ?? {}).filter(([k]) => k !== "status").map(([k, v]) => `${k}: ${shown(v)}`).join("; ");
  return h("ol", { class: "review-history", id: "review-history" }, ...items.map((it) =>
    h("li", {}, h("strong", {}, it.action), ` by ${it.reviewer}, ${it.created_at.slice(0, 16).replace("T", " ")}`,
      show(it.after) ? h("div", { class: "muted small" }, `${show(it.before) || "—"} → ${show(it.after)}`) : null,
      it.note ? h("div", { class: "small" }, `“${it.note}”`) : null)));
}

/** A value of a review record as a reader wants it: names of actors, "—" for none. */
function shown(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.map((a) => (a && typeof a === "object" && "text" in a ? String((a as { text: unknown }).text) : shown(a))).join("; ") || "—";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** The review panel of one event: state, accept / reject / edit / clear, its history. */
export function reviewPanel(ev: EventRecord & { review?: ReviewState | null; machine?: Record<string, unknown> }, onChanged: () => void): HTMLElement {
  const box = h("section", { class: "review-panel", id: "review-panel" });
  const msg = h("div", { class: "review-msg", role: "status", id: "review-msg" });
  const fail = (e: Error) => {
    const auth = e instanceof ApiError && (e.status === 401 || e.status === 403);
    msg.replaceChildren(notice("error", auth ? "The server refused the token." : "Not saved.", e.message));
  };
  const act = async (action: "accept" | "reject" | "clear") => {
    try {
      await postJSON(`/api/events/${encodeURIComponent(ev.id)}/review`, { action });
      onChanged();
    } catch (e) { fail(e as Error); }
  };
  const draw = async () => {
    box.replaceChildren(h("h3", {}, "Review"), notice("loading", "Loading…"));
    let opts: ReviewOptions;
    let hist: HistoryItem[] = [];
    try {
      [opts, hist] = await Promise.all([reviewOptions(),
        getJSON<{ items: HistoryItem[] }>(`/api/events/${encodeURIComponent(ev.id)}/reviews`).then((r) => r.items)]);
    } catch (e) {
      box.replaceChildren(h("h3", {}, "Review"), notice("error", "Reviews are not available.", (e as Error).message));
      return;
    }
    const state = ev.review
      ? h("p", { class: "review-state" }, reviewBadge(ev.review), ` by ${ev.review.reviewer ?? "?"}`,
        ev.machine && Object.keys(ev.machine).length
          ? h("span", { class: "muted small", id: "review-machine" }, ` · machine said ${Object.entries(ev.machine).map(([k, v]) => `${k}: ${shown(v)}`).join("; ")}`)
          : null)
      : h("p", { class: "review-state muted" }, "Not reviewed yet: the values above are the machine's.");
    if (!opts.writes) {
      box.replaceChildren(h("h3", {}, "Review"), state,
        notice("empty", "Reviews are off on this server.", "Start it with EVENTWIRE_TOKEN (or EVENTWIRE_REVIEWERS) set to review events."));
      return;
    }
    const edit = h("div", { class: "review-edit-box" });
    const buttons = h("div", { class: "review-actions" },
      h("button", { type: "button", id: "rv-accept", onclick: () => act("accept") }, "✓ Accept"),
      h("button", { type: "button", id: "rv-reject", onclick: () => act("reject") }, "✗ Reject"),
      h("button", { type: "button", id: "rv-edit", onclick: () => {
        edit.replaceChildren(editForm(ev, opts, () => onChanged(), fail));
      } }, "✎ Edit…"),
      ev.review ? h("button", { type: "button", class: "link", id: "rv-clear", onclick: () => act("clear") }, "back to the machine's reading") : null);
    box.replaceChildren(h("h3", {}, "Review"), state, tokenBox(() => { void draw(); }), buttons, msg, edit);
    if (hist.length) box.append(h("details", { class: "review-history-box" }, h("summary", {}, `History (${hist.length})`), historyList(hist)));
  };
  void draw();
  return box;
}

/** The article's "out of scope" switch. */
export function scopeControl(articleId: string, state: { out_of_scope: boolean; reviewer?: string } | null, onChanged: () => void): HTMLElement {
  const oos = !!state?.out_of_scope;
  const msg = h("span", { class: "small", role: "status" });
  const btn = h("button", { type: "button", id: "article-scope", class: oos ? "scope-out" : "", onclick: async () => {
    try {
      await postJSON(`/api/articles/${encodeURIComponent(articleId)}/review`, { out_of_scope: !oos });
      onChanged();
    } catch (e) {
      msg.textContent = ` ${(e as Error).message}`;
    }
  } }, oos ? "Out of scope — put back in scope" : "Mark article out of scope");
  return h("div", { class: "scope-control" },
    oos ? h("span", { class: "review-badge review-rejected" }, `out of scope (${state?.reviewer ?? "?"})`) : null, " ", btn, msg);
}
