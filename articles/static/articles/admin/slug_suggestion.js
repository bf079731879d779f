// The article's slug suggestion, made unique by the server (articles.drafts).
//
// Wagtail's w-slug controller makes the slug from the title in the browser,
// without knowing which slugs are taken. Once the editor stops typing, this asks
// /admin/articles/slug/ for the free one ("hop-bao-2") and puts it in the field.
// Before the title's w-sync compares title and slug (on focus), the bare slug is
// put back, so that syncing goes on as the title changes.
(() => {
  const SELECTOR = 'input[data-newsdesk-slug-url]';
  const DELAY = 400; // ms after the last keystroke; w-sync waits 100 ms
  let timer = null;
  let suggested = null;
  let bare = null;

  const slugInput = () => document.querySelector(SELECTOR);

  const pageId = (input) => {
    // After an autosave created the page, the address is its edit view.
    const match = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
    return match ? match[1] : input.dataset.newsdeskPageId || '';
  };

  const ask = async () => {
    const input = slugInput();
    if (!input || !input.value) return;
    const value = input.value;
    const url = new URL(input.dataset.newsdeskSlugUrl, window.location.origin);
    url.searchParams.set('slug', value);
    const id = pageId(input);
    if (id) url.searchParams.set('page', id);
    let answer;
    try {
      const response = await fetch(url, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!response.ok) return;
      answer = await response.json();
    } catch (error) {
      return; // offline: the server still makes the slug free on save
    }
    if (input.value !== value || answer.slug === value) return;
    bare = value;
    suggested = answer.slug;
    input.value = answer.slug;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY);
  };

  const concerns = (target) =>
    target instanceof HTMLInputElement &&
    (target.id === 'id_title' || target.matches(SELECTOR));

  ['keyup', 'change', 'blur'].forEach((type) => {
    document.addEventListener(
      type,
      (event) => {
        if (concerns(event.target)) later();
      },
      true,
    );
  });

  document.addEventListener(
    'focus',
    (event) => {
      const input = slugInput();
      if (
        event.target instanceof HTMLInputElement &&
        event.target.id === 'id_title' &&
        input &&
        suggested &&
        input.value === suggested
      ) {
        input.value = bare;
      }
    },
    true,
  );
})();
