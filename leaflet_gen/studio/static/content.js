// The content desk's script (templates/content_*.html). The topic page: the reviewer's name,
// remembered in this browser. The section editor: the section as a form made from its values; as
// it is typed, the form as it stands goes to the server (/check: what `leaflet-gen check` says;
// /preview: the leaflet with the unsaved text) and what comes back is shown. No rule lives here.
(function () {
  "use strict";
  var NAME_KEY = "leaflet-studio-name";

  function remembered() {
    try { return window.localStorage.getItem(NAME_KEY) || ""; } catch { return ""; }
  }
  function remember(name) {
    try { window.localStorage.setItem(NAME_KEY, name); } catch { /* private mode: typed each time */ }
  }
  document.querySelectorAll("[data-remember-name]").forEach(function (input) {
    if (!input.value) input.value = remembered();
    input.addEventListener("change", function () { remember(input.value.trim()); });
    if (input.form) input.form.addEventListener("submit", function () { remember(input.value.trim()); });
  });

  var root = document.getElementById("section-editor");
  if (!root) return;
  var form = document.getElementById("section-form");
  var blocksBox = document.getElementById("blocks");
  var T = JSON.parse(document.getElementById("section-labels").textContent);
  var CLAIMS = JSON.parse(document.getElementById("section-claims").textContent);
  var ICONS = JSON.parse(document.getElementById("section-icons").textContent);
  var state = JSON.parse(document.getElementById("section-values").textContent);
  var csrf = root.getAttribute("data-csrf");
  var base = "/content/" + root.getAttribute("data-topic") + "/" + root.getAttribute("data-section");
  var version = root.getAttribute("data-version");
  var leaflet = "";
  var DEBOUNCE_MS = 150;
  var timer = null, checking = false, checkAgain = false, previewing = null;
  var lastPreview = "", pendingKey = "";
  var WITH = {  // which fields each block type has (content/schema/section.py; the server checks them)
    paragraph: ["claims", "text"], list: ["title", "icon", "claims", "items"], summary: ["title", "claims", "items"],
    infobox: ["title", "claims", "text", "items"], tip: ["title", "claims", "text"], links: ["title", "claims", "links"],
    notes: ["title", "claims", "text", "lines"]
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function post(url, body, signal) {
    return fetch(url, {method: "POST", credentials: "same-origin", body: JSON.stringify(body), signal: signal,
                       headers: {"X-CSRF-Token": csrf, "Content-Type": "application/json"}}).then(function (r) {
      var type = r.headers.get("content-type") || "";
      return type.indexOf("json") >= 0 ? r.json() : r.text().then(function (t) { return {ok: false, message: t}; });
    });
  }
  // This page's previews: a newer one makes the server give up the one still being rendered.
  var stream = Math.random().toString(36).slice(2) + Date.now().toString(36);
  function draft() {
    return {values: state, version: version, leaflet: leaflet, by: document.getElementById("s-by").value.trim(),
            stream: stream};
  }

  // --- the form, made from the values ---
  function field(label, input) {
    var wrap = el("label", {"class": "field"});
    wrap.appendChild(el("span", {"class": "name"}, label));
    wrap.appendChild(input);
    return wrap;
  }
  function bound(input, get, set) {
    input.value = get();
    input.addEventListener("input", function () { set(input.value); changed(); });
    return input;
  }
  function textarea(get, set, rows) {
    return bound(el("textarea", {rows: String(rows || 3), spellcheck: "true", lang: "nl"}), get, set);
  }
  function button(text, cls, action) {
    var b = el("button", {type: "button", "class": cls || "secondary small"}, text);
    b.addEventListener("click", function () { action(); render(); changed(); });
    return b;
  }
  function claimList(block) {
    var box = el("div", {"class": "block-claims"});
    (block.claims || []).forEach(function (id) {
      var c = CLAIMS[id], card = el("div", {"class": "claim" + (c ? "" : " unknown"), "data-claim": id});
      card.appendChild(el("strong", {}, id));
      if (!c) { card.appendChild(el("span", {"class": "kind"}, " · " + T.block_claim_unknown)); box.appendChild(card); return; }
      card.appendChild(el("span", {"class": "kind"}, " · " + c.kind));
      card.appendChild(el("p", {"class": "statement"}, c.statement));
      if (c.strength.length) card.appendChild(el("p", {}, T.claim_strength + ": " + c.strength.join(", ")));
      if (c.numbers.length) card.appendChild(el("p", {}, c.numbers.join(" · ")));
      card.appendChild(el("p", {"class": "source"}, T.claim_source + ": " + c.source));
      box.appendChild(card);
    });
    return box;
  }
  function itemsEditor(block, links) {
    var box = el("div", {"class": "items"});
    block.items = block.items || [];
    block.items.forEach(function (item, j) {
      var row = el("div", {"class": "item"});
      if (links) {
        row.appendChild(bound(el("input", {type: "text", "aria-label": T.block_link_label, placeholder: T.block_link_label}),
          function () { return item.label; }, function (v) { item.label = v; }));
        row.appendChild(bound(el("input", {type: "text", "aria-label": T.block_link_url, placeholder: T.block_link_url, spellcheck: "false"}),
          function () { return item.url; }, function (v) { item.url = v; }));
      } else {
        row.appendChild(textarea(function () { return block.items[j]; }, function (v) { block.items[j] = v; }, 2));
      }
      row.appendChild(button("↑", "secondary small", function () { move(block.items, j, -1); }));
      row.appendChild(button("✕", "secondary small", function () { block.items.splice(j, 1); }));
      row.lastChild.setAttribute("aria-label", T.item_remove);
      box.appendChild(row);
    });
    box.appendChild(button(links ? T.link_add : T.item_add, "secondary small add-item", function () {
      block.items.push(links ? {label: "", url: ""} : "");
    }));
    return box;
  }
  function move(list, i, by) {
    var j = i + by;
    if (j < 0 || j >= list.length) return;
    var x = list[i]; list[i] = list[j]; list[j] = x;
  }
  function blockForm(block, i) {
    var box = el("fieldset", {"class": "block panelbox", "data-block": String(i), "data-type": block.type});
    var legend = el("legend", {}, (T.block_type[block.type] || block.type) + " " + (i + 1));
    box.appendChild(legend);
    var tools = el("div", {"class": "block-tools"});
    tools.appendChild(button("↑ " + T.block_up, "secondary small", function () { move(state.blocks, i, -1); }));
    tools.appendChild(button("↓ " + T.block_down, "secondary small", function () { move(state.blocks, i, 1); }));
    tools.appendChild(button("✕ " + T.block_remove, "secondary small danger", function () { state.blocks.splice(i, 1); }));
    box.appendChild(tools);
    var main = el("div", {"class": "block-main"});
    if (block.keep) {
      main.appendChild(el("p", {"class": "hint"}, T.block_kept));
    } else {
      var has = WITH[block.type] || [];
      if (has.indexOf("title") >= 0) {
        main.appendChild(field(T.block_title, bound(el("input", {type: "text"}),
          function () { return block.title || ""; }, function (v) { block.title = v; })));
      }
      if (has.indexOf("icon") >= 0) {
        var select = el("select");
        select.appendChild(el("option", {value: ""}, T.block_icon_none));
        ICONS.forEach(function (name) { select.appendChild(el("option", {value: name}, name)); });
        select.value = block.icon || "";
        select.addEventListener("change", function () { block.icon = select.value; changed(); });
        main.appendChild(field(T.block_icon, select));
      }
      if (has.indexOf("text") >= 0) {
        main.appendChild(field(T.block_text, textarea(function () { return block.text || ""; },
          function (v) { block.text = v; }, block.type === "paragraph" ? 4 : 3)));
      }
      if (has.indexOf("items") >= 0 || has.indexOf("links") >= 0) {
        var wrap = el("div", {"class": "field"});
        wrap.appendChild(el("span", {"class": "name"}, T.block_items));
        wrap.appendChild(itemsEditor(block, has.indexOf("links") >= 0));
        main.appendChild(wrap);
      }
      if (has.indexOf("lines") >= 0) {
        main.appendChild(field(T.block_lines, bound(el("input", {type: "number", min: "1", max: "30"}),
          function () { return block.lines || "8"; }, function (v) { block.lines = v; })));
      }
      var claims = bound(el("input", {type: "text", spellcheck: "false", placeholder: T.block_claims_help}),
        function () { return (block.claims || []).join(", "); },
        function (v) { block.claims = v.split(",").map(function (s) { return s.trim(); }).filter(Boolean); });
      claims.addEventListener("change", function () { render(); });
      main.appendChild(field(T.block_claims, claims));
    }
    main.appendChild(el("p", {"class": "msg", "data-problems": String(i)}));
    main.appendChild(el("ul", {"class": "findings", "data-findings": String(i)}));
    box.appendChild(main);
    box.appendChild(claimList(block));
    return box;
  }
  function render() {
    blocksBox.textContent = "";
    state.blocks.forEach(function (block, i) { blocksBox.appendChild(blockForm(block, i)); });
    if (lastCheck) showCheck(lastCheck);
  }

  // --- what the server says ---
  var lastCheck = null;
  function showCheck(r) {
    lastCheck = r;
    form.querySelectorAll("[data-problems]").forEach(function (p) {
      var key = p.getAttribute("data-problems"), list = (r.problems || {})[key] || [];
      p.textContent = list.join(" ");
      var block = p.closest(".block");
      if (block) block.classList.toggle("bad", list.length > 0);
    });
    form.querySelectorAll("[data-findings]").forEach(function (ul) {
      ul.textContent = "";
      ((r.findings || {})[ul.getAttribute("data-findings")] || []).forEach(function (m) { ul.appendChild(el("li", {}, m)); });
    });
    var top = form.querySelector("[data-problems='']");
    if (r.changed_on_disk) top.textContent = T.content_changed_on_disk + " " + top.textContent;
    document.getElementById("stats").textContent = r.stats || "";
    document.body.setAttribute("data-checked", String(Date.now()));  // when (the benchmark's stamp)
  }
  var lastChecked = "";
  function check() {
    if (checking) { checkAgain = true; return; }
    var d = draft(), key = JSON.stringify(d.values);
    if (key === lastChecked) return;
    checking = true;
    lastChecked = key;
    post(base + "/check", d).then(function (r) {
      showCheck(r);
      document.body.setAttribute("data-checked-of", key);  // what it checked (the benchmark waits for it)
    }).catch(function () {}).then(function () {
      checking = false;
      if (checkAgain) { checkAgain = false; check(); }
    });
  }
  function showPictures(r) {
    var box = document.getElementById("preview-pics");
    var figs = r.pictures.map(function (p) {
      var fig = el("figure"), img = new Image();
      img.src = p.url; img.alt = p.caption;
      fig.appendChild(img); fig.appendChild(el("figcaption", {}, p.caption));
      return fig;
    });
    return window.showDecoded(box, figs).then(function () {
      var fit = document.getElementById("preview-fit");
      fit.textContent = "";
      r.fit.forEach(function (f) {
        fit.appendChild(el("span", {"class": "fit-chip" + (f.left !== null && f.left < 5 ? " tight" : "")}, f.label + ": " + f.text));
      });
    });
  }
  function fillLeaflets(r) {
    var select = document.getElementById("preview-leaflet");
    select.textContent = "";
    r.leaflets.forEach(function (l) { select.appendChild(el("option", {value: l.value}, l.label)); });
    select.value = r.leaflet;
    leaflet = r.leaflet;
    document.getElementById("preview-choice").hidden = r.leaflets.length < 2;
  }
  function preview() {
    var d = draft(), key = JSON.stringify([d.values, d.leaflet]), sent = JSON.stringify(d.values);
    if (key === lastPreview || key === pendingKey) return;
    // One under way shows a text already out of date: the server gives it up (same stream) and
    // renders this one at once, instead of after it.
    if (previewing) previewing.abort();
    var mine = previewing = new AbortController();
    pendingKey = key;
    var box = document.getElementById("preview");
    document.getElementById("preview-busy").textContent = T.preview_busy;
    post(base + "/preview", d, mine.signal).then(function (r) {
      if (r.superseded || mine !== previewing) return;
      var msg = document.getElementById("preview-msg");
      lastPreview = key;
      if (!r.ok) {
        box.classList.add("stale");
        msg.textContent = (r.message || "") + (r.problems && r.problems.length ? " " + r.problems.join(" ") : "");
        return;
      }
      msg.textContent = "";
      fillLeaflets(r);
      return showPictures(r).then(function () {
        if (mine !== previewing) return;
        box.classList.remove("stale");
        document.body.setAttribute("data-preview-text", r.text);
        document.body.setAttribute("data-preview-count", String(+(document.body.getAttribute("data-preview-count") || 0) + 1));
      });
    }).catch(function () {}).then(function () {
      if (mine !== previewing) return;
      previewing = null;
      pendingKey = "";
      document.getElementById("preview-busy").textContent = "";
      // The language check after the pictures (before them it would slow the render and the
      // pictures' own requests down), and not of a text typed on since: its preview comes first.
      if (JSON.stringify(state) === sent) check();
    });
  }
  function changed() {
    document.body.setAttribute("data-typed", String(Date.now()));
    clearTimeout(timer);
    timer = setTimeout(preview, DEBOUNCE_MS);
  }
  function status(text, cls) {
    var s = document.getElementById("save-status");
    s.textContent = text || ""; s.className = "status " + (cls || "");
  }

  var title = document.getElementById("s-title"), keep = document.getElementById("s-keep");
  bound(title, function () { return state.title || ""; }, function (v) { state.title = v; });
  keep.checked = !!state.keep_together;
  keep.addEventListener("change", function () { state.keep_together = keep.checked; changed(); });
  document.getElementById("preview-leaflet").addEventListener("change", function (e) { leaflet = e.target.value; preview(); });
  form.querySelectorAll("[data-add]").forEach(function (b) {
    b.addEventListener("click", function () {
      var type = b.getAttribute("data-add");
      var block = {origin: null, type: type, title: "", text: "", icon: "", lines: "8", claims: [], items: []};
      if (WITH[type].indexOf("items") >= 0) block.items = [""];
      if (WITH[type].indexOf("links") >= 0) block.items = [{label: "", url: ""}];
      state.blocks.push(block);
      render(); changed();
      var added = blocksBox.lastChild.querySelector("input, textarea");
      if (added) added.focus();
    });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    status(T.saving, "");
    post(base + "/save", draft()).then(function (r) {
      if (!r.ok) {
        status(r.message, "bad");
        if (r.problems && Object.keys(r.problems).length) showCheck({problems: r.problems, findings: (lastCheck || {}).findings});
        return;
      }
      version = r.version;
      state = r.values;  // the blocks now have their place in the file
      render();
      status(r.message, "ok");
      document.body.setAttribute("data-saved", String(Date.now()));
    });
  });
  render();
  check();
  preview();
})();
