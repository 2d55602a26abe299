/* Names for the admin's autocomplete choosers (select2), which come without one.
 *
 * select2 hides the real <select> and shows a combobox named by the text of the current choice:
 * empty when nothing is chosen, and the search box of a multiple choice has no name at all. A
 * screen reader then announces an unnamed field. This gives each combobox and search box the
 * name of its field: the <label> of the select, or in a table of inline rows the column's
 * heading and the row's number. It runs whenever select2 adds or redraws a chooser.
 */
"use strict";
(function () {
  function fieldName(select) {
    const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
    if (label) {
      return label.textContent.replace(/:\s*$/, "").trim();
    }
    const cell = select.closest("td");
    const row = select.closest("tr");
    const table = select.closest("table");
    if (cell && row && table) {
      const fieldClass = Array.from(cell.classList).find((name) => name.startsWith("field-"));
      const heading = fieldClass ? table.querySelector(`th.column-${fieldClass.slice(6)}`) : null;
      const rows = Array.from(row.parentNode.children).filter((tr) => tr.classList.contains("form-row"));
      const name = heading ? heading.textContent.trim() : fieldClass ? fieldClass.slice(6) : "Choice";
      return `${name} ${rows.indexOf(row) + 1}`;
    }
    return select.name;
  }

  function nameChoosers() {
    document.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      const name = fieldName(select);
      const unnamed = '[role="combobox"], [role="textbox"], .select2-search__field';
      container.querySelectorAll(unnamed).forEach((element) => {
        if (element.getAttribute("aria-label") !== name) {
          element.removeAttribute("aria-labelledby");
          element.setAttribute("aria-label", name);
        }
      });
    });
  }

  let pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        nameChoosers();
      });
    }
  }

  function start() {
    nameChoosers();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  }

  window.addEventListener("load", nameChoosers);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
