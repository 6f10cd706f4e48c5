// The filter state lives in the page URL's query string, so every view is a shareable link;
// the view (events, article, actor) lives in the fragment.

export const FLAGS = ["negated", "future", "hypothetical", "historical"] as const;
export type Flag = (typeof FLAGS)[number];

export interface Filters {
  type: string[];
  acled_type: string[];
  actor: string;
  country: string[];
  date_from: string;
  date_to: string;
  certainty: string[];
  flags: Partial<Record<Flag, "true" | "false">>;
  q: string;
  /** Confidence floor "0".."1"; "" = not in the URL, the server's default applies. */
  min_confidence: string;
  /** Reviews: "only" reviewed events, "exclude" them, "" every event. */
  reviewed: string;
  /** Rejected / out-of-scope events: "" hidden (the API's default), "include", "only". */
  rejected: string;
  sort: string;
  offset: number;
  limit: number;
}

export const PAGE_SIZE = 25;

function list(p: URLSearchParams, key: string, upper = false): string[] {
  return p.getAll(key).flatMap((v) => v.split(",")).map((v) => (upper ? v.trim().toUpperCase() : v.trim())).filter(Boolean);
}

export function readFilters(search = window.location.search): Filters {
  const p = new URLSearchParams(search);
  const flags: Filters["flags"] = {};
  for (const f of FLAGS) {
    const v = p.get(f);
    if (v === "true" || v === "false") flags[f] = v;
  }
  const offset = Number.parseInt(p.get("offset") ?? "0", 10);
  const conf = p.get("min_confidence") ?? "";
  const confNum = Number(conf);
  return {
    type: list(p, "type", true),
    acled_type: list(p, "acled_type"),
    actor: p.get("actor") ?? "",
    country: list(p, "country"), // codes or names, as typed; the API normalises them
    date_from: p.get("date_from") ?? "",
    date_to: p.get("date_to") ?? "",
    certainty: list(p, "certainty"),
    flags,
    q: p.get("q") ?? "",
    min_confidence: conf !== "" && Number.isFinite(confNum) && confNum >= 0 && confNum <= 1 ? String(confNum) : "",
    reviewed: ["only", "exclude"].includes(p.get("reviewed") ?? "") ? (p.get("reviewed") as string) : "",
    rejected: ["include", "only"].includes(p.get("rejected") ?? "") ? (p.get("rejected") as string) : "",
    sort: p.get("sort") ?? "-date",
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    limit: PAGE_SIZE,
  };
}

/** API query parameters for a filter; ``dates=false`` leaves the date range out (timeline). */
export function filterParams(f: Filters, opts: { dates?: boolean; page?: boolean } = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (f.type.length) p.set("type", f.type.join(","));
  if (f.acled_type.length) p.set("acled_type", f.acled_type.join(","));
  if (f.actor) p.set("actor", f.actor);
  if (f.country.length) p.set("country", f.country.join(","));
  if (opts.dates !== false) {
    if (f.date_from) p.set("date_from", f.date_from);
    if (f.date_to) p.set("date_to", f.date_to);
  }
  if (f.certainty.length) p.set("certainty", f.certainty.join(","));
  for (const [k, v] of Object.entries(f.flags)) if (v) p.set(k, v);
  if (f.q) p.set("q", f.q);
  if (f.min_confidence !== "") p.set("min_confidence", f.min_confidence);
  if (f.reviewed) p.set("reviewed", f.reviewed);
  if (f.rejected) p.set("rejected", f.rejected);
  if (opts.page) {
    if (f.sort !== "-date") p.set("sort", f.sort);
    if (f.offset) p.set("offset", String(f.offset));
  }
  return p;
}

export function hasFilters(f: Filters): boolean {
  return [...filterParams(f).keys()].length > 0;
}

type Listener = (f: Filters) => void;
const listeners: Listener[] = [];

export function onFilters(fn: Listener): void {
  listeners.push(fn);
}

/** Change the filters: the URL is updated (a history entry) and every view re-renders. */
export function setFilters(patch: Partial<Filters>, opts: { keepOffset?: boolean } = {}): void {
  const f = { ...readFilters(), ...patch };
  if (!opts.keepOffset && !("offset" in patch)) f.offset = 0;
  const qs = filterParams(f, { page: true }).toString();
  const url = `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`;
  window.history.pushState(null, "", url);
  emit();
}

export function emit(): void {
  const f = readFilters();
  for (const fn of listeners) fn(f);
}
