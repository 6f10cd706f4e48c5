// Events per day, week or month as bars; brushing a range sets the date filter, which the map
// and the table follow. The timeline itself ignores the date filter so the brush stays in context.
import { axisBottom, axisLeft } from "d3-axis";
import { brushX, type D3BrushEvent } from "d3-brush";
import { scaleLinear, scaleUtc } from "d3-scale";
import { select } from "d3-selection";
import { utcDay, utcMonth, utcWeek } from "d3-time";
import { utcFormat } from "d3-time-format";

const iso = utcFormat("%Y-%m-%d");
const STEP = { day: utcDay, week: utcWeek, month: utcMonth } as const;
export type Bucket = keyof typeof STEP;

function parse(d: string): Date {
  return new Date(`${d}T00:00:00Z`);
}

export class Timeline {
  private svg: SVGSVGElement;
  private silent = false;

  constructor(private el: HTMLElement, private onRange: (from: string, to: string) => void) {
    this.svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.svg.setAttribute("class", "timeline-svg");
    this.svg.setAttribute("role", "img");
    this.svg.setAttribute("aria-label", "Events over time; drag to select a date range");
    el.appendChild(this.svg);
  }

  render(points: { t: string; n: number }[], bucket: Bucket, from: string, to: string): void {
    const width = Math.max(this.el.clientWidth, 320);
    const height = 120;
    const m = { top: 8, right: 12, bottom: 22, left: 34 };
    const svg = select(this.svg).attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    svg.selectAll("*").remove();
    if (!points.length) return;
    const step = STEP[bucket];
    const t0 = step.floor(parse(points[0].t));
    const t1 = step.offset(step.floor(parse(points[points.length - 1].t)), 1);
    const x = scaleUtc().domain([t0, t1]).range([m.left, width - m.right]);
    const maxN = Math.max(...points.map((p) => p.n));
    const y = scaleLinear().domain([0, maxN]).nice().range([height - m.bottom, m.top]);
    svg.append("g").attr("transform", `translate(0,${height - m.bottom})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickSizeOuter(0));
    svg.append("g").attr("transform", `translate(${m.left},0)`).call(axisLeft(y).ticks(Math.min(3, maxN)).tickSizeOuter(0));
    svg.append("g").attr("class", "bars").selectAll("rect").data(points).join("rect")
      .attr("x", (d) => x(parse(d.t)) + 0.5)
      .attr("width", (d) => Math.max(2, x(step.offset(parse(d.t), 1)) - x(parse(d.t)) - 1))
      .attr("y", (d) => y(d.n))
      .attr("height", (d) => y(0) - y(d.n))
      .append("title").text((d) => `${d.t}: ${d.n} event${d.n === 1 ? "" : "s"}`);
    const brush = brushX<unknown>()
      .extent([[m.left, m.top], [width - m.right, height - m.bottom]])
      .on("end", (ev: D3BrushEvent<unknown>) => {
        if (this.silent || !ev.sourceEvent) return;
        if (!ev.selection) {
          this.onRange("", "");
          return;
        }
        const [a, b] = ev.selection as [number, number];
        const d0 = utcDay.floor(x.invert(a));
        const d1 = utcDay.offset(utcDay.ceil(x.invert(b)), -1);
        this.onRange(iso(d0), iso(d1 < d0 ? d0 : d1));
      });
    const g = svg.append("g").attr("class", "brush").call(brush);
    if (from || to) {
      const a = from ? x(parse(from)) : m.left;
      const b = to ? x(utcDay.offset(parse(to), 1)) : width - m.right;
      this.silent = true;
      g.call(brush.move, [Math.max(m.left, a), Math.min(width - m.right, Math.max(a + 1, b))]);
      this.silent = false;
    }
  }
}
