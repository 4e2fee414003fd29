"""The translate commands: XLIFF files per language, their status and approval."""

from __future__ import annotations

import click

from leaflet_gen.cli.base import CliPath, cli


@cli.group()
def translate() -> None:
    """Translation files per language: content/<topic>/translations/<L>.xlf (XLIFF 1.2; docs/translations.md)."""


_language = click.option("--language", required=True, metavar="L", help="The target language, like en, tr, ar or pl.")


@translate.command(name="export")
@_language
@click.option("--topic", metavar="ID", help="Only this topic (default: every topic).")
@click.option("--output", "output", type=CliPath(dir_okay=False), metavar="FILE",
              help="Write one XLIFF file for a translator here (default: each topic's stored file).")
@click.pass_context
def translate_export(ctx: click.Context, language: str, topic: str | None, output: str | None) -> None:
    """Write one unit per printed text with its Dutch source, a hash of it and a state."""
    from leaflet_gen import api

    paths, counts = api.translate_export(ctx.obj["project"], language, topic=topic, output=output)
    for path in paths:
        click.echo(str(path))
    for c in counts:
        click.echo(f"{c.language} / {c.topic}: {c.total} units: {_counted(c)}", err=True)


@translate.command(name="import")
@click.argument("file", type=CliPath(exists=True, dir_okay=False))
@click.pass_context
def translate_import(ctx: click.Context, file: str) -> None:
    """Read a translator's XLIFF file back into the stored files (refused if a number, web address,
    markup or placeholder differs from the Dutch source)."""
    from leaflet_gen import api

    for d in api.translate_import(ctx.obj["project"], file):
        click.echo(f"{d.language} / {d.topic}: {d.translated} translated, {d.review} translated from an older Dutch "
                   f"text (need review), {d.unchanged} unchanged, {d.empty} without a translation")


@translate.command(name="status")
@click.option("--language", metavar="L", help="Only this language (default: every language with a file).")
@click.pass_context
def translate_status(ctx: click.Context, language: str | None) -> None:
    """Per language and topic: units new, needing review (the Dutch changed), translated and approved."""
    from leaflet_gen import api

    counts = api.translate_status(ctx.obj["project"], language)
    if not counts:
        click.echo("No translations yet: start one with `leaflet-gen translate export --language L`.")
    for c in counts:
        click.echo(f"{c.language} / {c.topic}: {_counted(c)} (of {c.total})")


def _counted(c) -> str:
    return f"{c.new} new, {c.review} need review, {c.translated} translated, {c.approved} approved"


@translate.command(name="approve")
@_language
@click.option("--topic", required=True, metavar="ID", help="The topic (a folder under content/).")
@click.option("--by", "by", required=True, metavar="NAME", help="Who approves the translation (recorded with the date).")
@click.pass_context
def translate_approve(ctx: click.Context, language: str, topic: str, by: str) -> None:
    """Sign off the translated units of a topic in a language: who and when are recorded in its file."""
    from leaflet_gen import api

    phase, signed, c = api.translate_approve(ctx.obj["project"], language, topic, by)
    click.echo(f"Approved {signed} units of {language} / {topic} by {phase.by} at {phase.date}; now {_counted(c)}.")
