/* The register's paste box counts as it is filled: lines, characters, and the lines
 * longer than one entry may be, against the limits the page states, so a paste too big
 * is split before it is sent instead of refused after. */
(function () {
  var box = document.getElementById("id_text");
  var count = document.getElementById("paste-count");
  var submit = document.getElementById("paste-submit");
  if (!box || !count) return;
  var maxLines = Number(box.dataset.maxLines);
  var maxChars = Number(box.dataset.maxChars);
  var maxEntry = Number(box.dataset.maxEntry);

  function update() {
    var text = box.value.replace(/\r\n?/g, "\n");
    var lines = text.split("\n").filter(function (line) { return line.trim(); });
    var long = lines.filter(function (line) { return line.trim().length > maxEntry; }).length;
    var over = lines.length > maxLines || text.length > maxChars;
    if (!text.trim()) { count.textContent = ""; submit.disabled = false; return; }
    var said = "已填 " + lines.length + " 行、" + text.length + " 字";
    if (long) said += "；其中 " + long + " 行超过 " + maxEntry + " 字，将不登记";
    if (over) said += "。超过一次粘贴的上限，请分几次粘贴";
    count.textContent = said + "。";
    count.classList.toggle("text-danger", over);
    submit.disabled = over;
  }
  box.addEventListener("input", update);
  update();
})();
