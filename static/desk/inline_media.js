// Inline media in the article body: a library item stored as <figure data-media-id="ID"> with an
// optional <figcaption> (the caption readers see instead of the library's). Nothing else is stored;
// the public pages and the API draw the picture or player from the library (articles.sanitize).
//
// In the editor the item is one block (an atom): a thumbnail, its number and its caption, with
// buttons to edit the caption or remove it. "Insert media" opens the media library in Django's
// related-object popup; choosing an item there writes its id into a hidden input of this page
// (dismissRelatedLookupPopup), and the item is inserted where the cursor was.
//
// The older form <img data-media-id="ID" ...> (importer, demo) is read as an inline item too; it
// is written in the figure form once the body is changed in the editor.

import { Node, gettext, updateAttrsDialog } from "../django_prose_editor/editor.js";

const MEDIA_ID = /^[0-9]{1,18}$/;

function mediaId(element) {
  const value = element.getAttribute("data-media-id") || "";
  return MEDIA_ID.test(value) ? value : null;
}

function captionOf(element) {
  if (element.tagName !== "FIGURE") return "";
  const caption = Array.from(element.children).find((child) => child.tagName === "FIGCAPTION");
  return caption ? caption.textContent : "";
}

function chooseMedia(editor, options) {
  const input = document.getElementById(options.inputId);
  const jQuery = window.django && window.django.jQuery;
  if (!input || !jQuery || !options.chooserUrl) return;
  const url = new URL(options.chooserUrl, window.location.href);
  url.searchParams.set("_popup", "1");
  // Django's popup answers through jQuery's "change" on the input named by the window's name.
  jQuery(input)
    .off("change.inlineMedia")
    .one("change.inlineMedia", () => {
      const chosen = String(input.value || "").trim();
      input.value = "";
      if (MEDIA_ID.test(chosen)) {
        editor.chain().focus().insertInlineMedia({ id: chosen }).run();
      }
    });
  const popup = window.open(url.href, `${options.inputId}__1`, "height=640,width=960,resizable=yes,scrollbars=yes");
  if (popup) popup.focus();
}

function editCaption(editor, getPos, node) {
  updateAttrsDialog(
    {
      caption: {
        type: "string",
        title: gettext("Caption"),
        description: gettext("Leave empty to show the media library's caption."),
      },
    },
    { title: gettext("Inline media"), submitText: gettext("Update") },
  )(editor, { caption: node.attrs.caption || "" }).then((values) => {
    if (!values) return;
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor
      .chain()
      .focus()
      .command(({ tr }) => {
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, caption: (values.caption || "").trim() });
        return true;
      })
      .run();
  });
}

function button(text, label) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "inline-media__button";
  element.textContent = text;
  element.setAttribute("aria-label", label);
  return element;
}

function nodeView(options) {
  return ({ node: initial, editor, getPos }) => {
    let node = initial;
    const dom = document.createElement("figure");
    dom.className = "inline-media";
    dom.contentEditable = "false";
    const picture = document.createElement("img");
    picture.className = "inline-media__thumbnail";
    picture.alt = "";
    picture.addEventListener("error", () => picture.classList.add("inline-media__thumbnail--missing"));
    const label = document.createElement("span");
    label.className = "inline-media__label";
    const caption = document.createElement("figcaption");
    caption.className = "inline-media__caption";
    const edit = button(gettext("Caption"), gettext("Edit the caption of this inline media item"));
    const remove = button(gettext("Remove"), gettext("Remove this inline media item"));
    const actions = document.createElement("span");
    actions.className = "inline-media__actions";
    actions.append(edit, remove);
    dom.append(picture, label, caption, actions);

    function draw() {
      dom.dataset.mediaId = node.attrs.id;
      label.textContent = `${gettext("Media")} #${node.attrs.id}`;
      caption.textContent = node.attrs.caption || gettext("(the library's caption)");
      caption.classList.toggle("inline-media__caption--library", !node.attrs.caption);
      const src = options.thumbnailUrl ? options.thumbnailUrl.replace("/ID/", `/${node.attrs.id}/`) : "";
      if (src && picture.getAttribute("src") !== src) {
        picture.classList.remove("inline-media__thumbnail--missing");
        picture.src = src;
      }
    }
    draw();

    edit.addEventListener("click", () => editCaption(editor, getPos, node));
    remove.addEventListener("click", () => {
      const pos = getPos();
      if (typeof pos === "number") {
        editor.chain().focus().deleteRange({ from: pos, to: pos + node.nodeSize }).run();
      }
    });

    return {
      dom,
      update(updated) {
        if (updated.type !== node.type) return false;
        node = updated;
        draw();
        return true;
      },
      stopEvent: (event) => Boolean(event.target.closest && event.target.closest("button")),
      ignoreMutation: () => true,
    };
  };
}

export const InlineMedia = Node.create({
  name: "inlineMedia",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { chooserUrl: "", thumbnailUrl: "", inputId: "" };
  },

  addAttributes() {
    return {
      id: { default: null, parseHTML: mediaId, renderHTML: () => ({}) },
      caption: { default: "", parseHTML: captionOf, renderHTML: () => ({}) },
    };
  },

  parseHTML() {
    const onlyWithId = (element) => (mediaId(element) ? null : false);
    return [
      { tag: "figure[data-media-id]", getAttrs: onlyWithId },
      { tag: "img[data-media-id]", getAttrs: onlyWithId },
    ];
  },

  renderHTML({ node }) {
    const figure = ["figure", { "data-media-id": node.attrs.id }];
    if (node.attrs.caption) figure.push(["figcaption", node.attrs.caption]);
    return figure;
  },

  addNodeView() {
    return nodeView(this.options);
  },

  addCommands() {
    return {
      insertInlineMedia:
        (attrs) =>
        ({ commands, state }) => {
          if (!MEDIA_ID.test(String(attrs.id))) return false;
          const item = { type: this.name, attrs: { id: String(attrs.id), caption: attrs.caption || "" } };
          // A selected node (the item just inserted, or one the editor clicked) is kept: the new
          // item goes after it instead of replacing it.
          const selected = state.selection.node;
          return selected ? commands.insertContentAt(state.selection.to, item) : commands.insertContent(item);
        },
    };
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "inlineMedia",
      groups: "media",
      button: buttons.material("add_photo_alternate", gettext("Insert media")),
      command: (editor) => chooseMedia(editor, this.options),
      enabled: (editor) => editor.isEditable,
    });
  },
});
