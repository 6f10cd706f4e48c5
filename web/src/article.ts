// The article view: the clean article with the selected event's evidence highlighted, one
// colour per field; captions shown as captions. Offsets: evidence where="body" indexes
// article.body, "title" the title, "caption:N" captions[N].text.
import { getJSON, type ArticleRecord, type EventRecord } from "./api";
import { fieldClass, LEGEND, typeColor } from "./colors";
import { h, notice } from "./dom";
import { reviewBadge, reviewPanel, scopeControl } from "./review";

export interface Span {
  start: number;
  end: number;
  cls: string;
  label: string;
}

export interface Segment {
  text: string;
  start: number;
  spans: Span[];
}

/** Cut ``text[from:to]`` at every span boundary; each piece knows the spans covering it. */
export function segments(text: string, spans: Span[], from = 0, to = text.length): Segment[] {
  const inside = spans
    .map((s) => ({ ...s, start: Math.max(s.start, from), end: Math.min(s.end, to) }))
    .filter((s) => s.end > s.start);
  const cuts = new Set<number>([from, to]);
  for (const s of inside) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    const covering = inside.filter((s) => s.start <= a && s.end >= b);
    out.push({ text: text.slice(a, b), start: a, spans: covering });
  }
  return out;
}

/** Render a text range with highlights; the shortest covering span decides the colour. */
function renderText(text: string, spans: Span[], from = 0, to = text.length): Node[] {
  return segments(text, spans, from, to).map((seg) => {
    const marks = seg.spans.filter((s) => s.cls !== "in-sentence");
    if (!marks.length) {
      return seg.spans.length ? h("span", { class: "in-sentence" }, seg.text) : document.createTextNode(seg.text);
    }
    const best = [...marks].sort((x, y) => x.end - x.start - (y.end - y.start))[0];
    const labels = [...new Set(marks.map((s) => s.label))].join(", ");
    return h("mark", { class: `hl ${best.cls}`, title: labels, "data-field": labels }, seg.text);
  });
}

function spansFor(ev: EventRecord | undefined, where: string): Span[] {
  if (!ev) return [];
  const out: Span[] = [];
  for (const e of ev.evidence ?? []) {
    if ((e.where ?? "body") !== where) continue;
    const [cls, label] = fieldClass(e.field);
    out.push({ start: e.start, end: e.end, cls, label: `${label} (${e.field})` });
  }
  if (where === "body" && ev.sentence && !ev.in_caption) {
    out.push({ start: ev.sentence[0], end: ev.sentence[1], cls: "in-sentence", label: "sentence" });
  }
  return out;
}

function actorList(actors: EventRecord["actors"]): Node {
  if (!actors.length) return document.createTextNode("—");
  const box = h("span", {});
  actors.forEach((a, i) => {
    if (i) box.append("; ");
    box.append(a.entity_id
      ? h("a", { href: `#/actor/${encodeURIComponent(a.entity_id)}` }, a.text)
      : h("span", {}, a.text));
    const extra = [a.country, a.sector].filter(Boolean).join(" · ");
    if (extra) box.append(h("span", { class: "muted" }, ` (${extra})`));
  });
  return box;
}

function details(ev: EventRecord): HTMLElement {
  const rows: [string, Node | string | null][] = [];
  const flags = Object.entries(ev.flags ?? {}).filter(([, v]) => v).map(([k]) => k);
  rows.push(["Type", [ev.type, ev.mode, ev.context].filter(Boolean).join(" · ")]);
  if (ev.acled_event_type) rows.push(["ACLED", [ev.acled_event_type, ev.acled_sub_event_type].filter(Boolean).join(" / ")]);
  if (ev.cameo) rows.push(["CAMEO", ev.cameo]);
  rows.push(["Actor", actorList(ev.actors ?? [])]);
  rows.push(["Recipient", actorList(ev.recipients ?? [])]);
  if (ev.place) {
    const p = ev.place;
    rows.push(["Place", `${[p.name, p.admin1, p.country].filter(Boolean).join(", ")} (${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}; precision ${p.precision ?? "?"}${p.how ? `, ${p.how}` : ""}${p.resolved ? `; ${p.resolved}` : ""})`]);
  }
  if (ev.date) {
    const d = ev.date;
    rows.push(["Date", `${d.date_start ?? "?"}${d.date_end && d.date_end !== d.date_start ? ` – ${d.date_end}` : ""} (${d.precision ?? "?"}${d.source ? `, from ${d.source}` : ""}${d.anchor === "ingest" ? ", read against the ingest date: no publication date" : d.anchor === "story" ? ", read against the latest day the article names: no publication date" : ""})`]);
  }
  for (const q of ev.quantities ?? []) {
    rows.push(["Quantity", `${q.text} → ${q.value.toLocaleString("en")}${q.currency ? ` ${q.currency}` : ""}${q.kind ? ` (${q.kind})` : ""}`]);
  }
  if (ev.claim) {
    rows.push(["Claim", [ev.claim.source_text, ev.claim.verb].filter(Boolean).join(" ") + ` — ${ev.claim.certainty ?? "asserted"}`]);
  }
  if (flags.length) rows.push(["Flags", flags.join(", ")]);
  if (ev.procurement) {
    const pr = ev.procurement;
    const parts = Object.entries(pr)
      .filter(([k, v]) => v !== null && v !== undefined && !(Array.isArray(v) && !v.length) && !k.endsWith("_entity_id"))
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.map((m) => `${(m as { amount: number }).amount.toLocaleString("en")} ${(m as { currency: string }).currency}`).join(", ") : String(v)}`);
    rows.push(["Procurement", parts.join("; ")]);
  }
  if (ev.confidence !== null && ev.confidence !== undefined) rows.push(["Confidence", ev.confidence.toFixed(2)]);
  const dl = h("dl", { class: "details" });
  for (const [k, v] of rows) dl.append(h("dt", {}, k), h("dd", {}, v ?? "—"));
  return dl;
}

export async function renderArticle(root: HTMLElement, articleId: string, eventId: string | null): Promise<void> {
  root.replaceChildren(notice("loading", "Loading the article…"));
  let art: ArticleRecord;
  try {
    art = await getJSON<ArticleRecord>(`/api/articles/${encodeURIComponent(articleId)}`);
  } catch (e) {
    root.replaceChildren(notice("error", "Could not load this article.", (e as Error).message, " ",
      h("a", { href: "#/" }, "Back to the events")));
    return;
  }
  const events = art.events ?? [];
  let selected = events.find((e) => e.id === eventId) ?? events[0];
  // After a review: load the article again (the API shows the reviewed values), same event.
  const reload = () => { void renderArticle(root, art.id, selected?.id ?? null); };

  const textCol = h("article", { class: "article-text" });
  const side = h("aside", { class: "article-side" });

  const draw = () => {
    textCol.replaceChildren();
    const back = h("a", { href: "#/", class: "back" }, "← Events");
    textCol.append(back);
    const title = art.title ?? "(untitled)";
    textCol.append(h("h1", { class: "article-title" }, ...renderText(title, spansFor(selected, "title"))));
    const url = art.url && /^https?:\/\//i.test(art.url) ? h("a", { href: art.url, rel: "noopener noreferrer", target: "_blank" }, "original") : null;
    textCol.append(h("p", { class: "meta" },
      [art.publisher, art.byline, art.published_at].filter(Boolean).join(" · ") || "no publication details",
      " · ", h("span", { class: "muted" }, art.source), url ? " · " : null, url,
      art.copies && art.copies.length ? ` · ${art.copies.length} ${art.copies.length === 1 ? "copy" : "copies"} elsewhere` : null,
      art.duplicate_of ? " · " : null,
      art.duplicate_of ? h("a", { href: `#/article/${encodeURIComponent(art.duplicate_of)}` }, "copy of an earlier article") : null));
    textCol.append(scopeControl(art.id, art.review ?? null, reload));
    art.captions.forEach((c, i) => {
      textCol.append(h("figure", { class: "caption" },
        h("figcaption", {}, ...renderText(c.text, spansFor(selected, `caption:${i}`))),
        c.credit ? h("small", { class: "credit" }, c.credit) : null));
    });
    const bodySpans = spansFor(selected, "body");
    const paras = art.paragraphs.length ? art.paragraphs : [[0, art.body.length] as [number, number]];
    for (const [a, b] of paras) textCol.append(h("p", { class: "para" }, ...renderText(art.body, bodySpans, a, b)));

    side.replaceChildren();
    side.append(h("h2", {}, `Events in this article (${events.length})`));
    if (!events.length) {
      side.append(notice("empty", "No events were coded in this article.",
        "The text is stored and searchable; re-run `eventwire ingest` after updating the coder to code it again."));
    }
    const list = h("ol", { class: "event-list" });
    for (const ev of events) {
      const chip = h("span", { class: "chip" }, ev.type);
      chip.style.background = typeColor(ev.type);
      const sentence = ev.summary ?? art.body.slice(ev.sentence[0], ev.sentence[1]);
      const item = h("li", { class: ev === selected ? "event-item selected" : "event-item", "data-event-id": ev.id },
        h("button", { type: "button", onclick: () => { selected = ev; history.replaceState(null, "", `${location.pathname}${location.search}#/article/${encodeURIComponent(art.id)}/${encodeURIComponent(ev.id)}`); draw(); } },
          chip, " ", reviewBadge(ev.review), ev.review ? " " : null,
          h("span", {}, sentence.length > 140 ? `${sentence.slice(0, 140)}…` : sentence)));
      list.append(item);
    }
    side.append(list);
    if (selected) {
      side.append(h("h3", {}, "Selected event"), details(selected), reviewPanel(selected, reload));
      const legend = h("ul", { class: "legend", "aria-label": "Highlight colours" });
      for (const [cls, label] of LEGEND) legend.append(h("li", {}, h("mark", { class: `hl ${cls}` }, label)));
      side.append(h("h3", {}, "Evidence colours"), legend);
    }
  };
  draw();
  root.replaceChildren(h("div", { class: "article-view" }, textCol, side));
  document.title = `${art.title ?? "Article"} — eventwire`;
}
