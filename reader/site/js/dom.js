// Building the page: elements, Vietnamese dates and numbers, responsive images.

/** @typedef {import("./api.js").Image} Image */
/** @typedef {Node | string | number | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined>} Attrs */

/**
 * An element with attributes (`false`/`null` ones left out) and children.
 * Text is always set as text: API strings never become markup here.
 * @param {string} tag
 * @param {Attrs | null} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
  return el;
}

/**
 * Markup the API made (rich text, embeds): its final HTML, per the contract.
 * @param {string} tag
 * @param {string} className
 * @param {string} html
 */
export function fromHtml(tag, className, html) {
  const el = h(tag, { class: className });
  el.innerHTML = html;
  return el;
}

let timeZone = "Asia/Ho_Chi_Minh";

/** @param {string} zone the site's IANA time zone (from the API) */
export function setTimeZone(zone) {
  timeZone = zone;
}

const numbers = new Intl.NumberFormat("vi-VN");

/** @param {number} n */
export function formatNumber(n) {
  return numbers.format(n);
}

/**
 * "21/04/2017", or "Thứ Sáu, 21/04/2017, 08:25" when long, in the site's time zone.
 * @param {string} iso
 * @param {boolean} [long]
 */
export function formatDate(iso, long = false) {
  const when = new Date(iso);
  const day = formatter(long ? "weekday" : "day").format(when);
  return long ? `${day}, ${formatter("time").format(when)}` : day;
}

/** @type {Record<string, Intl.DateTimeFormatOptions>} */
const DATE_PARTS = {
  day: { day: "2-digit", month: "2-digit", year: "numeric" },
  weekday: { weekday: "long", day: "2-digit", month: "2-digit", year: "numeric" },
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
};
/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/** Formatters are costly to make: one per kind and zone. @param {string} kind */
function formatter(kind) {
  const key = `${kind}@${timeZone}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat("vi-VN", { ...DATE_PARTS[kind], timeZone });
    formatters.set(key, made);
  }
  return made;
}

/** @param {string} iso */
export function time(iso, long = false) {
  return h("time", { datetime: iso }, formatDate(iso, long));
}

/**
 * A photo from the API's renditions, sized by the layout (`sizes`).
 * `crop` uses the 4:3 thumbnail for small cards (CSS crops the larger ones to
 * the same box); otherwise only the uncropped renditions are offered.
 * @param {Image} image
 * @param {{sizes: string, crop?: boolean, eager?: boolean, alt?: string}} how
 */
export function picture(image, { sizes, crop = false, eager = false, alt }) {
  const { thumbnail, medium, large } = image.renditions;
  const candidates = crop ? [thumbnail, medium, large] : [medium, large];
  /** @type {Map<number, string>} */
  const byWidth = new Map();
  for (const r of candidates) if (r && !byWidth.has(r.width)) byWidth.set(r.width, r.url);
  const first = crop ? thumbnail || medium : medium || large;
  return h("img", {
    src: first ? first.url : image.url,
    srcset: [...byWidth].map(([w, url]) => `${url} ${w}w`).join(", "),
    sizes,
    width: first ? first.width : image.width,
    height: first ? first.height : image.height,
    alt: alt ?? image.alt,
    loading: eager ? "eager" : "lazy",
    fetchpriority: eager ? "high" : null,
    decoding: "async",
  });
}

/**
 * Odometer digits of a counter, at least 8 as on the old portal.
 * @param {number} count
 */
export function odometer(count) {
  const digits = String(count).padStart(8, "0");
  return [
    h("span", { class: "visually-hidden" }, `${formatNumber(count)} lượt`),
    ...[...digits].map((d) => h("span", { class: "digit", "aria-hidden": "true" }, d)),
  ];
}
