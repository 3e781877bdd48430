/* The document editor's few behaviours htmx does not give by itself.
 *
 * - Every form keeps a copy of what was typed in localStorage until the server has it,
 *   so a closed tab, an expired session or a lost connection loses nothing: on the next
 *   visit the copy is put back and saved (a conflict shows both versions).
 * - "Keep mine" after a conflict saves again on top of the other person's revision.
 * - Moved rows change places; text areas grow with their text; a page with unsaved
 *   changes asks before it is left.
 */
(function () {
  "use strict";
  var PREFIX = "rectify:draft:";
  var pending = new Map(); // form key -> edits typed since the last request was sent

  function key(form) { return PREFIX + form.dataset.key; }

  function values(form) {
    var data = {};
    form.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (field) {
      if (field.name === "revision" || field.name === "links" || field.type === "hidden") return;
      if (field.type === "checkbox") {
        if (!(field.name in data)) data[field.name] = [];
        if (field.checked) data[field.name].push(field.value);
      } else {
        data[field.name] = field.value;
      }
    });
    return data;
  }

  function restore(form, data) {
    Object.keys(data).forEach(function (name) {
      var fields = form.querySelectorAll('[name="' + name + '"]');
      fields.forEach(function (field) {
        if (field.type === "checkbox") {
          field.checked = data[name].indexOf(field.value) !== -1;
        } else {
          field.value = data[name];
        }
      });
    });
  }

  function revisionOf(form) {
    var field = form.querySelector('input[name="revision"]');
    return field ? field.value : "";
  }

  function remember(form) {
    try {
      localStorage.setItem(key(form), JSON.stringify({ revision: revisionOf(form), values: values(form), at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
  }

  function forget(form) {
    try { localStorage.removeItem(key(form)); } catch (e) { /* nothing to do */ }
  }

  function editable(form) { return form.hasAttribute("hx-post"); }

  function grow(area) {
    area.style.height = "auto";
    area.style.height = area.scrollHeight + 2 + "px";
  }

  function init(root) {
    root.querySelectorAll("textarea.autogrow").forEach(grow);
    var forms = Array.from(root.querySelectorAll("form.item, form.header"));
    if (root.matches && root.matches("form.item, form.header")) forms.push(root);
    forms.forEach(function (form) {
      if (!editable(form)) return;
      // Typed into before htmx had set the row up: send it now.
      if (pending.has(form.dataset.key) && !form.dataset.sentAt) htmx.trigger(form, "change");
      if (form.dataset.restoredChecked) return;
      form.dataset.restoredChecked = "1";
      var saved = null;
      try { saved = JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { saved = null; }
      if (!saved) return;
      if (JSON.stringify(saved.values) === JSON.stringify(values(form))) { forget(form); return; }
      // Put back what was typed, on the revision it was typed on: if somebody saved
      // in between, the save answers with both versions.
      restore(form, saved.values);
      var revision = form.querySelector('input[name="revision"]');
      if (revision && saved.revision) revision.value = saved.revision;
      var notice = document.getElementById("restored");
      if (notice) notice.classList.remove("d-none");
      pending.set(form.dataset.key, 1);
      htmx.trigger(form, "change");
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest("form.item, form.header");
    if (event.target.matches("textarea.autogrow")) grow(event.target);
    if (!form || !editable(form)) return;
    pending.set(form.dataset.key, (pending.get(form.dataset.key) || 0) + 1);
    remember(form);
  }, true);

  // Capturing, so the edit is counted before htmx (listening on the form) sends it.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form.item, form.header");
    if (!form || !editable(form)) return;
    pending.set(form.dataset.key, (pending.get(form.dataset.key) || 0) + 1);
    remember(form);
    var picker = event.target.closest("details.picker");
    if (picker) {
      var count = picker.querySelector(".picker-count");
      if (count) count.textContent = picker.querySelectorAll('input[type="checkbox"]:checked').length;
    }
  }, true);

  // Enter in a one-line field must not submit the form the old way.
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form.item, form.header")) event.preventDefault();
  });

  // Logging in again (in another tab, after the session expired) rotates the CSRF
  // token: send the current one, not the one this page was rendered with.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches("form.item, form.header")) {
      form.dataset.sentAt = pending.get(form.dataset.key) || 0;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var offline = document.getElementById("offline");
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (!form.matches || !form.matches("form.item, form.header")) return;
    if (status === 200) {
      // Only forget the copy if nothing was typed after this request left.
      if (String(pending.get(form.dataset.key) || 0) === form.dataset.sentAt) {
        pending.delete(form.dataset.key);
        forget(form);
      }
      if (offline) offline.classList.add("d-none");
    } else if (status === 0 || status >= 500) {
      if (offline) {
        offline.textContent = "网络或服务器暂时不可用，您填写的内容已保存在本机浏览器中，恢复后再次输入即会保存。";
        offline.classList.remove("d-none");
      }
    }
  });

  document.addEventListener("click", function (event) {
    var keep = event.target.closest("[data-keep-mine]");
    if (keep) {
      var form = keep.closest("form.item, form.header") || document.getElementById("header");
      var revision = form.querySelector('input[name="revision"]');
      revision.value = keep.dataset.keepMine;
      htmx.trigger(form, "change");
      return;
    }
    var theirs = event.target.closest("[data-take-theirs]");
    if (theirs) {
      var item = theirs.closest("form.item");
      if (item) { pending.delete(item.dataset.key); forget(item); }
    }
  });

  document.body.addEventListener("item-moved", function (event) {
    var row = document.getElementById(event.detail.id);
    if (!row) return;
    if (event.detail.step < 0 && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (event.detail.step > 0 && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
    row.scrollIntoView({ block: "nearest" });
  });

  // Problems were added or removed: pickers already opened list them afresh.
  document.body.addEventListener("problems-changed", function () {
    document.querySelectorAll('details.picker[data-name="addresses"]').forEach(function (picker) {
      var body = picker.querySelector(".picker-body");
      if (body.querySelector('input[name="links"]')) {
        htmx.ajax("GET", picker.getAttribute("hx-get"), { target: body, swap: "innerHTML" });
      }
    });
  });

  document.body.addEventListener("item-deleted", function (event) {
    try { localStorage.removeItem(PREFIX + "item-" + event.detail.uid); } catch (e) { /* nothing */ }
  });

  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });

  window.addEventListener("beforeunload", function (event) {
    if (pending.size) { event.preventDefault(); event.returnValue = ""; }
  });

  // How many forms have edits the server does not have yet (also read by the browser tests).
  window.rectifyPending = function () { return pending.size; };

  init(document);
})();
