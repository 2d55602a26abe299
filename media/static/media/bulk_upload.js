/* The media library's bulk upload page: files dropped on the drop zone or chosen in the file
   input are uploaded one request each (upload_client.js), each with its progress bar and its
   status; then a link opens the form describing every stored item at once. */
(function () {
  "use strict";

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector(".media-dropzone");
    var list = form.querySelector(".upload-list");
    var summary = form.querySelector(".upload-summary");
    var describe = form.querySelector(".describe-link");
    var stored = [];
    var pending = 0;

    function finished(items) {
      pending -= 1;
      var refused = list.querySelectorAll("[data-state=refused]").length;
      if (pending > 0) {
        return;
      }
      summary.textContent = stored.length + " stored, " + refused + " refused.";
      if (stored.length) {
        var ids = stored.map(function (item) { return item.id; });
        describe.href = form.dataset.describeUrl + "?ids=" + ids.join(",");
        describe.textContent = "Describe the " + ids.length + " stored item" + (ids.length === 1 ? "" : "s") +
          " (credit, title, alt text)";
        describe.hidden = false;
      }
    }

    function take(files) {
      if (!files || !files.length) {
        return;
      }
      pending += 1;
      summary.textContent = "Uploading " + files.length + " file" + (files.length === 1 ? "" : "s") + "…";
      window.NewsroomMedia.uploadFiles(files, list, {
        endpoint: form.dataset.endpoint,
        token: window.NewsroomMedia.csrfToken(form),
        maxBytes: parseInt(form.dataset.maxBytes, 10) || 0,
        onItem: function (item) {
          if (stored.every(function (known) { return known.id !== item.id; })) {
            stored.push(item);
          }
        },
        onFinished: finished,
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    input.addEventListener("change", function () {
      take(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      take(event.dataTransfer && event.dataTransfer.files);
    });
    form.dataset.ready = "true"; // files may be taken from now on
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.media-bulk-upload").forEach(setUp);
  });
})();
