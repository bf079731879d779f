// The reader: routes (real URLs, the API's `url` of each article and category),
// navigation with the History API, the site's header and counter, and counting.

import * as api from "./api.js";
import { h, odometer, setTimeZone } from "./dom.js";
import * as views from "./views.js";

/** @typedef {import("./views.js").Page} Page */

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const description = /** @type {HTMLMetaElement} */ (document.querySelector('meta[name="description"]'));
const defaultDescription = description.content;
let siteName = document.title;

/** Paths that belong to the server, never to the reader. */
const SERVER = /^\/(admin|api|media|static|documents|healthz|readyz)(\/|$)/;

/** @param {URLSearchParams} query */
function pageOf(query) {
  const n = Number(query.get("page") || "1");
  return Number.isInteger(n) && n >= 1 ? n : 0;
}

/**
 * The page for a URL.
 * @param {URL} url
 * @param {AbortSignal} signal
 * @returns {Promise<Page & {canonical?: string}>}
 */
function route(url, signal) {
  const path = url.pathname;
  const query = url.searchParams;
  const page = pageOf(query);
  /** @type {RegExpMatchArray | null} */
  let m;
  if (!page) return Promise.resolve(views.notFound());
  if (path === "/") return views.home(signal);
  if (path === "/preview" || path === "/preview/") return views.previewPage(query.get("token") || "", signal);
  if (path === views.SEARCH_PATH) return views.searchPage(query.get("q") || "", page, signal);
  if ((m = path.match(/^\/the\/([^/]+)\/$/))) return views.tagPage(decodeURIComponent(m[1]), page, signal);
  if ((m = path.match(/^\/([\w-]+)\/$/))) return views.categoryPage(m[1], page, signal);
  if ((m = path.match(/^\/([\w-]+)\/([\w-]+)\/$/))) return views.articlePage(m[2], m[1], signal);
  return Promise.resolve(views.notFound());
}

/** @type {AbortController | null} */
let current = null;

/**
 * Show the page for the current location.
 * @param {{focus?: boolean, scroll?: number}} [how]
 */
async function render({ focus = false, scroll = 0 } = {}) {
  current?.abort();
  const controller = (current = new AbortController());
  const url = new URL(location.href);
  main.setAttribute("aria-busy", "true");
  const slow = setTimeout(() => main.replaceChildren(h("p", { class: "status", role: "status" }, "Đang tải…")), 250);
  /** @type {Page & {canonical?: string}} */
  let page;
  try {
    page = await route(url, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return;
    page = error instanceof api.ApiError && error.status === 404 ? views.notFound() : views.failed(() => render());
  } finally {
    clearTimeout(slow);
  }
  if (controller.signal.aborted) return;
  // An article reached by another path (a moved category): show its own URL.
  if (page.canonical && page.canonical !== url.pathname) {
    history.replaceState(history.state, "", page.canonical);
  }
  document.title = page.title ? `${page.title} | ${siteName}` : siteName;
  description.content = page.description || defaultDescription;
  main.replaceChildren(page.node);
  main.removeAttribute("aria-busy");
  markCurrentSection(url.pathname);
  window.scrollTo(0, scroll);
  if (focus) {
    // Where a screen reader or keyboard user goes on: the new page's heading.
    const heading = main.querySelector("h1");
    heading?.setAttribute("tabindex", "-1");
    (heading || main).focus({ preventScroll: true });
  }
  page.after?.();
}

/** @param {string} href */
function navigate(href) {
  history.replaceState({ scroll: window.scrollY }, "");
  history.pushState({ scroll: 0 }, "", href);
  render({ focus: true });
}

// Links and the search form move within the app; everything else is the browser's.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a") : null;
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target || link.hasAttribute("download") || link.origin !== location.origin) return;
  if (SERVER.test(link.pathname)) return;
  event.preventDefault();
  if (link.href !== location.href) navigate(link.href);
});

const form = /** @type {HTMLFormElement} */ (document.querySelector("form.search"));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const q = String(new FormData(form).get("q") || "").trim();
  if (q) navigate(`${views.SEARCH_PATH}?${new URLSearchParams({ q })}`);
});

window.addEventListener("popstate", (event) => {
  render({ scroll: (event.state && event.state.scroll) || 0 });
});
history.scrollRestoration = "manual";

/** @param {string} path */
function markCurrentSection(path) {
  for (const a of document.querySelectorAll(".sections a")) {
    const href = a.getAttribute("href") || "";
    const here = href === "/" ? path === "/" : path.startsWith(href);
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const q = new URL(location.href).searchParams.get("q");
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem("q"));
  if (path === views.SEARCH_PATH && q) input.value = q;
}

/** @param {number} count */
function showVisits(count) {
  const shown = document.querySelector("[data-odometer]");
  if (shown) shown.replaceChildren(...odometer(count));
}

// The header and counter: the site's name, its sections, and its visits
// (one visit per browser session, shown from the API's answer).
const VISITED = "nd_visit_count";

/** The count the visit's POST answered in this session (0: none yet). */
function answeredVisits() {
  try {
    return Number(sessionStorage.getItem(VISITED)) || 0;
  } catch {
    return 0;
  }
}

async function frame() {
  const [site, sections] = await Promise.all([api.site(), api.categories()]);
  setTimeZone(site.timezone);
  siteName = site.name;
  for (const el of document.querySelectorAll("[data-site-full-name]")) el.textContent = site.name;
  const short = site.name.replace(/^Cổng thông tin điện tử\s+/i, "");
  for (const el of document.querySelectorAll("[data-site-name]")) el.textContent = short;
  // The site's answer may be up to a minute old (API caching): never show
  // fewer visits than this session's own count answered.
  showVisits(Math.max(site.visit_count, answeredVisits()));
  const list = document.querySelector("[data-sections]");
  if (list) {
    list.replaceChildren(
      h("li", null, h("a", { href: "/" }, "Trang chủ")),
      ...sections.results.map((c) => h("li", null, h("a", { href: c.url }, c.name))),
    );
  }
  markCurrentSection(location.pathname);
}

function countVisit() {
  if (answeredVisits() || location.pathname.startsWith("/preview")) return;
  api.countVisit().then(
    (answer) => {
      showVisits(Math.max(answer.visit_count, answeredVisits()));
      try {
        sessionStorage.setItem(VISITED, String(answer.visit_count));
      } catch {
        // no storage: asked again on the next load; the API's window dedupes it
      }
    },
    () => {},
  );
}

// The page and the frame at once (dates use the site's zone, Asia/Ho_Chi_Minh,
// until the site's answer says otherwise).
render();
frame().catch(() => {});
countVisit();
