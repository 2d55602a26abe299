/* Inlines ordered by dragging (articles/desk/sortable.py).
 *
 * For every inline fieldset with the class "sortable" whose rows hold a hidden input named
 * "<prefix>-<n>-position": each row gets a drag handle and "move up" / "move down" buttons (the
 * keyboard's way to reorder), and when the form is submitted each row's position is filled from
 * the order the rows stand in, 0 for the first. A blank extra row keeps the position it came
 * with, so Django still sees it unchanged and ignores it. Rows added with "Add another" get the same controls.
 */
"use strict";
(function () {
  const FIELD = "position";

  function rowsOf(group) {
    return Array.from(group.querySelectorAll("tr.form-row, div.inline-related")).filter(
      (row) => !row.classList.contains("empty-form") && row.closest("fieldset.sortable, .sortable") !== null
    );
  }

  function positionInput(row) {
    return row.querySelector(`input[type=hidden][name$="-${FIELD}"]`);
  }

  function isBlankExtra(row) {
    const pk = row.querySelector('input[type=hidden][name$="-id"]');
    if (pk && pk.value) {
      return false;
    }
    const filled = Array.from(row.querySelectorAll("select, textarea, input")).some(
      (input) =>
        input.type !== "hidden" && input.type !== "checkbox" && input.type !== "button" && input.value.trim() !== ""
    );
    return !filled;
  }

  function announce(group, text) {
    const status = group.querySelector(".nr-sortable-status");
    if (status) {
      status.textContent = text;
    }
  }

  function move(row, direction) {
    const group = row.closest(".inline-group");
    const rows = rowsOf(group);
    const index = rows.indexOf(row);
    const other = rows[index + direction];
    if (!other) {
      return false;
    }
    if (direction < 0) {
      other.before(row);
    } else {
      other.after(row);
    }
    announce(group, `Moved to place ${index + direction + 1} of ${rows.length}.`);
    return true;
  }

  function button(label, symbol, className, direction, row) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `nr-sortable-move ${className}`;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = symbol;
    element.addEventListener("click", () => {
      if (move(row, direction)) {
        element.focus();
      }
    });
    return element;
  }

  let dragged = null;

  function addControls(row) {
    if (!positionInput(row) || row.querySelector(".nr-sortable-controls")) {
      return;
    }
    const controls = document.createElement("span");
    controls.className = "nr-sortable-controls";
    const handle = document.createElement("span");
    handle.className = "nr-sortable-handle";
    handle.draggable = true;
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("nr-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
      event.dataTransfer.setDragImage(row, 10, 10);
    });
    handle.addEventListener("dragend", () => {
      row.classList.remove("nr-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) {
        return;
      }
      event.preventDefault();
      const rows = rowsOf(row.closest(".inline-group"));
      // Dropped on a row, the dragged one takes its place: after it going down, before it going up.
      if (rows.indexOf(dragged) < rows.indexOf(row)) {
        row.after(dragged);
      } else {
        row.before(dragged);
      }
    });
    row.addEventListener("drop", (event) => {
      if (dragged) {
        event.preventDefault();
        const rows = rowsOf(row.closest(".inline-group"));
        announce(row.closest(".inline-group"), `Moved to place ${rows.indexOf(dragged) + 1} of ${rows.length}.`);
      }
    });
    controls.append(
      handle,
      button("Move up", "↑", "nr-sortable-up", -1, row),
      button("Move down", "↓", "nr-sortable-down", 1, row)
    );
    const cell = row.querySelector("td.original") || row.querySelector("h3") || row;
    cell.prepend(controls);
  }

  function fillPositions(group) {
    let place = 0;
    for (const row of rowsOf(group)) {
      const input = positionInput(row);
      if (!input) {
        continue;
      }
      if (!isBlankExtra(row)) {
        input.value = String(place);
        place += 1;
      }
    }
  }

  function setUp(fieldset) {
    const group = fieldset.closest(".inline-group") || fieldset;
    if (group.dataset.sortableReady) {
      return;
    }
    group.dataset.sortableReady = "1";
    const status = document.createElement("p");
    status.className = "nr-sortable-status nr-visually-hidden";
    status.setAttribute("role", "status");
    fieldset.append(status);
    rowsOf(group).forEach(addControls);
    const form = group.closest("form");
    if (form) {
      form.addEventListener("submit", () => fillPositions(group));
    }
  }

  document.addEventListener("formset:added", (event) => {
    const row = event.target;
    if (row && row.closest && row.closest("fieldset.sortable")) {
      addControls(row);
    }
  });

  function start() {
    document.querySelectorAll("fieldset.sortable").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
