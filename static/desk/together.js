/* Working together on a story in the change form (articles/desk/together.py draws the panel).
 *
 * Presence: calls in every few seconds (POST /api/v1/articles/<id>/presence/), keeps the list of
 * who else has the story open and the holder's notice up to date, and says so at once (role=alert)
 * when someone takes the story over; leaves when the page goes away.
 * Autosave: after a short idle time following any typing, keeps the form's fields on the server
 * (never a revision, never public) and says when ("Autosaved HH:MM:SS").
 * Restore: the "Restore" button of the offer of unsaved text fills the form with it.
 * Same-origin requests with the admin's session and its CSRF token; no inline script (CSP).
 */
"use strict";
(function () {
  const panel = document.getElementById("nr-together");
  if (!panel) return;
  const form = document.getElementById("article_form");
  const tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  const csrf = tokenInput ? tokenInput.value : "";
  const me = Number(panel.dataset.me);
  const zone = panel.dataset.timeZone || undefined;
  let submitting = false;

  function clock(iso, withSeconds) {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
    if (withSeconds) options.second = "2-digit";
    try {
      return new Intl.DateTimeFormat("en-GB", options).format(new Date(iso));
    } catch (error) {
      delete options.timeZone;
      return new Intl.DateTimeFormat("en-GB", options).format(new Date(iso));
    }
  }

  function call(method, url, body, extra) {
    const headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(extra || {}),
    });
  }

  // --- Presence -------------------------------------------------------------------------------

  function showPresence(state) {
    const bar = panel.querySelector(".nr-presence");
    const others = state.present.filter((row) => row.user.id !== me);
    const names = others.map((row) => `${row.user.name} (since ${clock(row.since, false)})`);
    const wanted = names.length ? `Also open by: ${names.join(", ")}` : "Nobody else has this story open.";
    // Redrawn only when it changes: a live region announces every change.
    if (bar && bar.textContent.replace(/\s+/g, " ").trim() !== wanted) {
      bar.textContent = others.length ? "Also open by: " : "Nobody else has this story open.";
      others.forEach((row, index) => {
        const span = document.createElement("span");
        span.className = "nr-present-person";
        span.dataset.user = String(row.user.id);
        span.textContent = names[index];
        bar.append(span);
        if (index < others.length - 1) bar.append(", ");
      });
    }
    const notice = panel.querySelector(".nr-holder-notice");
    const holder = state.holder && state.holder.id !== me ? state.holder : null;
    if (notice) {
      notice.hidden = !holder;
      const row = holder ? state.present.find((r) => r.user.id === holder.id) : null;
      const text = notice.querySelector(".nr-holder-text");
      if (row && text) {
        text.textContent = `${holder.name} has had this story open since ${clock(row.since, false)}. Saving is refused while they hold it.`;
      }
    }
    const alert = panel.querySelector(".nr-taken-over");
    if (alert && state.taken_over_by) {
      const taken = state.taken_over_by;
      const message = `${taken.user.name} took this story over at ${clock(taken.at, true)}. Your next save will be refused; copy anything you typed since your last save.`;
      if (alert.textContent.trim() !== message) {
        alert.textContent = "";
        const line = document.createElement("p");
        line.textContent = message;
        alert.append(line);
      }
    }
  }

  const presenceUrl = panel.dataset.presenceUrl;
  if (presenceUrl) {
    const beat = () =>
      call("POST", presenceUrl, { opening: false })
        .then((response) => (response.ok ? response.json() : null))
        .then((state) => state && showPresence(state))
        .catch(() => {});
    window.setInterval(beat, Number(panel.dataset.heartbeatMs) || 5000);
    window.addEventListener("pagehide", () => {
      // Saving the form opens the story again at once: staying checked in spares a flicker.
      if (!submitting) call("DELETE", presenceUrl, undefined, { keepalive: true }).catch(() => {});
    });
  }

  // --- Autosave -------------------------------------------------------------------------------

  function formFields() {
    const data = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") continue;
      if (name in data) {
        data[name] = [].concat(data[name], value);
      } else {
        data[name] = value;
      }
    }
    return data;
  }

  const autosaveUrl = panel.dataset.autosaveUrl;
  const status = panel.querySelector(".nr-autosave-status");
  if (autosaveUrl && form) {
    let timer = null;
    const save = () => {
      timer = null;
      if (submitting) return;
      const baseInput = form.querySelector("input[name=base_version]");
      const base = baseInput && /^\d+$/.test(baseInput.value) ? Number(baseInput.value) : null;
      call("PUT", autosaveUrl, { data: formFields(), base_version: base })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then((saved) => {
          if (status) status.textContent = `Autosaved ${clock(saved.saved_at, true)}`;
        })
        .catch(() => {
          if (status) status.textContent = "Autosave failed; your text is still in the form. Save it to keep it.";
        });
    };
    const later = () => {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, Number(panel.dataset.idleMs) || 2000);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", () => {
      submitting = true;
      if (timer) window.clearTimeout(timer);
    });
  }

  // --- Restore --------------------------------------------------------------------------------

  function fill(name, value) {
    const values = [].concat(value);
    const fields = Array.from(form.elements).filter((el) => el.name === name && el.type !== "hidden");
    fields.forEach((field, index) => {
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.includes(field.value);
      } else if (field.tagName === "SELECT") {
        Array.from(field.options).forEach((option) => {
          option.selected = values.includes(option.value);
        });
      } else if (index < values.length) {
        field.value = values[index];
        if (field.richTextEditor) field.richTextEditor.commands.setContent(values[index]);
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  const restore = panel.querySelector(".nr-restore");
  const source = document.getElementById("nr-autosave-data");
  if (restore && source && form) {
    restore.hidden = false;
    const needsScript = panel.querySelector(".nr-restore-needs-script");
    if (needsScript) needsScript.hidden = true;
    restore.addEventListener("click", () => {
      const data = JSON.parse(source.textContent);
      Object.entries(data).forEach(([name, value]) => fill(name, value));
      const offer = panel.querySelector(".nr-autosave-offer");
      if (offer) offer.hidden = true;
      if (status) status.textContent = "Your unsaved text is back in the form. Save to keep it.";
    });
  }
})();
