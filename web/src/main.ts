// Entry point: loads /api/config, then routes on the URL fragment:
//   #/                      events (map, timeline, filters, table); filters in the query string
//   #/article/ID[/EVENT]    one article with the event's evidence highlighted
//   #/actors[/QUERY]        actor list;  #/actor/ID  one actor
//   #/dashboard             counts for the filters in the query string (dashboard.ts)
import "./style.css";
import { getJSON, type Config } from "./api";
import { renderActor, renderActors } from "./actors";
import { renderArticle } from "./article";
import { DashboardView } from "./dashboard";
import { h, notice } from "./dom";
import { EventsView } from "./events";
import { emit, onFilters, readFilters, setFilters } from "./state";

const app = document.getElementById("app") as HTMLElement;

function openArticle(articleId: string, eventId: string): void {
  location.hash = `#/article/${encodeURIComponent(articleId)}/${encodeURIComponent(eventId)}`;
}

async function boot(): Promise<void> {
  app.replaceChildren(notice("loading", "Connecting to the eventwire server…"));
  let config: Config;
  try {
    config = await getJSON<Config>("/api/config");
  } catch (e) {
    app.replaceChildren(notice("error", "The eventwire API is not answering.", (e as Error).message,
      " Start it with ", h("code", {}, "eventwire serve"), " and reload."));
    return;
  }
  const events = new EventsView(config, openArticle);
  const other = h("div", { class: "other-view" });
  let onEvents = false;
  let dashboard: DashboardView | null = null;
  let onDashboard = false;

  const route = () => {
    const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
    for (const a of document.querySelectorAll<HTMLAnchorElement>("[data-nav]")) {
      const here = parts[0].startsWith("actor") ? "actors" : parts[0] === "dashboard" ? "dashboard" : "events";
      a.classList.toggle("active", a.dataset.nav === here);
    }
    onDashboard = parts[0] === "dashboard";
    if (onDashboard) {
      onEvents = false;
      dashboard ??= new DashboardView();
      other.replaceChildren(dashboard.el);
      app.replaceChildren(other);
      dashboard.mounted();
      void dashboard.refresh(readFilters());
      return;
    }
    if (parts[0] === "article" && parts[1]) {
      onEvents = false;
      app.replaceChildren(other);
      void renderArticle(other, parts[1], parts[2] ?? null);
    } else if (parts[0] === "actors") {
      onEvents = false;
      app.replaceChildren(other);
      void renderActors(other, parts[1] ?? "");
    } else if (parts[0] === "actor" && parts[1]) {
      onEvents = false;
      app.replaceChildren(other);
      void renderActor(other, parts.slice(1).join("/"), openArticle);
    } else {
      document.title = "eventwire";
      const fresh = !onEvents;
      onEvents = true;
      if (fresh) {
        app.replaceChildren(events.el);
        events.mounted();
        void events.refresh(readFilters());
      }
    }
  };
  onFilters((f) => { if (onEvents) void events.refresh(f); else if (onDashboard) void dashboard?.refresh(f); });
  window.addEventListener("hashchange", route);
  window.addEventListener("popstate", () => { if (onEvents || onDashboard) emit(); });

  const q = document.getElementById("q") as HTMLInputElement;
  q.value = readFilters().q;
  document.getElementById("search-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    setFilters({ q: q.value.trim() });
    if (!onEvents && !onDashboard) location.hash = "#/";
  });
  route();
}

void boot();
