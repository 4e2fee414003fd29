// A leaflet page's sheets open large (templates/leaflet.html's <dialog>): a click, a tap, or Enter
// or Space on the sheet's button. Esc, the close button or a click beside the picture closes it,
// and the focus goes back to the sheet it came from (its button, also after a live update).
(function () {
  "use strict";
  var dialog = document.getElementById("zoom");
  if (!dialog || !dialog.showModal) return;
  var img = document.getElementById("zoom-img");
  var caption = document.getElementById("zoom-caption");
  var opener = "";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button.zoom");
    if (!button) return;
    var small = button.querySelector("img");
    opener = button.getAttribute("data-zoom");
    var src = small.getAttribute("src"), name = opener, big = new Image();
    img.src = src;  // at once; the large drawing replaces it when it has loaded
    big.onload = function () { if (dialog.open && opener === name) img.src = big.src; };
    big.src = src.replace(/\.png$/, "-large.png");
    img.alt = small.getAttribute("alt");
    caption.textContent = small.getAttribute("alt");
    dialog.showModal();
    document.getElementById("zoom-close").focus();
  });
  document.getElementById("zoom-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });  // the backdrop
  dialog.addEventListener("close", function () {
    var back = document.querySelector("button.zoom[data-zoom='" + opener + "']");
    if (back) back.focus();
  });
})();
