/* The document editor's few behaviours htmx does not give by itself.
 *
 * - Every form keeps a copy of what was typed in localStorage until the server has it,
 *   so a closed tab, an expired session or a lost connection loses nothing: on the next
 *   visit the copy is put back and saved (a conflict shows both versions).
 * - The connection state is shown (#connection). Saves made while offline, or that
 *   found the server unreachable, wait in a queue and are sent when it is back.
 * - Every text says its limit (data-limit) as it nears it (static/js/limits.js). A field
 *   past its limit is held back: the rest of its row is saved, the field keeps its text
 *   (and the copy in localStorage) and says why. A request past the server's limit is
 *   not sent at all.
 * - Fields the server could not read (an unreadable deadline) are marked with its reason.
 * - "Keep mine" after a conflict saves again on top of the other person's revision.
 * - Moved rows change places; text areas grow with their text; a page with unsaved
 *   changes asks before it is left.
 * - Each change's answer carries the checklist and the flags it altered (out of band);
 *   of two answers that cross, the newer checklist stays.
 */
(function () {
  "use strict";
  var PREFIX = "rectify:draft:";
  var FORMS = "form.item, form.header";
  var pending = new Map(); // form key -> edits typed since the last request was sent
  var queued = new Set(); // ids of forms whose save waits for the connection
  var retryTimer = null;
  var retryDelay = 5000;
  var state = document.getElementById("connection");
  var requestLimit = state ? Number(state.dataset.requestLimit) : 0;

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

  function stored(form) {
    try { return localStorage.getItem(key(form)) !== null; } catch (e) { return false; }
  }

  function forget(form) {
    try { localStorage.removeItem(key(form)); } catch (e) { /* nothing to do */ }
  }

  function editable(form) { return form.hasAttribute("hx-post"); }

  // A text area grows with its text, up to most of the window; past that it scrolls.
  function grow(area) {
    area.style.height = "auto";
    var wanted = area.scrollHeight + 2;
    var most = Math.max(240, Math.round(window.innerHeight * 0.7));
    area.style.height = Math.min(wanted, most) + "px";
    area.style.overflowY = wanted > most ? "auto" : "hidden";
  }

  // The connection state -----------------------------------------------------------

  function showState() {
    if (!state) return;
    var text = state.querySelector(".state-text");
    var icon = state.querySelector("i");
    var waiting = queued.size;
    var kind, words;
    if (!navigator.onLine) {
      kind = "offline";
      words = waiting
        ? "网络已断开：" + waiting + " 处修改暂存在本机浏览器中，恢复连接后自动保存"
        : "网络已断开：继续输入的内容会暂存在本机浏览器中";
    } else if (waiting) {
      kind = "waiting";
      words = "服务器暂时连不上：" + waiting + " 处修改暂存在本机浏览器中，稍后自动重试";
    } else if (document.querySelector("form.htmx-request")) {
      kind = "saving";
      words = "正在保存…";
    } else {
      kind = "online";
      words = pending.size ? "已连接" : "已连接，全部内容已保存";
    }
    state.className = "connection-state " + kind;
    state.dataset.state = kind;
    icon.className = kind === "offline" ? "bi bi-wifi-off" : kind === "saving" ? "bi bi-arrow-repeat" : "bi bi-wifi";
    text.textContent = words;
  }

  function queue(form) {
    queued.add(form.id);
    remember(form);
    var feedback = feedbackOf(form);
    if (feedback) feedback.innerHTML = '<span class="text-danger"><i class="bi bi-cloud-slash"></i> ' +
      "尚未保存：内容已暂存在本机浏览器中，连接恢复后自动保存。</span>";
    showState();
  }

  function flush() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (!navigator.onLine) return;
    var waiting = Array.from(queued);
    queued.clear();
    waiting.forEach(function (id) {
      var form = document.getElementById(id);
      if (form && editable(form)) htmx.trigger(form, "change");
    });
    showState();
  }

  function retryLater() {
    if (retryTimer) return;
    retryTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", showState);

  // Limits ---------------------------------------------------------------------------

  function feedbackOf(form) {
    return form.querySelector(":scope > .item-feedback") || form.querySelector(".item-feedback");
  }

  var measure = window.rectifyLimits.measure; // static/js/limits.js
  var after = window.rectifyLimits.after;

  // Marks the fields the server could not read, and clears the others' marks.
  function mark(form, fields) {
    form.querySelectorAll(".field-error").forEach(function (note) { note.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      if (!measure(field)) field.classList.remove("is-invalid");
    });
    Object.keys(fields).forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (!field) return;
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      var note = after(field, "field-error");
      note.id = "error-" + (field.id || name + "-" + form.id);
      note.setAttribute("role", "alert");
      note.textContent = fields[name];
      field.setAttribute("aria-describedby", note.id);
    });
    form.dataset.unread = Object.keys(fields).length;
  }

  function size(formData) {
    var bytes = 0;
    formData.forEach(function (value, name) {
      bytes += encodeURIComponent(name).length + encodeURIComponent(String(value)).length + 2;
    });
    return bytes;
  }

  function init(root) {
    root.querySelectorAll("textarea.autogrow").forEach(grow);
    var forms = Array.from(root.querySelectorAll(FORMS));
    if (root.matches && root.matches(FORMS)) forms.push(root);
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
    var form = event.target.closest(FORMS);
    if (event.target.matches("textarea.autogrow")) grow(event.target);
    if (!form || !editable(form)) return;
    pending.set(form.dataset.key, (pending.get(form.dataset.key) || 0) + 1);
    remember(form);
  }, true);

  // Capturing, so the edit is counted before htmx (listening on the form) sends it.
  document.addEventListener("change", function (event) {
    var form = event.target.closest(FORMS);
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
    if (event.target.matches(FORMS)) event.preventDefault();
  });

  // Logging in again (in another tab, after the session expired) rotates the CSRF
  // token: send the current one, not the one this page was rendered with.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
    var form = event.detail.elt;
    if (!form.matches || !form.matches(FORMS) || !editable(form)) return;
    if (!navigator.onLine) {
      event.preventDefault();
      queue(form);
      return;
    }
    // Texts past their limit stay here; the rest of the row is sent.
    var held = [];
    form.querySelectorAll("[data-limit]").forEach(function (field) {
      if (measure(field)) {
        event.detail.formData.delete(field.name);
        event.detail.formData.append("held", field.name);
        held.push(field.name);
      }
    });
    form.dataset.held = held.length;
    if (requestLimit && size(event.detail.formData) > requestLimit) {
      event.preventDefault();
      remember(form);
      var feedback = feedbackOf(form);
      if (feedback) feedback.innerHTML = '<span class="text-danger" role="alert"><i class="bi bi-exclamation-triangle"></i> ' +
        "这一条的内容太多（超过 " + state.dataset.requestLimitText + "），没有发送，也没有改动已保存的内容；" +
        "填写的文字仍在这里和本机浏览器中，请删减或分成几条。</span>";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form.matches && form.matches(FORMS)) {
      form.dataset.sentAt = pending.get(form.dataset.key) || 0;
      setTimeout(showState, 0);
    }
  });

  // The server could not be reached: the save waits for the connection.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches(FORMS) || !editable(form)) return;
    queue(form);
    if (navigator.onLine) retryLater();
  });

  document.body.addEventListener("fields-unread", function (event) {
    var form = document.getElementById(event.detail.form);
    if (form) mark(form, event.detail.fields || {});
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var offline = document.getElementById("offline");
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (!form.matches || !form.matches(FORMS)) return;
    if (status === 200) {
      retryDelay = 5000;
      // Only forget the copy if nothing was typed after this request left, and the
      // server has every field (none held back here, none it could not read).
      var whole = form.dataset.held === "0" && (form.dataset.unread || "0") === "0";
      if (whole && String(pending.get(form.dataset.key) || 0) === form.dataset.sentAt) {
        pending.delete(form.dataset.key);
        forget(form);
      } else if (stored(form)) {
        // The copy stays (a field held back or unread, or typed since): it now stands on
        // the revision this save made, so a reload puts it back without a false conflict.
        remember(form);
      }
      if (offline) offline.classList.add("d-none");
      if (queued.size) flush();
    } else if (status >= 500) {
      queue(form);
      retryLater();
      if (offline) {
        offline.textContent = "服务器暂时不可用，您填写的内容已保存在本机浏览器中，稍后自动重试。";
        offline.classList.remove("d-none");
      }
    }
    setTimeout(showState, 0);
  });

  document.addEventListener("click", function (event) {
    var keep = event.target.closest("[data-keep-mine]");
    if (keep) {
      var form = keep.closest(FORMS) || document.getElementById("header");
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

  // Every change answers with the checklist and the flags it altered (out of band): the
  // page asks for nothing after a save. Two answers may come back in the other order;
  // each is stamped when computed, and an older one never replaces a newer.
  function stampOf(node) {
    var marked = node.matches && node.matches("[data-stamp]") ? node : node.querySelector("[data-stamp]");
    return marked ? Number(marked.dataset.stamp) : 0;
  }

  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    var incoming = stampOf(event.detail.fragment);
    if (incoming && incoming < stampOf(event.detail.target)) event.detail.shouldSwap = false;
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
  showState();
})();
