// The one file to edit when the reader is deployed alone (any static host or
// CDN): where the newsdesk API answers. "" means the same origin as the pages.
// Another origin must be in the API's CORS_ALLOWED_ORIGINS (or be its
// FRONTEND_BASE_URL); see docs/reader.md.
export const API_BASE = "";
