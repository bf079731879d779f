// The pages: each asks the API for what it shows and returns its content with
// the document title and description. A 404 from the API becomes the 404 page
// (app.js); other failures the error page.

import * as api from "./api.js";
import { formatNumber, fromHtml, h, picture, time } from "./dom.js";

/** @typedef {import("./api.js").ArticleSummary} ArticleSummary */
/** @typedef {import("./api.js").ArticleLink} ArticleLink */
/** @typedef {import("./api.js").Article} Article */
/** @typedef {import("./api.js").BodyBlock} BodyBlock */
/** @typedef {{title: string, description?: string, node: Node, after?: () => void}} Page */

export const PAGE_SIZE = 12;
export const SEARCH_PATH = "/tim-kiem/";
export const TAG_PATH = "/the/";

/** @param {string} name */
export const tagUrl = (name) => `${TAG_PATH}${encodeURIComponent(name)}/`;

const CARD_SIZES = "(min-width: 1024px) 300px, (min-width: 640px) 45vw, 100vw";
const LEAD_SIZES = "(min-width: 1024px) 760px, 100vw";
const BODY_SIZES = "(min-width: 800px) 720px, 100vw";

/**
 * A story in a list: photo, category, title, date, excerpt.
 * @param {ArticleSummary} article
 * @param {{lead?: boolean, eager?: boolean, showCategory?: boolean, heading?: string}} [how]
 */
function card(article, { lead = false, eager = false, showCategory = true, heading = "h3" } = {}) {
  const image = article.feature_image;
  return h(
    "article",
    { class: lead ? "card card-lead" : "card" },
    image &&
      h(
        "a",
        { class: "card-photo", href: article.url, tabindex: "-1", "aria-hidden": "true" },
        picture(image, { sizes: lead ? LEAD_SIZES : CARD_SIZES, crop: true, eager, alt: "" }),
      ),
    h(
      "div",
      { class: "card-text" },
      showCategory &&
        h("a", { class: "kicker", href: `/${article.category.slug}/` }, article.category.name),
      h(lead ? "h2" : heading, { class: "card-title" }, h("a", { href: article.url }, article.title)),
      h("p", { class: "meta" }, time(article.published_at)),
      (lead || !image) && article.excerpt && h("p", { class: "excerpt" }, article.excerpt),
    ),
  );
}

/**
 * @param {string} title
 * @param {Node[]} children
 * @param {{href?: string, className?: string, id: string}} opts
 */
function block(title, children, { href, className = "", id }) {
  return h(
    "section",
    { class: `block ${className}`, "aria-labelledby": id },
    h(
      "div",
      { class: "block-head" },
      h("h2", { id, class: "block-title" }, href ? h("a", { href }, title) : title),
      href && h("a", { class: "more", href }, "Xem tất cả ›"),
    ),
    ...children,
  );
}

/**
 * Previous / next pages of a list, the page number kept in the URL.
 * @param {string} base the route without its page
 * @param {URLSearchParams} query the route's other parameters
 * @param {number} page
 * @param {number} count all results
 */
function pager(base, query, page, count) {
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  if (pages === 1) return null;
  /** @param {number} n */
  const href = (n) => {
    const q = new URLSearchParams(query);
    if (n > 1) q.set("page", String(n));
    else q.delete("page");
    const s = q.toString();
    return base + (s ? `?${s}` : "");
  };
  return h(
    "nav",
    { class: "pager", "aria-label": "Phân trang" },
    page > 1 ? h("a", { href: href(page - 1), rel: "prev" }, "‹ Trang trước") : h("span"),
    h("span", { class: "pager-at" }, `Trang ${page} / ${pages}`),
    page < pages ? h("a", { href: href(page + 1), rel: "next" }, "Trang sau ›") : h("span"),
  );
}

/**
 * Cards under a section heading (h3 titles) or a page's h1 (h2 titles).
 * @param {ArticleSummary[]} results
 * @param {{showCategory?: boolean, heading?: string}} [how]
 */
function grid(results, how = {}) {
  return h("div", { class: "grid" }, results.map((a) => card(a, how)));
}

/** @param {ArticleLink[]} links */
function linkList(links) {
  return h(
    "ul",
    { class: "links" },
    links.map((l) => h("li", null, h("a", { href: l.url }, l.title), " ", h("span", { class: "meta" }, time(l.published_at)))),
  );
}

/** @param {AbortSignal} signal @returns {Promise<Page>} */
export async function home(signal) {
  const [latest, sections, popular] = await Promise.all([
    api.articles({ page_size: 7 }, signal),
    api.categories(),
    api.mostViewedThisWeek(signal).catch(() => null),
  ]);
  const [first, ...rest] = latest.results;
  const mostViewed = popular && popular.results.length
    ? h(
        "ol",
        { class: "ranked" },
        popular.results.map((a) =>
          h(
            "li",
            null,
            h("a", { href: a.url }, a.title),
            h("span", { class: "meta" }, `${formatNumber(a.period_views)} lượt xem`),
          ),
        ),
      )
    : h("p", { class: "empty" }, "Chưa có lượt xem nào trong tuần này.");
  // One block per category, filled in below the fold once its articles come.
  const blocks = sections.results.map(() => h("div", { class: "section-slot" }));
  const node = h(
    "div",
    { class: "home" },
    h("h1", { class: "visually-hidden" }, "Trang chủ"),
    h(
      "div",
      { class: "home-top" },
      block(
        "Tin mới",
        first
          ? [card(first, { lead: true, eager: true }), h("div", { class: "latest" }, rest.map((a) => card(a)))]
          : [h("p", { class: "empty" }, "Chưa có tin bài.")],
        { id: "tin-moi", className: "block-latest" },
      ),
      block("Xem nhiều trong tuần", [mostViewed], { id: "xem-nhieu", className: "block-popular" }),
    ),
    blocks,
  );
  const after = () => {
    sections.results.forEach((c, i) => {
      api.articles({ category: c.slug, page_size: 4 }, signal).then(
        (list) => {
          if (list.results.length) {
            blocks[i].replaceWith(
              block(c.name, [grid(list.results, { showCategory: false })], { href: c.url, id: `muc-${c.slug}` }),
            );
          }
        },
        () => {}, // a missing block leaves the rest of the page as it is
      );
    });
  };
  return { title: "", node, after };
}

/**
 * @param {string} slug
 * @param {number} page
 * @param {AbortSignal} signal
 * @returns {Promise<Page>}
 */
export async function categoryPage(slug, page, signal) {
  const [section, list] = await Promise.all([
    api.category(slug, signal),
    api.articles({ category: slug, page, page_size: PAGE_SIZE }, signal),
  ]);
  const node = h(
    "div",
    { class: "listing" },
    h("header", { class: "listing-head" }, h("h1", null, section.name), section.description && h("p", null, section.description)),
    grid(list.results, { showCategory: false, heading: "h2" }),
    pager(section.url, new URLSearchParams(), page, list.count),
  );
  return {
    title: page > 1 ? `${section.name} – Trang ${page}` : section.name,
    description: section.description,
    node,
  };
}

/**
 * @param {string} tag
 * @param {number} page
 * @param {AbortSignal} signal
 * @returns {Promise<Page>}
 */
export async function tagPage(tag, page, signal) {
  const list = await api.articles({ tag, page, page_size: PAGE_SIZE }, signal);
  if (!list.count) throw new api.ApiError(404, null);
  const node = h(
    "div",
    { class: "listing" },
    h("header", { class: "listing-head" }, h("p", { class: "kicker" }, "Từ khóa"), h("h1", null, tag), h("p", null, `${formatNumber(list.count)} tin bài`)),
    grid(list.results, { heading: "h2" }),
    pager(tagUrl(tag), new URLSearchParams(), page, list.count),
  );
  return { title: `Từ khóa: ${tag}`, description: `Tin bài với từ khóa “${tag}”.`, node };
}

/**
 * @param {string} q
 * @param {number} page
 * @param {AbortSignal} signal
 * @returns {Promise<Page>}
 */
export async function searchPage(q, page, signal) {
  const words = q.trim();
  const head = h("header", { class: "listing-head" }, h("h1", null, "Tìm kiếm"));
  if (!words) {
    head.append(h("p", null, "Nhập từ cần tìm, có dấu hoặc không dấu."));
    return { title: "Tìm kiếm", node: h("div", { class: "listing" }, head) };
  }
  const list = await api.articles({ search: words, page, page_size: PAGE_SIZE }, signal).catch((e) => {
    if (e instanceof api.ApiError && e.status === 400) return null; // e.g. punctuation only
    throw e;
  });
  const count = list ? list.count : 0;
  head.append(h("p", { class: "result-count" }, count ? `${formatNumber(count)} kết quả cho “${words}”` : `Không tìm thấy tin bài nào cho “${words}”.`));
  const node = h(
    "div",
    { class: "listing" },
    head,
    list && grid(list.results, { heading: "h2" }),
    list && pager(SEARCH_PATH, new URLSearchParams({ q: words }), page, count),
  );
  return { title: `Tìm kiếm: ${words}`, node };
}

/** @param {BodyBlock} block */
function bodyBlock(block) {
  switch (block.type) {
    case "paragraph":
      return fromHtml("div", "rich", block.value.html);
    case "heading":
      return h(`h${block.value.level}`, null, block.value.text);
    case "quote":
      return h(
        "blockquote",
        null,
        h("p", null, block.value.text),
        block.value.attribution && h("footer", null, "— ", h("cite", null, block.value.attribution)),
      );
    case "embed":
      return block.value.html
        ? fromHtml("div", "embed", block.value.html)
        : h("p", { class: "embed" }, h("a", { href: block.value.url, rel: "noopener" }, block.value.url));
    case "image": {
      const { image, caption, alt } = block.value;
      const text = caption || (image && image.caption) || "";
      return h(
        "figure",
        { class: image ? "photo" : "photo photo-missing" },
        image && picture(image, { sizes: BODY_SIZES, alt: alt || image.alt || text }),
        (text || (image && image.credit)) &&
          h("figcaption", null, text, image && image.credit && h("span", { class: "credit" }, ` Ảnh: ${image.credit}`)),
      );
    }
    default:
      return null;
  }
}

/**
 * The article page's content (also the preview's).
 * @param {Article} article
 * @param {{preview?: boolean}} [how]
 */
function articleNode(article, { preview = false } = {}) {
  const inBody = new Set(
    article.body.flatMap((b) => (b.type === "image" && b.value.image ? [b.value.image.id] : [])),
  );
  const feature = article.feature_image;
  const views = h("strong", { "data-view-count": "" }, formatNumber(article.view_count));
  return h(
    "article",
    { class: "story" },
    preview && h("p", { class: "preview-note", role: "note" }, "Bản xem trước – chưa xuất bản"),
    h(
      "p",
      { class: "story-line" },
      h("a", { class: "kicker", href: `/${article.category.slug}/` }, article.category.name),
      " ",
      time(article.published_at, true),
    ),
    h("h1", { class: "story-title" }, article.title),
    feature && !inBody.has(feature.id) &&
      h(
        "figure",
        { class: "photo" },
        picture(feature, { sizes: BODY_SIZES, eager: true }),
        feature.caption && h("figcaption", null, feature.caption),
      ),
    h("div", { class: "story-body" }, article.body.map(bodyBlock)),
    article.tags.length > 0 &&
      h("p", { class: "tags" }, h("span", null, "Từ khóa: "), article.tags.map((t) => h("a", { href: tagUrl(t) }, t))),
    h("p", { class: "views" }, "Số lượt người xem: ", views),
    h(
      "nav",
      { class: "neighbours", "aria-label": "Tin trước và sau" },
      article.newer &&
        h("a", { class: "newer", href: article.newer.url, rel: "next" }, h("span", { class: "neighbour-label" }, "Tin mới hơn"), h("span", null, article.newer.title)),
      article.older &&
        h("a", { class: "older", href: article.older.url, rel: "prev" }, h("span", { class: "neighbour-label" }, "Tin đã đưa"), h("span", null, article.older.title)),
    ),
    article.related.length > 0 &&
      h("section", { class: "related", "aria-labelledby": "lien-quan" }, h("h2", { id: "lien-quan" }, "Tin liên quan"), linkList(article.related)),
  );
}

/**
 * @param {string} slug
 * @param {string} sectionSlug
 * @param {AbortSignal} signal
 * @returns {Promise<Page & {canonical: string}>}
 */
export async function articlePage(slug, sectionSlug, signal) {
  const article = await api.articleBySlug(slug, signal);
  const node = articleNode(article);
  return {
    title: article.seo.title || article.title,
    description: article.seo.description || article.excerpt,
    canonical: article.url,
    node,
    // One view per article page, shown from the count the API answers.
    after: () => {
      api.countView(article.id).then(
        (answer) => {
          const shown = node.querySelector("[data-view-count]");
          if (shown) shown.textContent = formatNumber(answer.view_count);
        },
        () => {}, // not counted (rate limit, offline): the page stays as it is
      );
    },
  };
}

/**
 * @param {string} token
 * @param {AbortSignal} signal
 * @returns {Promise<Page>}
 */
export async function previewPage(token, signal) {
  if (!token) return expired("Đường dẫn xem trước thiếu mã.");
  try {
    const draft = await api.preview(token, signal);
    return { title: `Xem trước: ${draft.title}`, node: articleNode(draft, { preview: true }) };
  } catch (e) {
    if (e instanceof api.ApiError && (e.status === 403 || e.status === 400)) {
      return expired("Bản xem trước này đã hết hạn hoặc không hợp lệ.");
    }
    throw e;
  }
}

/** @param {string} why */
function expired(why) {
  return {
    title: "Xem trước",
    node: message("Không xem trước được", why, "Hãy bấm “Xem trước” lại từ trang quản trị."),
  };
}

/**
 * @param {string} title
 * @param {...(string | Node)} lines
 */
function message(title, ...lines) {
  return h("div", { class: "message" }, h("h1", null, title), lines.map((l) => h("p", null, l)));
}

/** @returns {Page} */
export function notFound() {
  return {
    title: "Không tìm thấy trang",
    node: message(
      "Không tìm thấy trang",
      "Trang bạn tìm không có hoặc đã được gỡ xuống.",
      h("a", { href: "/" }, "Về trang chủ"),
    ),
  };
}

/**
 * @param {() => void} retry
 * @returns {Page}
 */
export function failed(retry) {
  const button = h("button", { type: "button", class: "retry" }, "Thử lại");
  button.addEventListener("click", retry);
  return {
    title: "Lỗi tải trang",
    node: message("Không tải được nội dung", "Máy chủ không trả lời hoặc mạng bị gián đoạn. Vui lòng thử lại sau giây lát.", button),
  };
}
