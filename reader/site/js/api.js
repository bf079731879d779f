// The public API, typed by clients/typescript/schema.d.ts (generated from the
// OpenAPI schema): `tsc --checkJs --strict` (make types-check) checks every
// path, parameter and answer used here against it.

import { API_BASE } from "../config.js";

/** @typedef {import("../../../clients/typescript/schema").paths} Paths */
/** @typedef {import("../../../clients/typescript/schema").components["schemas"]} Schemas */
/** @typedef {Schemas["Article"]} Article */
/** @typedef {Schemas["ArticlePreview"]} ArticlePreview */
/** @typedef {Schemas["ArticleSummary"]} ArticleSummary */
/** @typedef {Schemas["ArticleLink"]} ArticleLink */
/** @typedef {Schemas["BodyBlock"]} BodyBlock */
/** @typedef {Schemas["Category"]} Category */
/** @typedef {Schemas["Image"]} Image */
/** @typedef {Schemas["Site"]} Site */

/**
 * @template {keyof Paths} P
 * @template {"get" | "post"} M
 * @typedef {Paths[P][M] extends { parameters: infer A } ? A : never} Params
 */
/**
 * @template {keyof Paths} P
 * @template {"get" | "post"} M
 * @typedef {Paths[P][M] extends { responses: { 200: { content: { "application/json": infer R } } } } ? R : never} Answer
 */

/** An answer other than 2xx, with the API's problem details when it gave them. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Schemas["Problem"] | null} problem
   */
  constructor(status, problem) {
    super(problem ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const VISITOR_KEY = "nd_visitor";

/** The reader's visitor id (the API's X-Visitor-Id), kept in this browser. */
function visitorId() {
  try {
    let id = localStorage.getItem(VISITOR_KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = crypto.randomUUID();
      localStorage.setItem(VISITOR_KEY, id);
    }
    return id;
  } catch {
    return null; // storage refused: the API falls back to its cookie or hash
  }
}

/**
 * @param {string} template e.g. "/api/v1/articles/{id}/"
 * @param {{path?: Record<string, string | number>, query?: Record<string, string | number | undefined>}} params
 */
function urlOf(template, params) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) =>
    encodeURIComponent(String((params.path || {})[name])),
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params.query || {})) {
    if (value !== undefined && value !== "") query.set(name, String(value));
  }
  const qs = query.toString();
  return API_BASE + path + (qs ? `?${qs}` : "");
}

/**
 * @param {string} url
 * @param {RequestInit} init
 */
async function call(url, init) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, ...init });
  if (!response.ok) {
    let problem = null;
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      problem = await response.json().catch(() => null);
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/**
 * GET one of the API's paths.
 * @template {keyof Paths} P
 * @param {P} template
 * @param {Params<P, "get">} params
 * @param {AbortSignal} [signal]
 * @returns {Promise<Answer<P, "get">>}
 */
export function get(template, params, signal) {
  return call(urlOf(template, /** @type {any} */ (params)), { signal });
}

/**
 * POST to a counting path (no body; the visitor id as a header). `keepalive`
 * lets the count reach the server when the reader leaves the page at once.
 * @template {keyof Paths} P
 * @param {P} template
 * @param {Params<P, "post">} params
 * @returns {Promise<Answer<P, "post">>}
 */
export function post(template, params) {
  const id = visitorId();
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  if (id) headers["X-Visitor-Id"] = id;
  return call(urlOf(template, /** @type {any} */ (params)), {
    method: "POST",
    headers,
    keepalive: true,
  });
}

// The calls the pages make, so each page reads as what it asks for.

/** @param {AbortSignal} [signal] */
export const site = (signal) => get("/api/v1/site/", {}, signal);

/** @type {ReturnType<typeof loadCategories> | null} */
let sections = null;
const loadCategories = () => get("/api/v1/categories/", {});

/** The sections, asked once per page load (the header and the home page). */
export function categories() {
  sections ??= loadCategories().catch((e) => {
    sections = null;
    throw e;
  });
  return sections;
}

/**
 * @param {string} slug
 * @param {AbortSignal} [signal]
 */
export const category = (slug, signal) =>
  get("/api/v1/categories/{slug}/", { path: { slug } }, signal);

/**
 * The list with whole summaries: the reader never sends `fields` (a sparse
 * fieldset's results are the schema's ArticleSummaryFields).
 * @param {Omit<NonNullable<Params<"/api/v1/articles/", "get">["query"]>, "fields">} query
 * @param {AbortSignal} [signal]
 * @returns {Promise<Schemas["PaginatedArticleSummaryList"] & { results: ArticleSummary[] }>}
 */
export const articles = (query, signal) =>
  /** @type {Promise<Schemas["PaginatedArticleSummaryList"] & { results: ArticleSummary[] }>} */ (
    get("/api/v1/articles/", { query }, signal)
  );

/**
 * @param {string} slug
 * @param {AbortSignal} [signal]
 */
export const articleBySlug = (slug, signal) =>
  get("/api/v1/articles/slug/{slug}/", { path: { slug } }, signal);

/** @param {AbortSignal} [signal] */
export const mostViewedThisWeek = (signal) =>
  get("/api/v1/articles/most-viewed/", { query: { period: "week", limit: 5 } }, signal);

/**
 * @param {string} token
 * @param {AbortSignal} [signal]
 */
export const preview = (token, signal) =>
  get("/api/v1/preview/", { query: { token } }, signal);

/** @param {number} id */
export const countView = (id) =>
  post("/api/v1/articles/{article_id}/views/", { path: { article_id: id } });

export const countVisit = () => post("/api/v1/site/visits/", {});
