/* Focal point picker for the media item change form.
   A click on the preview image writes the point (0–1 from the left and top) into the
   focal_x / focal_y inputs and moves the marker; typing in the inputs moves the marker too.
   Crops are made around this point, so it stays in every 4:3, 16:9 and square version. */
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  // Where a crop keeping the fraction `kept` of one side, centred on `focal` and held inside
  // the picture, sits: a CSS object-position from 0 to 1 (as media.admin_preview computes it).
  function cropPosition(focal, kept) {
    return kept >= 1 ? 0.5 : clamp((focal - kept / 2) / (1 - kept));
  }

  function moveCrops(crops, x, y) {
    if (!crops) {
      return;
    }
    var aspect = parseFloat(crops.dataset.aspect);
    crops.querySelectorAll(".focal-crop").forEach(function (crop) {
      var ratio = parseFloat(crop.dataset.ratio);
      var left = aspect > ratio ? cropPosition(x, ratio / aspect) : 0.5;
      var top = aspect < ratio ? cropPosition(y, aspect / ratio) : 0.5;
      crop.querySelector("img").style.objectPosition = (left * 100).toFixed(1) + "% " + (top * 100).toFixed(1) + "%";
    });
  }

  function setUp(picker) {
    var image = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var inputX = document.getElementById("id_focal_x");
    var inputY = document.getElementById("id_focal_y");
    var crops = picker.parentNode.querySelector(".focal-crops");
    if (!image || !marker || !inputX || !inputY) {
      return;
    }

    function place() {
      var x = clamp(parseFloat(inputX.value) || 0);
      var y = clamp(parseFloat(inputY.value) || 0);
      marker.style.left = (x * 100) + "%";
      marker.style.top = (y * 100) + "%";
      moveCrops(crops, x, y);
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      inputX.value = clamp((event.clientX - box.left) / box.width).toFixed(3);
      inputY.value = clamp((event.clientY - box.top) / box.height).toFixed(3);
      inputX.dispatchEvent(new Event("change", { bubbles: true }));
      inputY.dispatchEvent(new Event("change", { bubbles: true }));
      place();
    });
    inputX.addEventListener("input", place);
    inputY.addEventListener("input", place);
    place();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  });
})();
