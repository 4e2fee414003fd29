"""The studio's HTML: Jinja2 templates (autoescaped) and the one script that makes pages live.

Pages are rendered from the studio's state in memory; the live parts (a leaflet's body, a
catalogue card) are the same template fragments the server pushes as server-sent events, so a
pushed update looks exactly like a reload.
"""

from __future__ import annotations

import jinja2
import markupsafe

from leaflet_gen.errors import LeafletError
from leaflet_gen.studio.labels import L, panel_name, variant_name

CSS = """
:root { --ink:#1f2933; --muted:#5f6b76; --line:#d9dde1; --bg:#f5f4f1; --ok:#1e7b45; --warn:#9a5b00;
  --bad:#b42318; --accent:#1b5e86; font-family: Lato, "Helvetica Neue", Arial, sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); font-size: 15px; line-height: 1.45; }
a { color: var(--accent); }
header.top { background: #fff; border-bottom: 1px solid var(--line); padding: 10px 24px; display: flex;
  align-items: center; gap: 16px; position: sticky; top: 0; z-index: 5; }
header.top .brand { font-weight: 700; font-size: 17px; }
header.top .crumbs { color: var(--muted); }
header.top .spacer { flex: 1; }
main { padding: 18px 24px 40px; max-width: 1500px; margin: 0 auto; }
h1 { font-size: 22px; margin: 4px 0 4px; } h2 { font-size: 17px; margin: 0 0 8px; }
.intro { color: var(--muted); margin: 0 0 14px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 0 0 16px; background: #fff;
  border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 2px; }
.filters select { font-size: 14px; padding: 4px 6px; min-width: 150px; }
.filters .count { margin-left: auto; color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; display: flex;
  flex-direction: column; }
.card .thumb { display: flex; justify-content: center; align-items: center; height: 250px;
  background: #e9e7e2; border-bottom: 1px solid var(--line); }
.card .thumb img { max-height: 234px; max-width: 90%; box-shadow: 0 1px 4px rgba(0,0,0,.25); background: #fff; }
.card .thumb .none { color: var(--muted); font-size: 13px; }
.card .body { padding: 10px 12px 12px; display: flex; flex-direction: column; gap: 6px; flex: 1; }
.card .title { font-weight: 700; font-size: 15px; }
.card .meta { color: var(--muted); font-size: 13px; }
.card .error { color: var(--bad); font-size: 12.5px; overflow-wrap: anywhere; max-height: 5.8em; overflow: hidden; }
.card .actions { margin-top: auto; display: flex; gap: 12px; font-size: 14px; }
.badges { display: flex; flex-wrap: wrap; gap: 5px; }
.badge { font-size: 12px; border-radius: 10px; padding: 1px 8px; border: 1px solid; white-space: nowrap; }
.badge.ok { color: var(--ok); border-color: #9fd3b4; background: #eefaf2; }
.badge.failed { color: #fff; border-color: var(--bad); background: var(--bad); }
.badge.concept, .badge.overdue, .badge.warnings { color: var(--warn); border-color: #f0c987; background: #fff7e8; }
.badge.pending, .badge.building { color: var(--muted); border-color: var(--line); background: #f4f4f4; }
.problems { background: #fff; border: 1px solid #f1b0aa; border-left: 5px solid var(--bad); border-radius: 8px;
  padding: 10px 14px; margin: 0 0 16px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 370px; gap: 20px; align-items: start; }
@media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
.panelbox { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 0 0 14px; }
figure { margin: 0 0 16px; }
figure img { width: 100%; height: auto; display: block; box-shadow: 0 1px 6px rgba(0,0,0,.25); background: #fff; }
figcaption { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
.sheets { position: relative; }
.sheets.outdated img { opacity: .45; filter: grayscale(.6); }
.stamp { display: none; }
.sheets.outdated .stamp { display: block; position: sticky; top: 56px; z-index: 3; margin: 0 0 10px;
  background: var(--bad); color: #fff; font-weight: 700; padding: 6px 12px; border-radius: 6px; }
.building-banner { background: #e8f1f8; color: var(--accent); border: 1px solid #b8d3e6; border-radius: 6px;
  padding: 6px 12px; margin: 0 0 10px; font-weight: 700; }
.errorbox { background: #fff; border: 1px solid #f1b0aa; border-left: 6px solid var(--bad); border-radius: 8px;
  padding: 12px 16px; margin: 0 0 14px; }
.errorbox h2 { color: var(--bad); }
.errorbox .summary { white-space: pre-wrap; margin: 0 0 6px; }
.errorbox ul { margin: 6px 0; padding-left: 18px; }
.errorbox code, .where { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px;
  background: #f3f1ee; padding: 0 4px; border-radius: 3px; }
.hint { color: var(--muted); font-size: 13px; }
.fit-row { display: grid; grid-template-columns: 112px 1fr 112px; gap: 8px; align-items: center; margin: 5px 0;
  font-size: 13.5px; }
.fit-bar { height: 12px; background: #eceae6; border-radius: 6px; overflow: hidden; }
.fit-bar span { display: block; height: 100%; background: #5b9bc4; }
.fit-row.tight .fit-bar span { background: #d79b2b; }
.fit-row.over .fit-bar span { background: var(--bad); width: 100% !important; }
.fit-row.over { color: var(--bad); font-weight: 700; }
.fit-row.stale { opacity: .45; }
.fit-row .mm { text-align: right; white-space: nowrap; }
.fit-note { color: var(--bad); font-size: 13px; margin: 4px 0 0; }
table.lint { width: 100%; border-collapse: collapse; font-size: 12.5px; }
table.lint th, table.lint td { text-align: right; padding: 2px 4px; border-bottom: 1px solid #eee; }
table.lint th:first-child, table.lint td:first-child { text-align: left; }
table.lint td.bad { color: var(--bad); font-weight: 700; }
ul.findings { padding-left: 16px; margin: 8px 0 0; font-size: 13px; }
ul.findings li { margin: 0 0 5px; }
ul.checks { list-style: none; padding: 0; margin: 0; font-size: 13px; }
ul.checks li { margin: 0 0 4px; display: grid; grid-template-columns: 48px 1fr; gap: 6px; }
.st { font-weight: 700; } .st.pass { color: var(--ok); } .st.warn { color: var(--warn); } .st.fail { color: var(--bad); }
.downloads { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.button, button { display: inline-block; background: var(--accent); color: #fff; border: 0; border-radius: 6px;
  padding: 6px 12px; font-size: 14px; text-decoration: none; cursor: pointer; font-family: inherit; }
.button.secondary, button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); }
form.inline { display: inline; margin: 0; }
details summary { cursor: pointer; font-weight: 700; margin: 0 0 8px; }
details.text { display: inline-block; margin-left: 12px; } details.text summary { font-weight: 400; margin: 0; }
.sheet-text { white-space: pre-wrap; font-size: 13px; background: #fff; border: 1px solid var(--line);
  padding: 8px 10px; max-height: 320px; overflow: auto; color: var(--ink); }
.mockups { display: flex; flex-wrap: wrap; gap: 10px; }
.mockups figure { flex: 1 1 30%; min-width: 200px; }
.mockups img { box-shadow: none; }
nav.practices { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 0 0 14px; }
.editor { display: grid; grid-template-columns: minmax(0, 1fr) 540px; gap: 24px; align-items: start; }
@media (max-width: 1150px) { .editor { grid-template-columns: 1fr; } }
.editor fieldset { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 18px 14px;
  margin: 0 0 14px; }
.editor legend { font-weight: 700; font-size: 16px; padding: 0 6px; }
.field { margin: 12px 0 0; }
.field > label.name, .field > .name { display: block; font-weight: 700; font-size: 14px; margin: 0 0 3px; }
.field input[type=text] { width: 100%; max-width: 520px; font-size: 15px; padding: 6px 9px; border: 1px solid #aab2b9;
  border-radius: 5px; font-family: inherit; }
.field input[readonly] { background: #f3f1ee; color: var(--muted); }
.field.bad input[type=text], .field.bad .cmyk input { border-color: var(--bad); background: #fff6f5; }
.field .help { color: var(--muted); font-size: 13px; margin: 3px 0 0; }
.field .msg { color: var(--bad); font-size: 13.5px; font-weight: 700; margin: 4px 0 0; }
.field .msg:empty { display: none; }
.colour-row { display: flex; gap: 10px; align-items: center; }
.colour-row input[type=text] { max-width: 130px; font-family: ui-monospace, Menlo, Consolas, monospace; }
.colour-row input[type=color] { width: 46px; height: 34px; padding: 0 2px; border: 1px solid #aab2b9; border-radius: 5px;
  background: #fff; cursor: pointer; }
.swatches { display: flex; gap: 8px; align-items: center; }
.swatch { display: inline-block; min-width: 64px; padding: 5px 10px; border-radius: 5px; font-weight: 700;
  font-size: 14px; border: 1px solid var(--line); text-align: center; }
.facts { font-size: 13.5px; margin: 6px 0 0; padding: 0; list-style: none; }
.facts li { margin: 2px 0; }
.facts li.warn { color: var(--warn); font-weight: 700; }
.facts li.warn::before { content: "⚠ "; }
.cmyk { display: flex; gap: 8px; align-items: center; }
.cmyk label { font-size: 13px; color: var(--muted); display: flex; align-items: center; gap: 3px; }
.field .cmyk input { width: 64px; font-size: 15px; padding: 5px 6px; border: 1px solid #aab2b9; border-radius: 5px; }
.checks label { display: block; margin: 3px 0; font-size: 15px; }
.logo-row { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; }
.logo-state { font-size: 13.5px; }
.logo-state.ok { color: var(--ok); font-weight: 700; }
.logo-state.warn { color: var(--warn); font-weight: 700; }
.actions-bar { position: sticky; bottom: 0; background: var(--bg); padding: 10px 0; display: flex; gap: 14px;
  align-items: center; border-top: 1px solid var(--line); }
.actions-bar button { font-size: 16px; padding: 8px 22px; }
.actions-bar .status { font-size: 14px; }
.actions-bar .status.bad { color: var(--bad); font-weight: 700; }
.actions-bar .status.ok { color: var(--ok); font-weight: 700; }
.preview { position: sticky; top: 62px; }
.preview .pics { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.preview .pics figure { margin: 0; }
.preview .pics img { box-shadow: 0 1px 6px rgba(0,0,0,.3); background: #fff; }
.preview .whole figure { margin: 12px 0 0; }
.preview.stale .pics img, .preview.stale .whole img { opacity: .4; filter: grayscale(.5); }
.preview .busy { color: var(--accent); font-weight: 700; font-size: 13.5px; min-height: 1.4em; }
.preview .pmsg { color: var(--bad); font-size: 13.5px; }
.preview .pmsg:empty { display: none; }
.preview select { font-size: 14px; padding: 3px 6px; max-width: 100%; }
.notice.bad { background: #fff3f2; border-color: #f1b0aa; color: var(--bad); font-weight: 700; }
.notice { background: #eefaf2; border: 1px solid #9fd3b4; padding: 6px 12px; border-radius: 6px; margin: 0 0 12px; }
"""

JS = r"""
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
"""

TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ L.app }}{% endblock %}</title><style>{{ css }}</style></head>
<body data-leaflet="{{ leaflet_key or '' }}" data-gen="{{ gen or 0 }}" data-done="{{ done or '' }}">
<header class="top"><span class="brand">{{ L.app }}</span><span class="crumbs">{% block crumbs %}{% endblock %}</span>
<span class="spacer"></span>{% if read_only %}<span class="hint">{{ L.read_only }}</span>{% endif %}</header>
<main>{% block main %}{% endblock %}</main>
{% block scripts %}<script src="/studio.js"></script>{% endblock %}</body></html>""",

    "catalogue.html": """{% extends "base.html" %}
{% block title %}{{ L.catalogue }} – {{ L.app }}{% endblock %}
{% block crumbs %}{{ L.catalogue }}{% endblock %}
{% block main %}
<h1>{{ L.catalogue }}</h1><p class="intro">{{ L.catalogue_intro }}</p>
{% if not read_only %}<nav class="practices" id="practices"><strong>{{ L.practices }}:</strong>
{% for p in practice_ids %}<a href="/practices/{{ p }}" data-edit="{{ p }}">{{ p }}</a>{% endfor %}
<a class="button secondary" href="/practices/new" id="new-practice">+ {{ L.new_practice }}</a></nav>{% endif %}
{% if problems %}<div class="problems"><h2>{{ L.project_problems }}</h2>{% for p in problems %}
{% include "failure.html" with context %}{% endfor %}</div>{% endif %}
<div class="filters">
{% for name, label, values in filters %}<label>{{ label }}<select data-filter="{{ name }}">
<option value="">{{ L.filter_all }}</option>{% for value, text in values %}<option value="{{ value }}">{{ text }}</option>{% endfor %}
</select></label>{% endfor %}
<span class="count" id="count" data-label="{{ L.shown }}"></span></div>
<div class="cards">{% for e in entries %}{% include "card.html" %}{% endfor %}</div>
{% endblock %}""",

    "card.html": """<article class="card" id="{{ card_id(e) }}" data-practice="{{ e.lid.practice }}" data-topic="{{ e.lid.topic }}"
 data-audience="{{ e.lid.audience }}" data-variant="{{ e.lid.variant }}" data-state="{{ states(e)|map(attribute=0)|join(' ') }}">
<a class="thumb" href="{{ url(e) }}">{% if e.good %}<img data-wait src="{{ url(e) }}/pictures/{{ e.good.gen }}/thumb.png" alt="{{ L.open }}">
{% else %}<span class="none">{{ L.state_building if e.building else L.state_pending if e.pending else L.no_picture }}</span>{% endif %}</a>
<div class="body"><div class="title">{{ e.title }}</div>
<div class="meta">{{ e.lid.practice }} · {{ audience_name(e.lid.audience) }} · {{ variant_name(e.lid.variant) }}</div>
<div class="badges">{% for cls, text in states(e) %}<span class="badge {{ cls }}">{{ text }}</span>{% endfor %}</div>
{% if e.failure %}<div class="error">{{ first_error(e.failure) }}</div>{% endif %}
<div class="actions"><a href="{{ url(e) }}">{{ L.open }}</a>{% if e.good %}<a href="{{ url(e) }}/pdf">{{ L.pdf }}</a>{% endif %}</div>
</div></article>""",

    "failure.html": """<div class="failure">{% set f = p.failure %}{% if p.practice %}<p><strong>{{ p.practice }} · {{ variant_name(p.variant) }}</strong></p>{% endif %}
{% if f.bug %}<p>{{ L.error_bug }}</p>{% endif %}
{% if f.problems %}<ul>{% for x in f.problems %}<li>{% if x.where %}<code>{{ x.where }}</code> {% endif %}{% if x.key %}<strong>{{ x.key }}</strong>: {% endif %}{{ x.message }}</li>{% endfor %}</ul>{% endif %}
<p class="summary">{{ f.summary }}</p></div>""",

    "leaflet.html": """{% extends "base.html" %}
{% block title %}{{ title }} – {{ L.app }}{% endblock %}
{% block crumbs %}<a href="/">{{ L.back }}</a>{% endblock %}
{% block main %}{% include "live.html" %}{% endblock %}""",

    "live.html": """<div id="live">
<h1>{{ title }}</h1>
<p class="intro">{{ e.lid.practice }} · {{ audience_name(e.lid.audience) }} · {{ variant_name(e.lid.variant) }}
&nbsp;<span class="badges" style="display:inline-flex">{% for cls, text in states(e) %}<span class="badge {{ cls }}">{{ text }}</span>{% endfor %}</span></p>
{% if notice %}<p class="notice">{{ notice }}</p>{% endif %}
<div class="building-banner" id="building" {% if not e.building and not e.pending %}hidden{% endif %}>{{ L.building }}</div>
<div class="layout"><div>
{% if e.failure %}<div class="errorbox" id="error"><h2>{{ L.error_title }}</h2>{% set p = {'failure': e.failure, 'practice': ''} %}{% include "failure.html" %}
{% if e.failure.overflow %}<p><strong>{{ panel_label(e.failure.overflow.panel) }}: {{ '%.0f'|format(e.failure.overflow.mm) }} {{ L.fit_over }}</strong>
{% if e.failure.overflow.section %} – {{ L.fit_from_section }} “{{ e.failure.overflow.section }}”{% if e.failure.overflow.file %} (<code>{{ e.failure.overflow.file }}</code>){% endif %}{% endif %}</p>{% endif %}
<p class="hint">{{ L.fix_hint }}</p></div>{% endif %}
<section class="sheets {% if e.outdated %}outdated{% endif %}" id="sheets">
<div class="stamp">{{ L.outdated }}</div>
{% if e.good %}{% for name, caption in pictures %}<figure><img data-wait src="{{ url(e) }}/pictures/{{ e.good.since.get(name, e.good.gen) }}/{{ name }}.png" alt="{{ caption }}" data-picture="{{ name }}"><figcaption>{{ caption }}
<details class="text" id="text-{{ name }}"><summary>{{ L.sheet_text }}</summary><div class="sheet-text" data-text="{{ name }}">{{ e.good.texts.get(name, '') }}</div></details></figcaption></figure>{% endfor %}
{% if e.good.built.geometry.panels %}<details id="mockups"><summary>{{ L.mockups }}</summary><div class="mockups">
{% for name, caption in mockups %}<figure><img loading="lazy" src="{{ url(e) }}/pictures/{{ e.good.gen }}/{{ name }}.png" alt="{{ caption }}"><figcaption>{{ caption }}</figcaption></figure>{% endfor %}
</div></details>{% endif %}
{% else %}<p class="hint">{{ L.state_building if (e.building or e.pending) else L.no_picture }}</p>{% endif %}
</section></div>
<aside>
<div class="panelbox downloads">{% if e.good %}<a class="button" href="{{ url(e) }}/pdf">{{ L.download_pdf }}</a>
{% if e.good.built.job_sheet %}<a class="button secondary" href="{{ url(e) }}/job-sheet">{{ L.download_job_sheet }}</a>{% endif %}{% endif %}
<form class="inline" method="post" action="{{ url(e) }}/rebuild"><input type="hidden" name="csrf_token" value="{{ csrf }}"><button class="secondary" type="submit">{{ L.rebuild }}</button></form>
{% if not read_only and e.good %}<form class="inline" method="post" action="{{ url(e) }}/save"><input type="hidden" name="csrf_token" value="{{ csrf }}"><button class="secondary" type="submit">{{ L.save }}</button></form>{% endif %}
</div>
<div class="panelbox" id="fit"><h2>{{ L.fit }}</h2>{% if fit is none %}<p class="hint">{{ L.fit_flowing }}{% if e.good %} ({{ e.good.built.pages }} {{ L.fit_pages }}){% endif %}</p>
{% else %}{% for row in fit %}<div class="fit-row {{ row.cls }}" data-panel="{{ row.id }}"><span>{{ row.label }}</span>
<span class="fit-bar"><span style="width: {{ row.used }}%"></span></span><span class="mm">{{ row.text }}</span></div>{% endfor %}
{% if e.failure and e.failure.overflow %}<p class="fit-note">{{ panel_label(e.failure.overflow.panel) }}: {{ '%.0f'|format(e.failure.overflow.mm) }} {{ L.fit_over }}{% if e.failure.overflow.section %}, {{ L.fit_from_section }} “{{ e.failure.overflow.section }}”{% endif %}</p>{% endif %}{% endif %}</div>
<div class="panelbox" id="lint"><h2>{{ L.lint }}</h2>{% if e.facts %}
<table class="lint"><tr><th>{{ L.lint_section }}</th><th>{{ L.lint_sentences }}</th><th>{{ L.lint_average }}</th><th>{{ L.lint_longest }}</th><th>{{ L.lint_flesch }}</th></tr>
{% for r in e.facts.lint %}<tr><td title="{{ r.file }}">{{ r.section }}</td><td>{{ r.sentences }}</td><td class="{{ 'bad' if r.average >= 12 else '' }}">{{ r.average }}</td><td class="{{ 'bad' if r.longest > 20 else '' }}">{{ r.longest }}</td><td>{{ r.flesch_douma }}</td></tr>{% endfor %}</table>
{% if e.facts.findings or e.facts.governance %}<ul class="findings">{% for x in e.facts.governance + e.facts.findings %}<li>{% if x.where %}<span class="where">{{ x.where }}</span> {% endif %}{{ x.message }}</li>{% endfor %}</ul>
{% else %}<p class="hint">{{ L.lint_none }}</p>{% endif %}{% endif %}</div>
<div class="panelbox" id="preflight"><h2>{{ L.preflight }}</h2>{% if e.good and e.good.built.preflight %}<ul class="checks">
{% for c in e.good.built.preflight %}<li><span class="st {{ c.status }}">{{ L[c.status] }}</span><span><strong>{{ c.name }}</strong>: {{ c.detail }}</span></li>{% endfor %}</ul>
{% elif e.good and e.good.checked %}<p class="hint">{{ L.preflight_none }}</p>{% endif %}</div>
{% if e.good and e.good.built.warnings %}<div class="panelbox"><h2>{{ L.warnings }}</h2><ul class="findings">{% for x in e.good.built.warnings %}<li>{% if x.where %}<span class="where">{{ x.where }}</span> {% endif %}{{ x.message }}</li>{% endfor %}</ul></div>{% endif %}
</aside></div></div>""",

    "message.html": """{% extends "base.html" %}
{% block crumbs %}<a href="/">{{ L.back }}</a>{% endblock %}
{% block main %}<p class="notice bad">{{ message }}</p>{% endblock %}
{% block scripts %}{% endblock %}""",

    "editor.html": """{% extends "base.html" %}
{% block title %}{{ title }} – {{ L.app }}{% endblock %}
{% block crumbs %}<a href="/">{{ L.back }}</a>{% endblock %}
{% block main %}
<div id="editor" data-practice="{{ practice_id }}" data-version="{{ version }}" data-csrf="{{ csrf }}">
<h1>{{ title }}</h1><p class="intro">{{ L.editor_intro }}</p>
{% if notice %}<p class="notice" id="notice">{{ notice }}{% if practice_id %} <a href="/">{{ L.open_leaflets }}</a>{% endif %}</p>{% endif %}
<div class="editor"><form id="practice-form" autocomplete="off" novalidate>
{% for group, fields in groups %}<fieldset><legend>{{ L[group] }}</legend>
{% for f in fields %}<div class="field" data-field="{{ f.key }}">
{% if f.kind == "choices" %}<span class="name">{{ f.label }}</span><div class="checks">
{% for value, label in choices[f.key] %}<label><input type="checkbox" data-key="{{ f.key }}" data-choice value="{{ value }}" {% if value in values[f.key] %}checked{% endif %}> {{ label }}</label>{% endfor %}</div>
{% elif f.kind == "checkbox" %}<label class="name"><input type="checkbox" data-key="{{ f.key }}" {% if values[f.key] %}checked{% endif %}> {{ f.label }}</label>
{% elif f.kind == "cmyk" %}<span class="name">{{ f.label }}</span><div class="cmyk">
{% for part in L.cmyk_parts %}<label>{{ part }} <input type="text" inputmode="decimal" data-key="{{ f.key }}" data-index="{{ loop.index0 }}" value="{{ values[f.key][loop.index0] }}" aria-label="{{ f.label }} {{ part }}"></label>{% endfor %}</div>
{% elif f.kind == "logo" %}<label class="name" for="logo-file">{{ f.label }}</label><div class="logo-row">
<input type="file" id="logo-file" accept=".svg,.png,.jpg,.jpeg,image/svg+xml,image/png,image/jpeg">
<span class="logo-state" id="logo-state">{% if opened and opened.logo_name %}{{ L.logo_current }} {{ opened.logo_name }}{% endif %}</span></div>
{% elif f.kind == "colour" %}<label class="name" for="f-{{ f.key }}">{{ f.label }}</label><div class="colour-row">
<input type="color" data-picker="{{ f.key }}" value="{{ values[f.key] or '#1B6E8C' }}" aria-label="{{ f.label }}">
<input type="text" id="f-{{ f.key }}" data-key="{{ f.key }}" value="{{ values[f.key] }}" placeholder="{{ '' if f.key == 'colours.accent' else '#1B6E8C' }}" spellcheck="false">
<span class="swatches" data-swatch="{{ f.key }}"></span></div><ul class="facts" data-facts="{{ f.key }}"></ul>
{% elif f.kind == "id" %}<label class="name" for="f-id">{{ f.label }}</label>
<input type="text" id="f-id" data-key="id" value="{{ practice_id }}" spellcheck="false" {% if opened %}readonly{% endif %}>
{% else %}<label class="name" for="f-{{ f.key }}">{{ f.label }}</label>
<input type="text" id="f-{{ f.key }}" data-key="{{ f.key }}" value="{{ values[f.key] }}">
{% endif %}<p class="help">{{ f.help }}</p><p class="msg" data-msg="{{ f.key }}"></p></div>
{% endfor %}</fieldset>{% endfor %}
<p class="msg" data-msg=""></p>
<div class="actions-bar"><button type="submit" id="save">{{ L.save_practice }}</button>
<span class="status" id="save-status" role="status"></span></div>
</form>
<aside class="preview" id="preview" aria-live="polite"><div class="panelbox"><h2>{{ L.preview }}</h2>
<p class="hint">{{ L.preview_intro }}</p>
<p id="preview-choice" hidden><label>{{ L.preview_leaflet }}: <select id="preview-leaflet"></select></label></p>
<p class="busy" id="preview-busy"></p><p class="pmsg" id="preview-msg"></p>
<div class="pics" id="preview-pics"></div>
<p><button class="secondary" type="button" id="preview-whole">{{ L.preview_whole }}</button></p>
<div class="whole" id="preview-all"></div></div></aside>
</div></div>
<script type="application/json" id="editor-labels">{{ labels_json }}</script>
{% endblock %}
{% block scripts %}<script src="/editor.js"></script>{% endblock %}""",
}

_env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)


def url(entry) -> str:
    return f"/leaflets/{entry.lid.key}"


def card_id(entry) -> str:
    return "card-" + entry.lid.key.replace("/", "--")


def states(entry) -> list[tuple[str, str]]:
    """(css class, label) of every state badge of a leaflet."""
    out = []
    if entry.failure is not None:
        out.append(("failed", L["state_failed"]))
    elif entry.good is not None:
        out.append(("ok", L["state_ok"]))
    # Building only once its render started: a catalogue's first load queues every leaflet,
    # and "building" on all of them beside "no picture yet" read as a contradiction.
    if entry.building:
        out.append(("building", L["state_building"]))
    elif entry.pending or entry.good is None and entry.failure is None:
        out.append(("pending", L["state_pending"]))
    facts = entry.facts
    if facts is not None:
        if facts.status != "approved":
            out.append(("concept", L["state_concept"]))
        if facts.overdue:
            out.append(("overdue", L["state_overdue"]))
    count = warnings(entry)
    if count:
        out.append(("warnings", f"{count} {L['state_warnings']}"))
    return out


def warnings(entry) -> int:
    n = len(entry.facts.findings) if entry.facts else 0
    if entry.good is not None:
        n += sum(c.status == "warn" for c in entry.good.built.preflight) + len(entry.good.built.warnings)
    return n


def first_error(failure) -> str:
    if failure.problems:
        first = failure.problems[0]
        return f"{first.where}: {first.message}" if first.where else first.message
    return failure.summary


def fit_rows(entry) -> list[dict] | None:
    """One row per panel in reading order: how full it is, and the mm left (or over)."""
    good = entry.good
    geometry = good.built.geometry if good else None
    if geometry is None or not geometry.panels:
        return None if good else []
    over = entry.failure.overflow if entry.failure else None
    height = geometry.page_height
    rows = []
    for panel in geometry.panels:
        label = panel_name(panel.id, panel.label)
        if over is not None and over.panel == panel.id:
            rows.append({"id": panel.id, "label": label, "used": 100, "cls": "over",
                         "text": f"{over.mm:.0f} {L['fit_over']}"})
            continue
        stale = " stale" if entry.outdated else ""  # measured on the last good build, not the current text
        left = good.built.space_left.get(panel.id)
        if left is None:
            rows.append({"id": panel.id, "label": label, "used": 0, "cls": stale, "text": L["fit_empty"]})
            continue
        used = max(0.0, min(100.0, 100 * (1 - left / height)))
        rows.append({"id": panel.id, "label": label, "used": round(used), "cls": ("tight" if left < 5 else "") + stale,
                     "text": f"{max(left, 0):.0f} {L['fit_left']}"})
    return rows


def _picture_list(entry) -> list[tuple[str, str]]:
    if entry.good is None:
        return []
    names = list(entry.good.pictures)
    captions = {"sheet-outside": L["sheet_outside"], "sheet-inside": L["sheet_inside"]}
    return [(n, captions.get(n, f"{L['page']} {n.removeprefix('page-')}" if n.startswith("page-") else n)) for n in names]


MOCKUPS = (("mockup-closed", L["mockup_closed"]), ("mockup-half-open", L["mockup_half_open"]),
           ("mockup-open", L["mockup_open"]))


def _common(**extra) -> dict:
    # Markup: the stylesheet is ours, and escaping it would break its quotes and ">" selectors.
    return {"L": L, "css": markupsafe.Markup(CSS), "url": url, "card_id": card_id, "states": states, "variant_name": variant_name,
            "first_error": first_error, **extra}


def _audience_names(studio):
    """The audiences' display names and voices from leaflet-gen.yml, e.g. "Fysiotherapie (je)"; the
    id while the settings file does not validate (the catalogue shows that problem)."""
    try:
        named = {a.id: f"{a.name} ({a.voice})" for a in studio.project.settings.audiences}
    except LeafletError:
        named = {}
    return lambda audience_id: named.get(audience_id, audience_id)


def catalogue(studio, done: int = 0, **extra) -> str:
    entries = studio.ordered()
    audience_name = _audience_names(studio)

    def values(attr, text=lambda v: v):
        return [(v, text(v)) for v in sorted({getattr(e.lid, attr) for e in entries})]

    filters = [("practice", L["filter_practice"], values("practice")),
               ("topic", L["filter_topic"], values("topic")),
               ("audience", L["filter_audience"], values("audience", audience_name)),
               ("variant", L["filter_variant"], values("variant", variant_name)),
               ("state", L["filter_state"], [(c, L[f"state_{c}"]) for c in
                                             ("ok", "failed", "concept", "overdue", "warnings")])]
    practice_ids = [folder.name for folder in studio.project.practice_dirs()]
    return _env.get_template("catalogue.html").render(
        **_common(entries=entries, problems=studio.problems, filters=filters, read_only=studio.read_only,
                  leaflet_key="", gen=0, done=str(done), audience_name=audience_name, practice_ids=practice_ids, **extra))


def card(studio, entry) -> str:
    return _env.get_template("card.html").render(**_common(e=entry, audience_name=_audience_names(studio)))


def _leaflet_context(studio, entry, csrf: str, notice: str = "") -> dict:
    title = entry.title
    geometry = entry.good.built.geometry if entry.good else None
    labels = {p.id: panel_name(p.id, p.label) for p in geometry.panels} if geometry else {}
    return _common(e=entry, title=title, csrf=csrf, read_only=studio.read_only, fit=fit_rows(entry),
                   pictures=_picture_list(entry), mockups=MOCKUPS, notice=notice,
                   panel_label=lambda pid: labels.get(pid, L["panel"].get(pid, pid)),
                   leaflet_key=entry.lid.key, gen=entry.good.gen if entry.good else 0,
                   audience_name=_audience_names(studio),
                   done=f"{entry.done}.{entry.facts_gen}")


def leaflet(studio, entry, csrf: str, notice: str = "") -> str:
    return _env.get_template("leaflet.html").render(**_leaflet_context(studio, entry, csrf, notice))


def live(studio, entry, csrf: str) -> str:
    return _env.get_template("live.html").render(**_leaflet_context(studio, entry, csrf))


def message_page(studio, message: str) -> str:
    return _env.get_template("message.html").render(**_common(message=message, read_only=studio.read_only,
                                                              leaflet_key="", gen=0, done=0))


def editor(studio, opened, csrf: str, notice: str = "") -> str:
    """The practice editor's page: a new practice (``opened`` None) or an existing one."""
    import json

    from leaflet_gen.studio import editor as practice_editor

    fields = {f.key: f for f in practice_editor.form_fields()}
    groups = [(name, [fields[k] for k in keys]) for name, keys in practice_editor.GROUPS]
    name = _audience_names(studio)
    try:
        audience_ids = list(studio.project.settings.audience_ids)
    except LeafletError:
        audience_ids = []
    # The ticks a practice can set come from the project: its audiences (leaflet-gen.yml) and topics.
    choices = {"audiences": [(a, name(a)) for a in audience_ids],
               "topics": [(t, t) for t in studio.project.topic_ids()]}
    values = practice_editor.form_values(opened.data if opened else {}, audience_ids)
    if opened:
        title = L["editor_title_edit"].format(name=values.get("name") or opened.id)
    else:
        title = L["editor_title_new"]
    labels = {k: L[k] for k in ("preview_busy", "preview_waits", "preview_placeholder_logo", "logo_uploading",
                                "saving", "fix_fields", "heading_sample", "text_sample", "reload", "preview_names",
                                "preview_failed")}
    # The JSON sits in a <script type="application/json">: "</" may not appear inside it.
    labels_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")
    return _env.get_template("editor.html").render(**_common(
        title=title, groups=groups, values=values, opened=opened, practice_id=opened.id if opened else "",
        version=opened.version if opened else "", csrf=csrf, notice=notice, choices=choices,
        read_only=studio.read_only, leaflet_key="", gen=0, done=0, labels_json=markupsafe.Markup(labels_json)))


# The practice editor's script. It holds no rule about a practice: it sends the form as it
# stands to the server (/practices/check, /practices/preview) and shows what comes back. One
# request at a time per kind; a change made while one runs is sent when it returns (the newest
# form always wins, and the render processes never queue up stale previews).
EDITOR_JS = r"""
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
  var timer = null, checking = false, checkAgain = false, previewing = false, previewAgain = false;
  var previewLeaflet = "";
  var lastPreviewKey = "";
  var statusFromCheck = false;

  function post(url, body, headers) {
    var h = {"X-CSRF-Token": csrf};
    for (var k in headers || {}) h[k] = headers[k];
    if (!(body instanceof Blob)) { h["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(url, {method: "POST", headers: h, body: body, credentials: "same-origin"}).then(function (r) {
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
  function draft(extra) {
    var d = {values: values(), practice: practice, upload: upload, version: version};
    for (var k in extra || {}) d[k] = extra[k];
    return d;
  }
  function showProblems(problems) {
    var bad = 0;
    form.querySelectorAll("[data-msg]").forEach(function (p) {
      var key = p.getAttribute("data-msg"), list = problems[key] || [];
      var shown = (showAll || touched[key] || key === "") ? list : [];
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
  function check() {
    preview();  // side by side with the check: the server checks the draft again before rendering it
    if (checking) { checkAgain = true; return; }
    checking = true;
    post("/practices/check", draft()).then(function (r) {
      var bad = showProblems(r.problems || {});
      showColours(r.colours || {});
      var idField = document.getElementById("f-id");
      if (idField && !practice && !idTyped && r.id !== undefined) idField.value = r.id;
      // Field counts replace field counts only: a refused save's message stays until the next save.
      if (showAll && bad) { status(T.fix_fields.replace("{n}", bad), "bad"); statusFromCheck = true; }
      else if (statusFromCheck) { status("", ""); statusFromCheck = false; }
      if (r.id !== undefined) preview();  // the id it made from the name is in the form now
    }).catch(function () {}).then(function () {
      checking = false;
      if (checkAgain) { checkAgain = false; check(); }
    });
  }
  function setPictures(box, pictures, wait) {
    var names = Object.keys(pictures);
    var figs = names.map(function (name) {
      var fig = document.createElement("figure"), img = new Image(), cap = document.createElement("figcaption");
      img.src = pictures[name]; img.alt = T.preview_names[name] || name; img.setAttribute("data-preview", name);
      cap.textContent = T.preview_names[name] || name;
      fig.appendChild(img); fig.appendChild(cap);
      return fig;
    });
    return Promise.all(figs.map(function (f) {
      var img = f.querySelector("img");
      return (img.decode ? img.decode() : Promise.resolve()).catch(function () {});
    })).then(function () {
      box.textContent = "";
      figs.forEach(function (f) { box.appendChild(f); });
    });
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
    if (previewing) { previewAgain = true; return; }
    previewing = true;
    var box = document.getElementById("preview");
    document.getElementById("preview-busy").textContent = T.preview_busy;
    post("/practices/preview", d).then(function (r) {
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
      previewing = false;
      document.getElementById("preview-busy").textContent = "";
      if (previewAgain) { previewAgain = false; preview(); }
    });
  }
  function changed(el) {
    var key = el.getAttribute("data-key") || el.getAttribute("data-picker");
    if (key) touched[key] = true;
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
  form.addEventListener("change", function (e) { if (e.target.type === "checkbox") changed(e.target); });
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
      if (!r.ok) { status(r.message, "bad"); if (r.problems && Object.keys(r.problems).length) showProblems(r.problems); return; }
      if (!practice) { window.location.href = r.url; return; }
      version = r.version;
      status(r.message, "ok");
    });
  });
  check();
})();
"""
