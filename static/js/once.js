/* Sent once. A form marked "once" sends once: a double click does not send it twice.
 * A form with data-confirm asks first. The server is what makes a creating request
 * safe to send twice (rectify/once.py): forms carry a key rendered into them, and
 * every POST htmx sends carries one in X-Once-Key, the same for one button until an
 * answer comes back, so a request the network lost and the user sends again, or a
 * second click while the first is on its way, is answered once. */
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

(function () {
  // crypto.randomUUID needs https; an intranet address is often plain http.
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "post") return;
    var elt = event.detail.elt;
    if (!elt.dataset.onceKey) elt.dataset.onceKey = newKey();
    event.detail.headers["X-Once-Key"] = elt.dataset.onceKey;
  });

  // An answer came (whatever it said): the next click is a new request. No answer
  // (the network failed): the same click sent again keeps its key.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status > 0 && event.detail.elt && event.detail.elt.dataset) {
      delete event.detail.elt.dataset.onceKey;
    }
  });
})();
