// The catalogue's filters, and the live pages: the server's events (/events) swap in a leaflet's
// body or a catalogue card, rendered from the same templates as the page, once its pictures loaded.
// The filters live in the address (/?practice=...&state=...): the server shows the same cards on a
// reload or Back; the catalogue's last address is kept for the "← Catalogus" links of other pages.
(function () {
  "use strict";
  var body = document.body;
  var key = body.getAttribute("data-leaflet") || "";
  var seq = 0;
  var KEPT = "leaflet-studio-catalogue";
  document.documentElement.classList.add("js");
  function keep(search) {
    try { window.sessionStorage.setItem(KEPT, search); } catch { /* storage off: plain "/" links */ }
  }
  function kept() {
    try { return window.sessionStorage.getItem(KEPT) || ""; } catch { return ""; }
  }
  function announce(text) {
    var region = document.getElementById("announce");
    if (region) region.textContent = text;
  }
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
  function filtersChanged() {
    var params = new URLSearchParams();
    document.querySelectorAll("[data-filter]").forEach(function (s) {
      if (s.value) params.set(s.getAttribute("data-filter"), s.value);
    });
    var search = params.toString() ? "?" + params.toString() : "";
    window.history.replaceState(null, "", "/" + search);
    keep(search);
    applyFilters();
  }
  var selects = document.querySelectorAll("[data-filter]");
  if (selects.length) {
    selects.forEach(function (s) { s.addEventListener("change", filtersChanged); });
    keep(window.location.search);
    applyFilters();
  } else {
    var search = kept();
    document.querySelectorAll("a[data-catalogue]").forEach(function (a) { a.setAttribute("href", "/" + search); });
  }
  if (!window.EventSource || !(key || document.querySelector(".cards"))) return;
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
  function badges(node) {
    return Array.prototype.map.call(node.querySelectorAll(".badge"), function (b) { return b.textContent; }).join(", ");
  }
  es.addEventListener("status", function (e) {
    var d = JSON.parse(e.data), banner = document.getElementById("building");
    if (banner) {
      if (d.building && banner.hidden) announce(banner.textContent);
      banner.hidden = !d.building;
    }
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
      var region = document.getElementById("announce");
      if (region) announce(region.getAttribute("data-updated") + ": " + badges(node.querySelector(".intro") || node));
    });
  });
  es.addEventListener("card", function (e) {
    var d = JSON.parse(e.data), node = fragment(d.html), old = document.getElementById(d.id);
    loaded(node).then(function () {
      if (old && old.parentNode) old.replaceWith(node);
      applyFilters();
      if (!node.hidden) announce(node.getAttribute("data-name") + ": " + badges(node));
    });
  });
  es.addEventListener("catalogue", function () { window.location.reload(); });
})();
