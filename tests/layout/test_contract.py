"""Bug 2 of issue 15: the elements the layout relies on are a declared contract; breaking it is a user error."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("template, old, element", [
    ("trifold.html", 'id="panel-flow"', "panel-flow"),
    ("trifold.html", 'id="panel-back"', "panel-back"),
    ("section.html", 'id="section-{{ placed.id }}"', "section-uitleg"),
])
def test_a_template_without_a_required_element_is_a_user_error(mini, tmp_path, template, old, element):
    path = mini.override(f"templates/{template}")
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, 'id="renamed"'))
    result = mini.run("build", "--practice", "test", "--output", str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "Internal error" not in result.stderr and "Traceback" not in result.stderr
    assert f'templates/{template}: no element with id="{element}"' in result.stderr, result.stderr
    assert not list(tmp_path.rglob("*.pdf"))


def test_the_engine_reads_the_ids_the_contract_declares():
    # The engine (layout/engine.py) finds pages by these anchors, taken from the contract by name:
    # what it looks for is what the contract declares and the check demands of the templates.
    from leaflet_gen.layout import contract, engine

    assert (engine.FLOW, engine.BACK) == contract.PANELLED[1:]
    assert engine.section_anchor("uitleg") == contract.SECTION.id.format(id="uitleg") == "section-uitleg"
    assert engine.SECTION_PREFIX + "uitleg" == engine.section_anchor("uitleg")
    html = '<div id="panel-cover"></div><div id="panel-flow"></div><div id="panel-back"></div>'
    contract.check(html + f'<section id="{engine.section_anchor("uitleg")}">', "trifold.html", ("uitleg",))
