/* The limits of texts, said the same way wherever one is typed (the editor's fields, the
 * reviewer's 批注 and 总体意见, the 修改说明).
 *
 * - A field with data-limit says its limit once its text nears it (from 80%), and how much
 *   is left; past it, by how much it is over, and what becomes of the text: the sentence
 *   of data-limit-over on the field, its form or around it ("{limit}" is the limit), or
 *   else that the field is not saved and its text stays here.
 * - A form that would leave the page is not sent while one of its fields is over its
 *   limit: the field is focused, its note says why, and the text stays in it. (Forms
 *   htmx sends are the editor's and review.js's to hold back, field by field.)
 *
 * window.rectifyLimits.measure(field): says the limit beside FIELD; true when over it.
 * window.rectifyLimits.after(field, className): the note of that class after FIELD.
 */
(function () {
  "use strict";
  var OVER = "这一栏没有保存，内容仍在这里和本机浏览器中；删减到 {limit} 字以内即自动保存。";

  function name(field) { return field.id || field.name; }

  function after(field, className) {
    var anchor = field.closest("details.picker") || field;
    var note = anchor.parentNode.querySelector('[data-for="' + name(field) + '"].' + className);
    if (!note) {
      note = document.createElement("div");
      note.className = className;
      note.dataset.for = name(field);
      anchor.insertAdjacentElement("afterend", note);
    }
    return note;
  }

  function number(n) { return n.toLocaleString("zh-CN"); }

  // Says the limit once a text is near it, and what becomes of the text once it is past it.
  function measure(field) {
    var limit = Number(field.dataset.limit);
    if (!limit) return false;
    var length = field.value.length;
    var over = length > limit;
    var existing = field.parentNode.querySelector('[data-for="' + name(field) + '"].limit-note');
    if (length < limit * 0.8 && !existing) return false;
    var note = existing || after(field, "limit-note");
    if (length < limit * 0.8) {
      note.remove();
    } else if (over) {
      var told = field.dataset.limitOver ? field
        : field.form && field.form.dataset.limitOver ? field.form : field.closest("[data-limit-over]");
      note.className = "limit-note over";
      note.setAttribute("role", "alert");
      note.textContent = "已输入 " + number(length) + " 字，超出上限 " + number(length - limit) + " 字（上限 " +
        number(limit) + " 字）：" + (told ? told.dataset.limitOver : OVER).replace("{limit}", number(limit));
    } else {
      note.className = "limit-note";
      note.removeAttribute("role");
      note.textContent = "已输入 " + number(length) + " 字，上限 " + number(limit) + " 字，还可输入 " +
        number(limit - length) + " 字。";
    }
    field.classList.toggle("is-invalid", over);
    return over;
  }

  function measureAll(root) {
    if (root.querySelectorAll) root.querySelectorAll("[data-limit]").forEach(measure);
  }

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.limit) measure(event.target);
  }, true);

  // Capturing, and before the others' listeners: a form held back here is not sent,
  // nor marked sent (once.js), nor does it let go of its texts' copies (review.js).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post")) return;
    var over = Array.prototype.filter.call(form.elements, function (field) {
      return field.dataset && field.dataset.limit && measure(field);
    });
    if (!over.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var details = over[0].closest("details");
    if (details) details.open = true;
    over[0].focus();
  }, true);

  document.addEventListener("htmx:load", function (event) { measureAll(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { measureAll(document); });
  } else {
    measureAll(document);
  }

  window.rectifyLimits = { measure: measure, after: after };
})();
