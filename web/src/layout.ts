// Narrow windows (phones): the filter sidebar folds into one "Filters" bar above the map, which
// says how many filters are set and opens the form in place. Wide windows never see the bar.
import { h } from "./dom";
import { filterParams, onFilters, readFilters, type Filters } from "./state";

export function foldingSidebar(aside: HTMLElement): void {
  const count = h("span", { class: "filters-count" });
  const btn = h("button", { type: "button", class: "filters-toggle", id: "filters-toggle", "aria-expanded": "false", "aria-controls": "filters" },
    h("span", { class: "filters-toggle-label" }, "Filters"), count);
  btn.addEventListener("click", () => {
    const open = aside.classList.toggle("open");
    btn.setAttribute("aria-expanded", String(open));
  });
  aside.classList.add("folding");
  aside.prepend(btn);
  const update = (f: Filters) => {
    const n = [...filterParams(f).keys()].length;
    count.textContent = n ? `${n} set` : "none set";
  };
  onFilters(update);
  update(readFilters());
}
