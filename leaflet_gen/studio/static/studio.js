// The catalogue's filters, and the live pages: the server's events (/events) swap in a leaflet's
// body or a catalogue card, rendered from the same templates as the page, once its pictures loaded.
(function () {
  "use strict";
  var body = document.body;
  var key = body.getAttribute("data-leaflet") || "";
  var seq = 0;
  function applyFilters() {
    var selects = document.querySelectorAll("[data-filter]");
    if (!selects.length) return;
    var shown = 0, cards = document.querySelectorAll(".card");
    cards.forEach(function (card) {
      var ok = true;
      selects.forEach(function (s) {
        var v = s.value, have = (card.getAttribute("data-" + s.getAttribute("data-filter")) || "").split(" ");
        if (v && have.indexOf(v) < 0) ok = false;
      });
      card.hidden = !ok;
      if (ok) shown++;
    });
    var count = document.getElementById("count");
    if (count) count.textContent = shown + " / " + cards.length + " " + count.getAttribute("data-label");
  }
  document.querySelectorAll("[data-filter]").forEach(function (s) { s.addEventListener("change", applyFilters); });
  applyFilters();
  if (!window.EventSource) return;
  var es = new EventSource("/events?" + (key ? "leaflet=" + encodeURIComponent(key) + "&" : "") + "done=" +
                           body.getAttribute("data-done"));
  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  }
  function loaded(node) {
    var imgs = Array.prototype.slice.call(node.querySelectorAll("img[data-wait]"));
    return Promise.all(imgs.map(function (img) {
      var pre = new Image();
      pre.src = img.getAttribute("src");
      return (pre.decode ? pre.decode() : Promise.resolve()).catch(function () {});
    }));
  }
  es.addEventListener("status", function (e) {
    var d = JSON.parse(e.data), banner = document.getElementById("building");
    if (banner) banner.hidden = !d.building;
    body.setAttribute("data-building", d.building ? "1" : "0");
  });
  es.addEventListener("update", function (e) {
    var d = JSON.parse(e.data), node = fragment(d.html), mine = ++seq;
    loaded(node).then(function () {
      if (mine !== seq) return;  // a newer update arrived while this one's pictures loaded
      var old = document.getElementById("live");
      old.querySelectorAll("details[open][id]").forEach(function (d) {  // keep what the reader opened
        var same = node.querySelector("#" + d.id);
        if (same) same.open = true;
      });
      old.replaceWith(node);
      body.setAttribute("data-gen", d.gen);
      body.setAttribute("data-shown", String(Date.now()));
    });
  });
  es.addEventListener("card", function (e) {
    var d = JSON.parse(e.data), node = fragment(d.html), old = document.getElementById(d.id);
    loaded(node).then(function () {
      if (old && old.parentNode) old.replaceWith(node);
      applyFilters();
    });
  });
  es.addEventListener("catalogue", function () { window.location.reload(); });
})();
