/* A form marked "once" sends once: a double click does not import twice. The server
 * refuses a second import anyway; this only spares the message. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList.contains("once")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    setTimeout(function () { button.disabled = true; }, 0);
  });
});
