/* A form marked "once" sends once: a double click does not import twice. The server
 * refuses a second import anyway; this only spares the message. A form with
 * data-confirm asks first. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.confirm && !form.dataset.sent && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (!form.classList.contains("once")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    setTimeout(function () { button.disabled = true; }, 0);
  });
});
