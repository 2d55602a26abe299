/* Uploads to the media library's admin endpoint, one request per file, with a row per file:
   its name, a <progress> bar (XMLHttpRequest upload progress) and a status in words.
   Used by the bulk upload page (bulk_upload.js) and the media chooser popup (chooser.js).

   NewsroomMedia.uploadFiles(files, list, settings) uploads `files` one after the other, adding
   a row for each to the <ul> `list`. settings: endpoint, token (CSRF), maxBytes, onItem(item)
   for each stored file, onFinished(items) once all are done. A file over the limit is refused
   here, before it is sent (the server would answer 413 without reading it). */
(function () {
  "use strict";

  var NewsroomMedia = (window.NewsroomMedia = window.NewsroomMedia || {});

  function bytes(count) {
    return count.toLocaleString("en") + " bytes";
  }

  function makeRow(list, file) {
    var row = document.createElement("li");
    row.className = "upload-row";
    row.dataset.state = "waiting";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", "Upload of " + file.name);
    progress.textContent = "0 %";
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = "Waiting";
    row.append(name, progress, status);
    list.appendChild(row);
    return {
      row: row,
      set: function (state, text, percent) {
        row.dataset.state = state;
        status.textContent = text;
        if (percent !== undefined) {
          progress.value = percent;
          progress.textContent = percent + " %";
        }
      },
    };
  }

  function answer(xhr) {
    try {
      return JSON.parse(xhr.responseText);
    } catch (error) {
      return null;
    }
  }

  function refusal(xhr, body) {
    if (body && body.error) {
      return body.error;
    }
    if (xhr.status === 413) {
      return xhr.responseText || "The file is larger than the upload limit.";
    }
    if (xhr.status === 403) {
      return "The server refused the upload (HTTP 403): sign in again, or ask for the right to add media.";
    }
    return "The server could not store the file (HTTP " + xhr.status + ").";
  }

  function send(file, settings, ui, done) {
    if (settings.maxBytes && file.size > settings.maxBytes) {
      ui.set("refused", "Refused: the file is " + bytes(file.size) + ", more than the limit of " +
        bytes(settings.maxBytes) + ".");
      done(null);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", settings.endpoint);
    xhr.setRequestHeader("X-CSRFToken", settings.token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.min(99, Math.round((event.loaded / event.total) * 100));
        ui.set("uploading", "Uploading… " + percent + " %", percent);
      }
    });
    xhr.addEventListener("load", function () {
      var body = answer(xhr);
      if ((xhr.status === 200 || xhr.status === 201) && body && body.id) {
        ui.set("done", xhr.status === 201 ? "Uploaded" : "Already in the library as “" + body.title + "”", 100);
        done(body);
      } else {
        ui.set("refused", "Refused: " + refusal(xhr, body));
        done(null);
      }
    });
    xhr.addEventListener("error", function () {
      ui.set("refused", "Refused: the connection broke off (a file over the upload limit is cut off this way).");
      done(null);
    });
    var data = new FormData();
    data.append("file", file, file.name);
    ui.set("uploading", "Uploading… 0 %", 0);
    xhr.send(data);
  }

  NewsroomMedia.uploadFiles = function (files, list, settings) {
    var queue = Array.prototype.slice.call(files).map(function (file) {
      return { file: file, ui: makeRow(list, file) };
    });
    var items = [];
    function next() {
      var job = queue.shift();
      if (!job) {
        if (settings.onFinished) {
          settings.onFinished(items);
        }
        return;
      }
      send(job.file, settings, job.ui, function (item) {
        if (item) {
          items.push(item);
          if (settings.onItem) {
            settings.onItem(item);
          }
        }
        next();
      });
    }
    next();
  };

  NewsroomMedia.csrfToken = function (root) {
    var input = (root || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
})();
