"""Commands that set up and look after a project: init, new-practice, new-topic, list, schema, doctor, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from leaflet_gen.cli.base import EXIT_INPUT, CliPath, cli, json_option


@cli.command(name="list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List practices, topics, audiences and variants."""
    from leaflet_gen import api

    for kind, names in api.list_project(ctx.obj["project"]).items():
        click.echo(f"{kind}:")
        for name in names:
            click.echo(f"  {name}")


@cli.command(name="new-practice")
@click.option("--name", help="Practice name, as printed on the leaflet.")
@click.option("--address", help="Address on one line: street and number, postcode, town.")
@click.option("--phone", help='Phone number for patients, like "030 123 45 67".')
@click.option("--email", help="E-mail address (optional).")
@click.option("--website", help="Website, starting with https:// (optional).")
@click.option("--booking-url", "qr_url", help="Web page the QR code opens, e.g. your booking page (optional).")
@click.option("--colour", "primary", help='Main brand colour, like "#1B6E8C".')
@click.option("--color", "primary_us", hidden=True)  # the US spelling, still accepted
@click.option("--accent", help='Second colour for small highlights, like "#E8A33D" (optional).')
@click.option("--logo", help="Logo file: SVG, PNG or JPEG; it is copied into the practice folder.")
@click.option("--audiences", help="Audiences you hand out leaflets for: ids from leaflet-gen.yml, or all.")
@click.option("--id", "practice_id", metavar="ID", help="Folder name under practices/ (default: made from the name).")
@click.option("--no-input", is_flag=True, help="Ask nothing; use only the options above (for scripts).")
@click.option("--force", is_flag=True, help="Replace practice.yaml and the logo of an existing practice.")
@click.pass_context
def new_practice(ctx: click.Context, practice_id: str | None, no_input: bool, force: bool, **answers: str | None) -> None:
    """Set up a new practice: answer a few questions, get practices/<id>/ with practice.yaml and logo.

    Answers can also be given as options; with --no-input nothing is asked.
    """
    from leaflet_gen import api

    answers["primary"] = answers.pop("primary_us") or answers["primary"]

    def ask(question: str, default: str | None) -> str:
        return click.prompt(question, default=default or "", show_default=bool(default))

    if not no_input:
        click.echo("A few questions about your practice. Press Enter to skip the optional ones; "
                   "Ctrl+C stops without saving anything.")
    project = api.open_project(ctx.obj["project"])
    result = api.new_practice(project.root, {**answers, "id": practice_id}, ask=None if no_input else ask,
                              force=force, say=click.echo)
    click.echo(f"Saved {project.rel(result.practice_file)} and {project.rel(result.logo_file)}.")
    click.echo(f"Build your leaflets with:\n  {result.build_command}")


@cli.command(name="new-topic")
@click.argument("topic_id", metavar="ID")
@click.option("--title", help="The cover title (default: made from the id).")
@click.pass_context
def new_topic(ctx: click.Context, topic_id: str, title: str | None) -> None:
    """Scaffold content/ID/: a commented topic.yaml and one section per audience, as a concept."""
    from leaflet_gen import api

    project = api.open_project(ctx.obj["project"])
    for path in api.new_topic(project.root, topic_id, title):
        click.echo(project.rel(path))
    click.echo(f"Replace the placeholders, then: leaflet-gen check; leaflet-gen build --topic {topic_id} "
               "--practice <id>", err=True)


@cli.command()
@click.argument("folder", type=CliPath(file_okay=True), metavar="DIR")
@click.option("--name", help="Your organisation's name, for the example practice (default: Voorbeeldpraktijk).")
@click.option("--audiences", metavar="IDS",
              help="Who you write leaflets for: audience ids separated by commas (default: patienten).")
@click.option("--no-input", is_flag=True, help="Ask nothing; use the options above or the defaults (for scripts).")
def init(folder: str, name: str | None, audiences: str | None, no_input: bool) -> None:
    """Make a new project in DIR (a new or empty folder): settings, an example leaflet and practice,
    editor schemas, a .gitignore and a CI workflow. The look is leaflet-gen's built-in theme."""
    import shlex

    from leaflet_gen import api
    from leaflet_gen.tools import init as new

    api.check_new_project_folder(folder)  # before any question
    if not no_input:
        click.echo("A new leaflet-gen project. Press Enter to take the suggestion; Ctrl+C stops without writing "
                   "anything.")
        if name is None:
            name = click.prompt("Name of your organisation (printed on the example leaflet)", default=new.DEFAULT_NAME,
                                value_proc=_answer(new.check_name))
        if audiences is None:
            audiences = click.prompt("Who do you write leaflets for? Audience ids, separated by commas",
                                     default=new.DEFAULT_AUDIENCES, value_proc=_answer(new.parse_audiences))
    created = api.init_project(folder, name=name, audiences=audiences)
    click.echo(f"Made a new leaflet-gen project in {folder}:")
    for path in created.files:
        if path.parent.name != "schemas":
            click.echo(f"  {path.relative_to(created.root)}")
    click.echo("  schemas/ (JSON Schemas: an editor with YAML support checks the files as you type)")
    click.echo(f"\nNext:\n  cd {shlex.quote(folder)}\n  leaflet-gen check\n  leaflet-gen build\n  leaflet-gen serve --open")


def _answer(check):
    """A click prompt's value_proc: ``check``'s ValueError becomes the message it asks again with."""
    def convert(value):
        if not isinstance(value, str):
            return value
        try:
            check(value)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return value

    return convert


@cli.command()
@json_option
def doctor(as_json: bool) -> None:
    """Check what leaflet-gen needs from the system (libraries, the Lato font, Hunspell with Dutch,
    the print profile, PDF tools, Chromium) and say how to install what is missing. Exit 1 when
    something required is missing."""
    import json

    from leaflet_gen.tools import doctor as checks

    findings = checks.diagnose()
    lines, complete = checks.report(findings)
    if as_json:
        click.echo(json.dumps({"complete": complete, "findings": [f.as_dict() for f in findings]}, indent=2,
                              ensure_ascii=False))
    else:
        for line in lines:
            click.echo(line)
    if not complete:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("kind", required=False, metavar="KIND")
@click.option("--write", is_flag=True, help="Write every kind's schema to schemas/ in the project.")
@click.pass_context
def schema(ctx: click.Context, kind: str | None, write: bool) -> None:
    """Print the JSON Schema of a YAML file KIND, or --write them all to schemas/.

    KIND: settings, practice, topic, section, variant or catalogue. Editors with
    yaml-language-server use them through each file's first line (docs/editor-setup.md).
    """
    from leaflet_gen import api

    if write == bool(kind):
        raise click.UsageError("give a KIND to print, or --write (not both)", ctx)
    if kind:
        click.echo(api.json_schema(kind), nl=False)
        return
    project = api.open_project(ctx.obj["project"])
    changed = api.write_schemas(project.root)
    for path in changed:
        click.echo(project.rel(path))
    if not changed:
        click.echo("schemas/ is up to date.", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Any other than this computer's own requires the access token "
                   "printed at start.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the studio in the web browser.")
@click.option("--read-only", is_flag=True, help="Only show leaflets and serve PDFs; write nothing.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, open_browser: bool, read_only: bool) -> None:
    """The studio: every leaflet in the browser, rebuilt live as you edit its files.

    Shows each leaflet's sheets, folded mock-ups, fit per panel, language check and
    preflight, with the PDF to download. Press Ctrl-C to stop.
    """
    from leaflet_gen.studio.server import serve as run

    run(Path(ctx.obj["project"]), host, port, open_browser, read_only, echo=click.echo)
