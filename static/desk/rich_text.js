// The article body's rich-text editor (django-prose-editor), built from the textarea's
// data-rich-text configuration (articles.desk.rich_text). Loaded as a module file: no import map
// and no inline script, which the Content-Security-Policy would refuse.

import * as Editor from "../django_prose_editor/editor.js";
import { InlineMedia } from "./inline_media.js";

const SELECTOR = "textarea[data-rich-text]";

// A link is written as the sanitizer writes it: href, a title only when there is one, and the
// rel every stored link carries (articles.sanitize), so an edited body reads back unchanged.
const Link = Editor.Link.extend({
  renderHTML({ HTMLAttributes }) {
    const attributes = { href: HTMLAttributes.href || "" };
    if (HTMLAttributes.title) attributes.title = HTMLAttributes.title;
    attributes.rel = "noopener noreferrer";
    return ["a", attributes, 0];
  },
});

// django-prose-editor's createTextareaEditor, except that Tiptap injects no <style> element (an
// inline style our CSP refuses): its few base rules are in static/desk/rich_text.css.
// A numbered list is a plain <ol>: no list type or start number (the sanitizer keeps neither),
// and no node view drawing the type as an inline style.
const OrderedList = Editor.OrderedList.extend({
  addAttributes() {
    const attributes = { ...(this.parent ? this.parent() : {}) };
    delete attributes.type;
    delete attributes.start;
    return attributes;
  },
  addNodeView: null,
});

function createTextareaEditor(textarea, extensions) {
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = document.createElement("div");
  wrapper.className = disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  return new Editor.Editor({
    element: wrapper,
    editable: !disabled,
    extensions,
    content: textarea.value,
    injectCSS: false,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      // An empty document is an empty body, not "<p></p>".
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

// Markup the sanitizer keeps but this editor has no node for (imported bodies hold some): an
// edit in the editor would drop it, so the editor says so before anyone types.
const NOT_KEPT = ["table", "hr", "img:not([data-media-id])", "figure:not([data-media-id])", "u", "s", "sub", "sup", "code", "pre", "abbr", "q", "cite", "span"];

function warnAboutMarkupNotKept(textarea) {
  const body = new DOMParser().parseFromString(textarea.value || "", "text/html").body;
  const found = NOT_KEPT.filter((selector) => body.querySelector(selector)).map((selector) => selector.split(":")[0]);
  if (!found.length) return;
  const note = document.createElement("p");
  note.className = "rich-text-warning";
  note.setAttribute("role", "status");
  note.textContent =
    `This body holds markup the editor cannot keep (${[...new Set(found)].join(", ")}). ` +
    "Saving without editing the body keeps it; an edit in the editor drops it.";
  textarea.closest(".prose-editor").before(note);
}

function build(textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.dataset.richText || "{}");
  const available = {
    ...Editor,
    Link,
    OrderedList,
    InlineMedia: InlineMedia.configure({
      chooserUrl: textarea.dataset.mediaChooser || "",
      thumbnailUrl: textarea.dataset.mediaThumbnail || "",
      inputId: textarea.dataset.mediaInput || "",
    }),
  };
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = available[name];
    if (!extension || options === false) continue;
    extensions.push(options && typeof options === "object" ? extension.configure(options) : extension);
  }
  const editor = createTextareaEditor(textarea, extensions);
  textarea.richTextEditor = editor;
  warnAboutMarkupNotKept(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && editor.view && editor.view.dom) {
    editor.view.dom.setAttribute("aria-labelledby", label.id || (label.id = `${textarea.id}_label`));
  }
  textarea.dispatchEvent(new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }));
  return editor;
}

Editor.initializeEditors(build, SELECTOR);
