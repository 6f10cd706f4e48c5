// Building DOM from untrusted data: text only ever goes through textContent / text nodes.
// No innerHTML anywhere in this UI.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

const SAFE_URL = /^(https?:|\/|#|\?)/i;

/** A safe href: http(s), same-site paths, fragments and queries only (never javascript:). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) && !trimmed.startsWith("//") ? trimmed : null;
}

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === "function") {
      el.addEventListener(k.replace(/^on/, ""), v);
    } else if (k === "class") {
      el.className = String(v);
    } else if (k === "href") {
      const href = safeHref(String(v));
      if (href) el.setAttribute("href", href);
    } else if (k.startsWith("on")) {
      throw new Error(`refusing inline handler attribute ${k}`);
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** A message box for empty, loading and error states: what happened and what to do. */
export function notice(kind: "empty" | "loading" | "error", title: string, ...what: Child[]): HTMLElement {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
    h("strong", {}, title), what.length ? h("div", {}, ...what) : null);
}

export function code(text: string): HTMLElement {
  return h("code", {}, text);
}
