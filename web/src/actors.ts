// Actor views: the list of knowledge-base actors and one actor with aliases, kind, country,
// relations (backed by, subsidiary of, …) and their events.
import { getJSON, type Entity, type EventRecord } from "./api";
import { typeColor } from "./colors";
import { code, h, notice } from "./dom";

interface ActorPage {
  total: number;
  items: Entity[];
  unresolved: { text: string; events: number }[];
}

function eventList(events: EventRecord[], open: (a: string, e: string) => void): HTMLElement {
  const ul = h("ul", { class: "actor-events" });
  for (const ev of events) {
    const chip = h("span", { class: "chip" }, ev.type);
    chip.style.background = typeColor(ev.type);
    const s = ev.summary ?? ev.article?.title ?? ev.article_id;
    ul.append(h("li", {}, chip, " ", h("span", { class: "muted" }, ev.date?.date_start ?? "undated"), " ",
      h("a", { href: `#/article/${encodeURIComponent(ev.article_id)}/${encodeURIComponent(ev.id)}`,
               onclick: (e: Event) => { e.preventDefault(); open(ev.article_id, ev.id); } },
        s.length > 160 ? `${s.slice(0, 160)}…` : s)));
  }
  return ul;
}

export async function renderActors(root: HTMLElement, q: string): Promise<void> {
  const input = h("input", { type: "search", id: "actor-q", placeholder: "Find an actor by name, alias or id…" }) as HTMLInputElement;
  input.value = q;
  const results = h("div", {}, notice("loading", "Loading actors…"));
  const form = h("form", { class: "actor-search" }, input);
  form.addEventListener("submit", (e) => { e.preventDefault(); location.hash = `#/actors/${encodeURIComponent(input.value.trim())}`; });
  root.replaceChildren(h("div", { class: "page" }, h("h1", {}, "Actors"), form, results));
  let page: ActorPage;
  try {
    page = await getJSON<ActorPage>("/api/actors", new URLSearchParams(q ? { q, limit: "200" } : { limit: "200" }));
  } catch (e) {
    results.replaceChildren(notice("error", "Could not load actors.", (e as Error).message));
    return;
  }
  if (!page.items.length && !page.unresolved.length) {
    results.replaceChildren(q
      ? notice("empty", `No actor matches “${q}”.`, "Try part of a name or an alias.")
      : notice("empty", "No actors yet.", "The knowledge base is loaded into the store at ingest: run ", code("eventwire ingest …"), "."));
    return;
  }
  const table = h("table", { class: "events actors" },
    h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Kind"), h("th", {}, "Country"), h("th", {}, "Aliases"), h("th", { class: "num" }, "Events"))));
  const body = h("tbody", {});
  for (const a of page.items) {
    body.append(h("tr", {},
      h("td", {}, h("a", { href: `#/actor/${encodeURIComponent(a.id)}` }, a.name)),
      h("td", {}, a.kind), h("td", {}, a.country ?? "—"),
      h("td", { class: "muted" }, a.aliases.slice(0, 4).join(", ")),
      h("td", { class: "num" }, String(a.events))));
  }
  table.append(body);
  const parts: Node[] = [h("p", { class: "muted" }, `${page.total} actor${page.total === 1 ? "" : "s"} in the knowledge base`), table];
  if (page.unresolved.length) {
    parts.push(h("h2", {}, "Actors seen in events but not in the knowledge base"));
    parts.push(h("ul", { class: "unresolved" }, ...page.unresolved.map((u) =>
      h("li", {}, h("a", { href: `?actor=${encodeURIComponent(u.text)}#/` }, u.text), h("span", { class: "muted" }, ` ${u.events}`)))));
  }
  results.replaceChildren(...parts);
}

export async function renderActor(root: HTMLElement, id: string, open: (a: string, e: string) => void): Promise<void> {
  root.replaceChildren(notice("loading", "Loading the actor…"));
  let a: Entity;
  try {
    a = await getJSON<Entity>(`/api/actors/${encodeURIComponent(id)}`);
  } catch (e) {
    root.replaceChildren(h("div", { class: "page" }, notice("error", "Could not load this actor.", (e as Error).message, " ",
      h("a", { href: "#/actors" }, "See all actors"))));
    return;
  }
  const rels = h("ul", { class: "relations" });
  for (const r of a.relations) {
    const other = r.entity;
    const verb = r.direction === "in" ? `${r.type.replace(/_/g, " ")} ← ` : `${r.type.replace(/_/g, " ")} → `;
    rels.append(h("li", {}, h("span", { class: "rel-type" }, verb),
      h("a", { href: `#/actor/${encodeURIComponent(other?.id ?? r.target)}` }, other?.name ?? r.target),
      h("span", { class: "muted" }, ` ${[other?.kind, other?.country].filter(Boolean).join(", ")} · ${other?.events ?? 0} events`),
      r.valid_from || r.valid_to ? h("span", { class: "muted" }, ` (${r.valid_from ?? "…"} – ${r.valid_to ?? "…"})`) : null));
  }
  const related: Node[] = [];
  for (const [rid, evs] of Object.entries(a.related_events ?? {})) {
    if (rid === a.id || !evs.length) continue;
    const name = a.relations.find((r) => r.entity?.id === rid)?.entity?.name ?? rid;
    related.push(h("h3", {}, `Events of ${name}`), eventList(evs, open));
  }
  root.replaceChildren(h("div", { class: "page actor-page" },
    h("a", { href: "#/actors", class: "back" }, "← Actors"),
    h("h1", {}, a.name),
    h("dl", { class: "details" },
      h("dt", {}, "Id"), h("dd", {}, code(a.id)),
      h("dt", {}, "Kind"), h("dd", {}, a.kind),
      h("dt", {}, "Country"), h("dd", {}, a.country ?? "—"),
      h("dt", {}, "Sector"), h("dd", {}, a.sector ?? "—"),
      h("dt", {}, "Aliases"), h("dd", {}, a.aliases.join(", ") || "—"),
      a.description ? h("dt", {}, "About") : null, a.description ? h("dd", {}, a.description) : null),
    h("h2", {}, "Relations"), a.relations.length ? rels : h("p", { class: "muted" }, "No known relations."),
    h("h2", {}, `Events (${a.events})`),
    a.recent_events?.length ? eventList(a.recent_events, open) : h("p", { class: "muted" }, "No stored event names this actor yet."),
    h("p", {}, h("a", { href: `?actor=${encodeURIComponent(a.id)}#/` }, "Show these events on the map")),
    ...related));
  document.title = `${a.name} — eventwire`;
}
