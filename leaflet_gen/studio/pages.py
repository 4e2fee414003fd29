"""The studio's HTML: Jinja2 templates (autoescaped) and the one script that makes pages live.

Pages are rendered from the studio's state in memory; the live parts (a leaflet's body, a
catalogue card) are the same template fragments the server pushes as server-sent events, so a
pushed update looks exactly like a reload.
"""

from __future__ import annotations

import jinja2

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
  var es = new EventSource("/events" + (key ? "?leaflet=" + encodeURIComponent(key) + "&done=" +
                                         body.getAttribute("data-done") : ""));
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
<script src="/studio.js"></script></body></html>""",

    "catalogue.html": """{% extends "base.html" %}
{% block title %}{{ L.catalogue }} – {{ L.app }}{% endblock %}
{% block crumbs %}{{ L.catalogue }}{% endblock %}
{% block main %}
<h1>{{ L.catalogue }}</h1><p class="intro">{{ L.catalogue_intro }}</p>
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
{% else %}<span class="none">{{ L.state_building if e.building else L.no_picture }}</span>{% endif %}</a>
<div class="body"><div class="title">{{ e.facts.title if e.facts else e.lid.topic }}</div>
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
{% if e.good %}{% for name, caption in pictures %}<figure><img data-wait src="{{ url(e) }}/pictures/{{ e.good.gen }}/{{ name }}.png" alt="{{ caption }}" data-picture="{{ name }}"><figcaption>{{ caption }}
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
{% elif e.good %}<p class="hint">{{ L.preflight_none }}</p>{% endif %}</div>
{% if e.good and e.good.built.warnings %}<div class="panelbox"><h2>{{ L.warnings }}</h2><ul class="findings">{% for x in e.good.built.warnings %}<li>{% if x.where %}<span class="where">{{ x.where }}</span> {% endif %}{{ x.message }}</li>{% endfor %}</ul></div>{% endif %}
</aside></div></div>""",
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
    if entry.building or entry.pending:
        out.append(("building", L["state_building"]))
    elif entry.good is None and entry.failure is None:
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
    return {"L": L, "css": CSS, "url": url, "card_id": card_id, "states": states, "variant_name": variant_name,
            "first_error": first_error, **extra}


def _audience_names(studio):
    """The audiences' display names and voices from leaflet-gen.yml, e.g. "Fysiotherapie (je)"; the
    id while the settings file does not validate (the catalogue shows that problem)."""
    try:
        named = {a.id: f"{a.name} ({a.voice})" for a in studio.project.settings.audiences}
    except LeafletError:
        named = {}
    return lambda audience_id: named.get(audience_id, audience_id)


def catalogue(studio, **extra) -> str:
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
    return _env.get_template("catalogue.html").render(
        **_common(entries=entries, problems=studio.problems, filters=filters, read_only=studio.read_only,
                  leaflet_key="", gen=0, done=0, audience_name=audience_name, **extra))


def card(studio, entry) -> str:
    return _env.get_template("card.html").render(**_common(e=entry, audience_name=_audience_names(studio)))


def _leaflet_context(studio, entry, csrf: str, notice: str = "") -> dict:
    title = entry.facts.title if entry.facts else entry.lid.topic
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
