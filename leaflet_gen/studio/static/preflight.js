// The preflight page (templates/preflight.html): sends the chosen PDF as it is to /preflight/check
// and shows the report the server renders; a file over the limit is refused before it is sent.
(function () {
  "use strict";
  var root = document.getElementById("preflight-page");
  if (!root) return;
  var form = document.getElementById("preflight-form");
  var input = document.getElementById("pdf-file");
  var status = document.getElementById("preflight-status");
  var result = document.getElementById("preflight-result");
  var button = document.getElementById("pdf-check");

  function say(text, cls) { status.textContent = text; status.className = "status " + (cls || ""); }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = input.files[0];
    result.innerHTML = "";
    if (!file) { say(root.getAttribute("data-choose"), "bad"); input.focus(); return; }
    if (file.size > +root.getAttribute("data-max")) { say(root.getAttribute("data-too-large"), "bad"); return; }
    say(root.getAttribute("data-busy"), "");
    button.disabled = true;
    var variant = document.getElementById("pdf-variant").value;
    fetch("/preflight/check?variant=" + encodeURIComponent(variant), {
      method: "POST", body: file, credentials: "same-origin",
      headers: {"X-CSRF-Token": root.getAttribute("data-csrf"), "X-File-Name": encodeURIComponent(file.name),
                "Content-Type": "application/octet-stream"}
    }).then(function (r) {
      var type = r.headers.get("content-type") || "";
      return type.indexOf("json") >= 0 ? r.json() : r.text().then(function (t) { return {ok: false, message: t}; });
    }).then(function (r) {
      button.disabled = false;
      if (!r.ok) { say(r.message, "bad"); return; }
      say("", "");
      result.innerHTML = r.html;
      result.focus();
    }, function () {
      button.disabled = false;
      say(root.getAttribute("data-failed"), "bad");
    });
  });
})();
