// The practice editor's script (templates/editor.html). It holds no rule about a practice: it sends
// the form as it stands to the server (/practices/check, /practices/preview) and shows what comes
// back. One request at a time per kind; a change made while one runs is sent when it returns (the
// newest form always wins, and the render processes never queue up stale previews).
(function () {
  "use strict";
  var root = document.getElementById("editor");
  if (!root) return;
  var form = document.getElementById("practice-form");
  var T = JSON.parse(document.getElementById("editor-labels").textContent);
  var csrf = root.getAttribute("data-csrf");
  var practice = root.getAttribute("data-practice");
  var version = root.getAttribute("data-version");
  var upload = "";
  var touched = {};
  var showAll = false;
  var idTyped = false;
  var DEBOUNCE_MS = 120;
  var timer = null, checking = false, checkAgain = false, previewing = null, pendingKey = "";
  var previewLeaflet = "";
  var lastPreviewKey = "";
  var statusFromCheck = false;
  var dirty = false;  // changed since the page opened or was saved: leaving asks first

  function post(url, body, headers, signal) {
    var h = {"X-CSRF-Token": csrf};
    for (var k in headers || {}) h[k] = headers[k];
    if (!(body instanceof Blob)) { h["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(url, {method: "POST", headers: h, body: body, credentials: "same-origin", signal: signal}).then(function (r) {
      var type = r.headers.get("content-type") || "";
      return (type.indexOf("json") >= 0 ? r.json() : r.text().then(function (t) { return {ok: false, message: t}; }));
    });
  }
  function values() {
    var out = {};
    form.querySelectorAll("[data-key]").forEach(function (el) {
      var key = el.getAttribute("data-key");
      if (el.hasAttribute("data-choice")) {
        out[key] = out[key] || [];
        if (el.checked) out[key].push(el.value);
      } else if (el.hasAttribute("data-index")) {
        out[key] = out[key] || ["", "", "", ""];
        out[key][+el.getAttribute("data-index")] = el.value;
      } else if (el.type === "checkbox") {
        out[key] = el.checked;
      } else if (!(key === "id" && !idTyped && !practice)) {
        out[key] = el.value;
      }
    });
    out._leaflet = previewLeaflet;
    return out;
  }
  // This page's previews: a newer one makes the server give up the one still being rendered.
  var stream = Math.random().toString(36).slice(2) + Date.now().toString(36);
  function draft(extra) {
    var d = {values: values(), practice: practice, upload: upload, version: version, stream: stream};
    for (var k in extra || {}) d[k] = extra[k];
    return d;
  }
  function showProblems(problems) {
    var bad = 0;
    form.querySelectorAll("[data-msg]").forEach(function (p) {
      var key = p.getAttribute("data-msg"), list = problems[key] || [];
      // The id made from the name is taken: said as the name is typed, not only when the id is.
      var shown = (showAll || touched[key] || key === "" || (key === "id" && touched.name)) ? list : [];
      p.textContent = shown.join(" ");
      var field = p.closest(".field");
      if (field) field.classList.toggle("bad", shown.length > 0);
      if (list.length) bad++;
    });
    return bad;
  }
  function showColours(colours) {
    form.querySelectorAll("[data-facts]").forEach(function (ul) {
      var key = ul.getAttribute("data-facts"), role = key.split(".")[1], c = colours[role];
      var swatch = form.querySelector("[data-swatch='" + key + "']");
      ul.textContent = ""; swatch.textContent = "";
      if (!c) return;
      var picker = form.querySelector("[data-picker='" + key + "']");
      if (picker && c.default) picker.value = c.colour.toLowerCase();  // shows the colour used instead
      c.lines.forEach(function (line) { var li = document.createElement("li"); li.textContent = line; ul.appendChild(li); });
      c.warnings.forEach(function (line) {
        var li = document.createElement("li"); li.className = "warn"; li.textContent = line; ul.appendChild(li);
      });
      var on = document.createElement("span");
      on.className = "swatch"; on.style.background = c.colour; on.style.color = c.text_on;
      on.textContent = T.text_sample + " " + String(c.contrast).replace(".", ",") + ":1";
      swatch.appendChild(on);
      if (role === "primary") {
        var head = document.createElement("span");
        head.className = "swatch"; head.style.background = "#fff"; head.style.color = c.heading;
        head.textContent = T.heading_sample + " " + c.heading;
        swatch.appendChild(head);
      }
    });
  }
  function status(text, cls) {
    var s = document.getElementById("save-status");
    s.textContent = text || ""; s.className = "status " + (cls || "");
  }
  function showCompleted(completed) {
    form.querySelectorAll("[data-completed]").forEach(function (p) { p.textContent = ""; });
    Object.keys(completed || {}).forEach(function (key) {
      var hint = form.querySelector("[data-completed='" + key + "']");
      if (hint) hint.textContent = T.completed.replace("{url}", completed[key]);
    });
  }
  function firstProblemIntoView() {
    var field = form.querySelector(".field.bad");
    if (!field) return;
    var input = field.querySelector("input, select, textarea");
    field.scrollIntoView({block: "start"});  // below the fixed header: html's scroll-padding-top
    if (input) input.focus({preventScroll: true});
  }
  function check() {
    preview();  // side by side with the check: the server checks the draft again before rendering it
    if (checking) { checkAgain = true; return; }
    checking = true;
    post("/practices/check", draft()).then(function (r) {
      var bad = showProblems(r.problems || {});
      showColours(r.colours || {});
      showCompleted(r.completed);
      var idField = document.getElementById("f-id");
      if (idField && !practice && !idTyped && r.id !== undefined) idField.value = r.id;
      // Field counts replace field counts only: a refused save's message stays until the next save.
      if (showAll && bad) { status(T.fix_fields[bad === 1 ? 0 : 1].replace("%(n)s", bad), "bad"); statusFromCheck = true; }
      else if (statusFromCheck) { status("", ""); statusFromCheck = false; }
      if (r.id !== undefined) preview();  // the id it made from the name is in the form now
    }).catch(function () {}).then(function () {
      checking = false;
      if (checkAgain) { checkAgain = false; check(); }
    });
  }
  function setPictures(box, pictures) {
    var names = Object.keys(pictures);
    var figs = names.map(function (name) {
      var fig = document.createElement("figure"), img = new Image(), cap = document.createElement("figcaption");
      img.src = pictures[name]; img.alt = T.preview_names[name] || name; img.setAttribute("data-preview", name);
      cap.textContent = T.preview_names[name] || name;
      fig.appendChild(img); fig.appendChild(cap);
      return fig;
    });
    return window.showDecoded(box, figs);
  }
  function fillLeaflets(r) {
    var select = document.getElementById("preview-leaflet");
    var want = JSON.stringify(r.leaflets);
    if (select.getAttribute("data-list") !== want) {
      select.textContent = "";
      r.leaflets.forEach(function (l) {
        var o = document.createElement("option"); o.value = l.value; o.textContent = l.label; select.appendChild(o);
      });
      select.setAttribute("data-list", want);
    }
    select.value = r.leaflet;
    document.getElementById("preview-choice").hidden = false;
    previewLeaflet = r.leaflet;
  }
  function preview(whole) {
    var d = draft(whole ? {whole: true} : {});
    var key = JSON.stringify(d);
    if (!whole && key === lastPreviewKey) return;  // nothing the leaflet shows has changed
    if (!whole && key === pendingKey) return;  // that one is under way
    // One under way shows values already out of date: the server gives it up (same stream) and
    // renders this one at once, instead of after it. The whole leaflet is a stream of its own.
    if (!whole && previewing) previewing.abort();
    var mine = new AbortController();
    if (!whole) { previewing = mine; pendingKey = key; }
    var box = document.getElementById("preview");
    document.getElementById("preview-busy").textContent = T.preview_busy;
    post("/practices/preview", d, null, mine.signal).then(function (r) {
      if (r.superseded || (!whole && mine !== previewing)) return;
      var msg = document.getElementById("preview-msg");
      if (!r.ok) {
        box.classList.add("stale");
        var text = r.message || T.preview_waits;
        if (r.problems && r.problems.length) text = T.preview_failed + " " + r.problems.join(" ") + " " + text;
        msg.textContent = text;
        lastPreviewKey = key;
        return;
      }
      fillLeaflets(r);
      msg.textContent = r.logo_placeholder ? T.preview_placeholder_logo : "";
      msg.className = r.logo_placeholder ? "hint" : "pmsg";
      lastPreviewKey = whole ? lastPreviewKey : key;
      return setPictures(document.getElementById(whole ? "preview-all" : "preview-pics"), r.pictures).then(function () {
        box.classList.remove("stale");
        if (!whole) document.getElementById("preview-all").textContent = "";  // the whole leaflet is older now
        document.body.setAttribute("data-preview-shown", String(Date.now()));
        if (!whole) document.body.setAttribute("data-preview-of", JSON.stringify(d.values));  // what it shows
        if (r.seconds) document.body.setAttribute("data-preview-seconds", JSON.stringify(r.seconds));
        document.body.setAttribute("data-preview-count", String(+(document.body.getAttribute("data-preview-count") || 0) + 1));
      });
    }).catch(function () {}).then(function () {
      if (!whole && mine !== previewing) return;
      if (!whole) { previewing = null; pendingKey = ""; }
      document.getElementById("preview-busy").textContent = "";
    });
  }
  function changed(el) {
    var key = el.getAttribute("data-key") || el.getAttribute("data-picker");
    if (key) touched[key] = true;
    dirty = true;
    if (key === "id") idTyped = el.value.trim() !== "";
    document.body.setAttribute("data-typed", String(Date.now()));
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  }
  form.addEventListener("input", function (e) {
    var el = e.target;
    if (el.hasAttribute("data-picker")) {  // the picker writes the code into its text field
      var text = form.querySelector("[data-key='" + el.getAttribute("data-picker") + "']");
      text.value = el.value.toUpperCase();
      el = text;
    } else if (el.getAttribute("data-key") && el.getAttribute("data-key").indexOf("colours.") === 0 && !el.hasAttribute("data-index")) {
      var picker = form.querySelector("[data-picker='" + el.getAttribute("data-key") + "']");
      if (picker && /^#[0-9a-fA-F]{6}$/.test(el.value.trim())) picker.value = el.value.trim().toLowerCase();
    }
    if (el.type !== "file") changed(el);
  });
  form.addEventListener("change", function (e) {
    if (e.target.type === "checkbox") changed(e.target);
    if (e.target.getAttribute("data-key") === "languages") showLanguages();
  });
  // The practice's own words in a language are asked for while it hands out leaflets in that
  // language (its tick under Leaflets); what a hidden field holds is kept and saved as it is.
  function showLanguages() {
    var ticked = {};
    form.querySelectorAll("input[data-key='languages']").forEach(function (box) { ticked[box.value] = box.checked; });
    var fields = form.querySelectorAll("[data-field^='translations.']");
    fields.forEach(function (div) { div.hidden = !ticked[div.getAttribute("data-field").split(".")[1]]; });
    if (fields.length) {
      fields[0].closest("fieldset").hidden = !Array.prototype.some.call(fields, function (div) { return !div.hidden; });
    }
  }
  showLanguages();
  document.getElementById("preview-leaflet").addEventListener("change", function (e) {
    previewLeaflet = e.target.value; lastPreviewKey = ""; preview();
  });
  document.getElementById("preview-whole").addEventListener("click", function () { preview(true); });
  document.getElementById("logo-file").addEventListener("change", function (e) {
    var file = e.target.files[0], state = document.getElementById("logo-state");
    if (!file) return;
    touched.logo = true;
    state.textContent = T.logo_uploading; state.className = "logo-state";
    form.querySelector("[data-msg='logo']").textContent = "";  // the last file's refusal is not this one's
    post("/practices/logo", file, {"X-File-Name": encodeURIComponent(file.name), "Content-Type": "application/octet-stream"})
      .then(function (r) {
        var msg = form.querySelector("[data-msg='logo']");
        if (!r.ok) {
          state.textContent = ""; msg.textContent = r.message;
          msg.closest(".field").classList.add("bad");
          e.target.value = "";
          return;
        }
        upload = r.token;
        dirty = true;
        msg.textContent = ""; msg.closest(".field").classList.remove("bad");
        state.textContent = r.message + (r.warning ? " — " + r.warning : "");
        state.className = "logo-state " + (r.warning ? "warn" : "ok");
        check();
      });
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    showAll = true;
    status(T.saving, ""); statusFromCheck = false;
    post("/practices/save", draft()).then(function (r) {
      if (!r.ok) {
        status(r.message, "bad");
        if (r.problems && Object.keys(r.problems).length) { showProblems(r.problems); firstProblemIntoView(); }
        return;
      }
      dirty = false;
      Object.keys(r.completed || {}).forEach(function (key) {  // the address as saved, with https://
        var input = form.querySelector("[data-key='" + key + "']");
        if (input) input.value = r.completed[key];
      });
      showCompleted({});
      if (!practice) { window.location.href = r.url; return; }
      version = r.version;
      status(r.message, "ok");
    });
  });
  window.addEventListener("beforeunload", function (e) {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = "";  // the browser shows its own question
  });
  check();
})();
