/* The reviewer's 批注 and 总体意见, kept as they are typed.
 *
 * - Each text area marked data-draft is saved to the server a moment after typing
 *   pauses (review/views.py save_draft), and copied to localStorage until the server
 *   has it: a refused return, a reload or a closed tab loses nothing.
 * - 审阅通过 with something written asks first whether to send it with the approval as
 *   remarks or to discard it (the server refuses an approval that does not say).
 * - A text past its limit (data-limit, said as it nears it by static/js/limits.js) is not
 *   sent: it stays in its field and in localStorage, and neither 退回修改 (limits.js holds
 *   the form) nor 审阅通过 goes until it is cut down.
 */
(function () {
  "use strict";
  var DELAY = 600;
  var PREFIX = "rectify:review:";
  var timers = new Map(); // text area -> timer of its next save
  var saving = new Set(); // saves under way
  var failed = new Set(); // text areas the server does not have
  var leaving = false; // a decision is being sent, with what it carries

  var over = window.rectifyLimits.measure; // static/js/limits.js

  function areas() { return Array.from(document.querySelectorAll("textarea[data-draft]")); }
  function key(area) { return PREFIX + area.dataset.draft + "#" + area.dataset.item; }

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function show(area, text, bad) {
    var field = area.closest(".draft-field");
    var state = field && field.querySelector(".draft-state");
    if (!state) return;
    state.textContent = text;
    state.classList.toggle("text-danger", !!bad);
    state.classList.toggle("text-secondary", !bad);
  }

  function remember(area) {
    try { localStorage.setItem(key(area), area.value); } catch (e) { /* the server copy is all we have */ }
  }

  function forget(area) {
    try { localStorage.removeItem(key(area)); } catch (e) { /* nothing to do */ }
  }

  function save(area) {
    clearTimeout(timers.get(area));
    timers.delete(area);
    var text = area.value;
    var body = new FormData();
    body.append("item", area.dataset.item);
    body.append("text", text);
    show(area, "正在保存…");
    var request = fetch(area.dataset.draft, {
      // Sent as htmx sends, so an expired session answers 401 with a sentence, not the login page.
      method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": csrf(), "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (answer) {
        if (response.ok) {
          if (area.value === text) { failed.delete(area); forget(area); } // else what was typed since decides
          if (!failed.has(area)) show(area, text.trim() ? answer + "，尚未送出" : "");
          return;
        }
        failed.add(area);
        // A refusal is one sentence; an expired login or page says so in markup.
        var reason = response.status === 401 ? "登录已过期，请在新窗口重新登录后回到本页继续输入"
          : answer.charAt(0) === "<" ? "保存未成功，请刷新页面后再试" : answer;
        show(area, reason + "（所写内容仍保存在本机浏览器中）", true);
      });
    }).catch(function () {
      failed.add(area);
      show(area, "网络暂时不可用，所写内容保存在本机浏览器中，恢复后再次输入即会保存。", true);
    });
    saving.add(request);
    request.finally(function () { saving.delete(request); });
    return request;
  }

  // Everything typed, at the server: the saves waiting for a pause are sent now.
  function flush() {
    Array.from(timers.keys()).forEach(save);
    return Promise.all(Array.from(saving));
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-draft]")) return;
    remember(area);
    clearTimeout(timers.get(area));
    timers.delete(area);
    if (over(area)) { hold(area); return; }
    timers.set(area, setTimeout(function () { save(area); }, DELAY));
  });

  // Past its limit: kept here and in localStorage, not sent; the note beside it says why.
  function hold(area) {
    failed.add(area);
    show(area, "");
  }

  // A copy the server never got (the tab closed, the network down) is put back and saved.
  function restore() {
    areas().forEach(function (area) {
      var kept = null;
      try { kept = localStorage.getItem(key(area)); } catch (e) { kept = null; }
      if (kept === null) return;
      if (kept === area.value) { forget(area); return; }
      area.value = kept;
      var note = area.closest("details");
      if (note) note.open = true;
      if (over(area)) hold(area); else save(area);
    });
  }

  // Capturing, so the question comes before once.js marks the form sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "return-form") {
      // The form carries every text; the server keeps them if it refuses the return.
      timers.forEach(clearTimeout);
      timers.clear();
      areas().forEach(forget);
      leaving = true;
      return;
    }
    if (form.id !== "approve-form") return;
    if (event.submitter && event.submitter.name === "remarks") { leaving = true; return; } // chosen
    if (form.dataset.asked) { leaving = true; return; }
    event.preventDefault();
    event.stopPropagation();
    flush().then(function () {
      if (failed.size) {
        var first = failed.values().next().value;
        var note = first.closest("details");
        if (note) note.open = true;
        first.focus();
        return; // beside it, why it is not saved: approving now would leave it behind
      }
      var written = areas().filter(function (area) { return area.value.trim(); });
      if (written.length) {
        var notes = written.filter(function (area) { return area.dataset.item; }).length;
        var parts = [];
        if (notes) parts.push("批注 " + notes + " 条");
        if (notes < written.length) parts.push("总体意见");
        document.getElementById("remarks-summary").textContent = "已写：" + parts.join("、") + "。";
        document.getElementById("remarks-dialog").showModal();
      } else {
        form.dataset.asked = "1";
        // Not from this task: a form still firing its submit event ignores a new one.
        setTimeout(function () { form.requestSubmit(); }, 0);
      }
    });
  }, true);

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-dialog]");
    if (close) close.closest("dialog").close();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && (timers.size || saving.size || failed.size)) { event.preventDefault(); event.returnValue = ""; }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }

  // How many texts the server does not have yet (also read by the browser tests).
  window.reviewPending = function () { return timers.size + saving.size + failed.size; };
})();
