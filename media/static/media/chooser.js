/* The media chooser popup (the library's changelist with ?_popup=1): new files uploaded in
   place appear first in the grid and are chosen like the others, through Django's popup
   protocol: opener.dismissRelatedLookupPopup(window, id). The cards drawn by the server are
   handled by the admin's RelatedObjectLookups.js (their data-popup-opener attribute). */
(function () {
  "use strict";

  function choose(event) {
    event.preventDefault();
    var value = event.currentTarget.dataset.popupOpener;
    // As the admin's own handler hands it over (jQuery's .data()): a number when it reads as one.
    if (String(Number(value)) === value) {
      value = Number(value);
    }
    if (window.opener && window.opener.dismissRelatedLookupPopup) {
      window.opener.dismissRelatedLookupPopup(window, value);
    }
  }

  function cardFor(item) {
    var row = document.createElement("li");
    row.className = "media-card media-card-new";
    var link = document.createElement("a");
    link.href = item.change_url;
    link.dataset.popupOpener = String(item.id);
    link.dataset.mediaId = String(item.id);
    if (item.thumbnail) {
      var image = document.createElement("img");
      image.src = item.thumbnail;
      image.alt = "";
      image.width = 160;
      image.height = 120;
      link.appendChild(image);
    }
    var title = document.createElement("span");
    title.className = "media-card-title";
    title.textContent = item.title;
    var facts = document.createElement("span");
    facts.className = "media-card-facts";
    facts.textContent = item.kind === "video" ? "Video · just uploaded" : "Image · just uploaded";
    link.append(title, facts);
    link.addEventListener("click", choose);
    row.appendChild(link);
    return row;
  }

  function setUp(box) {
    var input = box.querySelector("input[type=file]");
    var list = box.querySelector(".upload-list");
    var grid = document.querySelector(".media-chooser-grid");
    input.addEventListener("change", function () {
      var files = input.files;
      window.NewsroomMedia.uploadFiles(files, list, {
        endpoint: box.dataset.uploadEndpoint,
        token: window.NewsroomMedia.csrfToken(box),
        maxBytes: parseInt(box.dataset.maxBytes, 10) || 0,
        onItem: function (item) {
          var empty = grid.querySelector(".media-chooser-empty");
          if (empty) {
            empty.remove();
          }
          var card = cardFor(item);
          grid.insertBefore(card, grid.firstChild);
          grid.scrollTop = 0;
        },
      });
      input.value = "";
    });
    box.dataset.ready = "true"; // files may be taken from now on
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".media-chooser-upload").forEach(setUp);
  });
})();
