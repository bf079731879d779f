// A tiny typed client of newsdesk's API v1, checked by `tsc --strict` in
// `make types-check` against schema.d.ts (generated from the OpenAPI schema by
// `make types`): if the API's shapes change, this stops compiling.
//
// Run it with a TypeScript-aware runner, e.g. `npx tsx example.ts`, against
// NEWSDESK_API (default http://127.0.0.1:8000).

import { Webhook, WebhookVerificationError } from "standardwebhooks";

import type { components, paths } from "./schema";

type Schemas = components["schemas"];
export type Article = Schemas["Article"];
export type ArticleSummary = Schemas["ArticleSummary"];
export type Problem = Schemas["Problem"];
type ListQuery = NonNullable<paths["/api/v1/articles/"]["get"]["parameters"]["query"]>;
type ListPage =
  paths["/api/v1/articles/"]["get"]["responses"][200]["content"]["application/json"];

/** An answer other than 2xx, with the API's problem details (RFC 9457). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem ? problem.detail : `HTTP ${status}`);
  }
}

async function getJson<T>(base: string, path: string, query: Record<string, string | number> = {}): Promise<T> {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const type = response.headers.get("Content-Type") ?? "";
    const problem = type.includes("problem+json") ? ((await response.json()) as Problem) : null;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/** A page of the article list (whole summaries: no `fields`). */
export async function listArticles(base: string, query: Omit<ListQuery, "fields"> = {}) {
  const page = await getJson<ListPage>(base, "/api/v1/articles/", query);
  // Without `fields` every result is a whole ArticleSummary.
  return { ...page, results: page.results as ArticleSummary[] };
}

/** A sparse fieldset: only the keys asked for, typed as such. */
export async function listTitles(base: string, ids: number[]) {
  type Title = Pick<ArticleSummary, "id" | "title" | "updated_at">;
  const page = await getJson<ListPage>(base, "/api/v1/articles/", {
    ids: ids.join(","),
    fields: "id,title,updated_at",
  });
  return page.results as Title[];
}

/** One article by id (an ApiError with status 404 if a reader cannot see it). */
export function getArticle(base: string, id: number): Promise<Article> {
  return getJson<Article>(base, `/api/v1/articles/${id}/`);
}

type ChangeList =
  paths["/api/v1/changes/"]["get"]["responses"][200]["content"]["application/json"];
export type WebhookEvent = Schemas["WebhookEvent"];

/**
 * Bring a local copy of the visible articles up to date from the change feed:
 * from the beginning when `cursor` is empty (a full sync, in pages), else from
 * it. Returns the cursor to keep for next time. A 410 (`ApiError.status`)
 * means the cursor is too old: clear the copy and sync again without one.
 */
export async function syncArticles(
  base: string,
  copy: Map<number, ArticleSummary>,
  cursor = "",
): Promise<string> {
  for (;;) {
    const page = await getJson<ChangeList>(base, "/api/v1/changes/", { since: cursor, limit: 100 });
    for (const change of page.changes) {
      if (change.kind !== "article") continue;
      if (change.action === "upsert" && change.article) copy.set(change.id, change.article);
      else if (change.action === "delete") copy.delete(change.id);
    }
    cursor = page.next_cursor;
    if (!page.has_more) return cursor;
  }
}

/**
 * Verify a webhook delivery as the Standard Webhooks specification says
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`): the
 * parsed payload, or null when the signature or timestamp does not hold.
 * `rawBody` must be the request body exactly as received.
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  headers: Record<string, string>,
): unknown | null {
  try {
    return new Webhook(secret).verify(rawBody, headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) return null;
    throw error;
  }
}

async function main(): Promise<void> {
  const base = process.env.NEWSDESK_API ?? "http://127.0.0.1:8000";
  const page = await listArticles(base, { page_size: 5 });
  console.log(`${page.count} articles; newest:`);
  for (const summary of page.results) console.log(`- ${summary.published_at} ${summary.title}`);
  const first = page.results[0];
  if (first) {
    const article = await getArticle(base, first.id);
    console.log(`${article.title}: ${article.body.length} blocks, ${article.related.length} related`);
    console.log(await listTitles(base, [first.id]));
  }
  const copy = new Map<number, ArticleSummary>();
  const cursor = await syncArticles(base, copy);
  console.log(`synced ${copy.size} articles; cursor ${cursor ? "kept" : "missing"}`);

  // A delivery signed with a secret, as a webhook sender signs it.
  const secret = "whsec_" + Buffer.from("newsdesk example secret").toString("base64");
  const body = JSON.stringify({ type: "article.updated", data: { id: first?.id ?? 0 } });
  const id = "msg_example";
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, body);
  const headers = {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
  console.log("verified:", verifyWebhook(secret, body, headers) !== null);
  console.log("tampered:", verifyWebhook(secret, body + " ", headers) !== null);
}

if (process.argv[1]?.endsWith("example.ts") || process.argv[1]?.endsWith("example.js")) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
