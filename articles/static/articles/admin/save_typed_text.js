// A save never drops what was just typed in a rich-text field.
//
// Draftail writes its content into the field's hidden input 250 ms after the
// last change (its own debounce, and the same again in Wagtail's commenting
// wrapper). A save posted sooner (Ctrl+S while typing) sent the content as it
// was before the last words, and the admin said the page was updated. Here,
// when the form is submitted and before Wagtail's autosave sends its copy, each
// editor's current state is written into its input with Draftail's own
// serialiser (window.Draftail, which Wagtail exposes).
//
// An autosave still waiting for its debounce when the editor saves would be
// sent after the save with the form as it was before the last words, and
// become the newer revision: a submitted form cancels it (Wagtail's autosave
// skips a save event whose default was prevented by the time it sends).
(() => {
  // Editor-only inline styles of Wagtail's comments: highlights, not content
  // (Wagtail's wrapper drops them before saving too).
  const EDITOR_ONLY = ['COMMENT-', 'STYLE_RERENDER_'];

  const serialise = (editor) => {
    const raw = window.Draftail.serialiseEditorStateToRaw(editor.getEditorState());
    if (raw) {
      raw.blocks.forEach((block) => {
        block.inlineStyleRanges = block.inlineStyleRanges.filter(
          (range) => !EDITOR_ONLY.some((prefix) => range.style.startsWith(prefix)),
        );
      });
    }
    return raw;
  };

  // Writes each editor's current content into its input; returns the inputs.
  const flush = (form) => {
    if (!window.Draftail || !window.Draftail.serialiseEditorStateToRaw) return [];
    return Array.from(form.querySelectorAll('input[type=hidden]')).filter((input) => {
      const editor = input.draftailEditor;
      if (!editor || typeof editor.getEditorState !== 'function') return false;
      const raw = serialise(editor);
      input.rawContentState = raw;
      input.value = JSON.stringify(raw);
      return true;
    });
  };

  let pendingAutosave = null;
  let submitting = false;

  // Capture: before the form's data is read for the post.
  document.addEventListener(
    'submit',
    (event) => {
      if (!(event.target instanceof HTMLFormElement)) return;
      flush(event.target);
      submitting = true;
      if (pendingAutosave) pendingAutosave.preventDefault();
    },
    true,
  );
  // A submission something else cancelled (a confirmation refused): autosave
  // goes on.
  document.addEventListener('submit', (event) => {
    if (event.defaultPrevented) submitting = false;
  });

  // Wagtail's autosave has read the form already: correct its copy.
  document.addEventListener('w-autosave:save', (event) => {
    if (submitting) {
      event.preventDefault();
      return;
    }
    pendingAutosave = event;
    const form = event.target;
    const formData = event.detail && event.detail.formData;
    if (!(form instanceof HTMLFormElement) || !formData) return;
    flush(form).forEach((input) => formData.set(input.name, input.value));
  });
})();
