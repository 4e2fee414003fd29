"""Command-line interface. It only parses options and calls the core; no logic lives here.

Exit codes: 0 success, 1 a problem in the input (message says what to fix), 2 wrong command
usage, 3 an internal error (a bug: rerun with --debug for the traceback), 130 interrupted (Ctrl-C),
141 the output's reader stopped reading (``leaflet-gen check | head``: quietly, as Unix tools do).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import click

from leaflet_gen import __version__
from leaflet_gen.errors import LeafletError, UsageProblem

# pydantic looks for plugins in every installed package's entry points when the first schema
# is built (~50 ms of each start); leaflet-gen uses none. Only the CLI sets this, not the library.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_INPUT, EXIT_BUG = 1, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells and CI systems expect after Ctrl-C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool whose reader stopped (`| head`)


class _Group(click.Group):
    """Turns LeafletError into a plain message and anything unexpected into a bug report."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError:  # --help or --version into a closed pipe (click itself would exit 1)
            _pipe_closed()

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UsageProblem as exc:
            # Usage of the command that was run ("leaflet-gen build [OPTIONS]"), not of the group.
            command = self.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
            where = click.Context(command, info_name=ctx.invoked_subcommand, parent=ctx) if command else ctx
            raise click.UsageError(exc.message, where) from None
        except LeafletError as exc:
            click.echo(f"Error: {exc}" if not exc.problems else str(exc), err=True)
            sys.exit(EXIT_INPUT)
        except BrokenPipeError:
            _pipe_closed()
        except KeyboardInterrupt:
            click.echo("\nInterrupted; nothing was half-written.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C at a question (the wizard)
                click.echo("\nInterrupted.", err=True)
                sys.exit(EXIT_INTERRUPTED)
            raise
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:  # the last line of defence against tracebacks
            if isinstance(exc, OSError) and exc.filename is not None and not (ctx.obj and ctx.obj.get("debug")):
                # A file or folder that cannot be made, read or written (read-only, a file in the
                # way, a full disk): the user's machine to fix, not a bug.
                click.echo(f"Error: cannot use {exc.filename}: {exc.strerror}; choose another place or fix its "
                           "permissions", err=True)
                sys.exit(EXIT_INPUT)
            if ctx.obj and ctx.obj.get("debug"):
                import traceback

                traceback.print_exc()
                sys.exit(EXIT_BUG)
            command = " ".join(["leaflet-gen", "--debug", *sys.argv[1:]])
            click.echo(
                f"Internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in leaflet-gen, not in your files. Run `{command}` to see the "
                "traceback and include it in a bug report.",
                err=True,
            )
            sys.exit(EXIT_BUG)


class _Path(click.Path):
    """A path option: one with a NUL character is wrong usage (exit 2) like a missing file, not a
    ValueError deep inside (no path can hold one). Files to write are not checked here: what is at
    such a path when it is written is the writer's to judge (leaflet_gen/files.py), with exit 1."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "\0" in value:
            self.fail(f"{value!r} contains a NUL character; no path can contain one", param, ctx)
        return super().convert(value, param, ctx)


class _Audience(click.ParamType):
    """An audience id of the project (leaflet-gen.yml): offered by shell completion.

    Not checked while the options are parsed: that would read the settings (and import the
    schemas, ~0.3 s) before a build has started its render process. The core checks it
    (:func:`leaflet_gen.api.check_audience`) with the same message, as a usage error.
    """

    name = "audience"

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        from leaflet_gen import api

        root = ctx.find_root().params.get("project") if ctx else None
        return [CompletionItem(a.id) for a in api.audiences(root or ".") if a.id.startswith(incomplete)]


# Options that several commands share, declared once.
_practice = click.option("--practice", metavar="PATH|ID",
                         help="Practice folder (with practice.yaml), or its id under practices/.")
_audience = click.option("--audience", type=_Audience(), metavar="ID",
                         help="Who the leaflet is for: an audience of leaflet-gen.yml (see `leaflet-gen list`; "
                              "default: every audience the practice hands out).")
_topic = click.option("--topic", metavar="ID", help="Topic folder under content/ (default: every topic).")
_as_json = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for CI).")


def _variant(help: str):
    return click.option("--variant", default="trifold", show_default=True, metavar="NAME", help=help)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet-gen")
@click.option("--project", "project", type=_Path(file_okay=False), default=".", show_default=True,
              help="The project folder (with content/ and practices/; start one with `leaflet-gen init DIR`).")
@click.option("--debug", is_flag=True, help="Show the full traceback of internal errors.")
@click.option("--verbose", is_flag=True, help="Show debug lines too (how the build renders, what it skips).")
@click.pass_context
def cli(ctx: click.Context, project: str, debug: bool, verbose: bool) -> None:
    """Make branded, print-ready patient leaflets from reviewed content.

    \b
    Typical use:
      leaflet-gen init mijn-folders          start a project (then: cd mijn-folders)
      leaflet-gen check                      validate all content and practices
      leaflet-gen build                      build the default leaflets into out/
      leaflet-gen build --practice fysio-delinde --audience fysiotherapie
    """
    from leaflet_gen import logs

    ctx.ensure_object(dict)
    ctx.obj.update(project=project, debug=debug, verbose=verbose)
    logs.setup(verbose)


@cli.command()
@click.option("--practice", metavar="PATH|ID",
              help="Practice folder (with practice.yaml), or its id under practices/. "
                   "Without --practice: the default set (every practice, its audiences, tri-fold).")
@_audience
@click.option("--variant", metavar="NAME",
              help="Output variant, a file in variants/ (default: default_variants in leaflet-gen.yml, the tri-fold).")
@_topic
@click.option("--language", metavar="L",
              help="Build the leaflets in this language: nl (the source) or a translation under "
                   "content/<topic>/translations/, like en (default: each practice's languages in practice.yaml).")
@click.option("--output", "output", type=_Path(file_okay=False),
              help="Folder for the PDFs (default: output in leaflet-gen.yml, out/); each goes to "
                   "OUTPUT/<practice>/<topic>-<audience>-<variant>.pdf (a translation's ends in -<language>).")
@click.option("--icc-profile", type=_Path(exists=True, dir_okay=False),
              help="CMYK output profile of your print shop (default: the practice's, else FOGRA39).")
@click.option("--marks/--no-marks", default=None,
              help="Crop and fold marks on print PDFs (default: the practice's print_shop.marks, on).")
@click.option("--all", "all_", is_flag=True,
              help="Every practice x audience x variant (or --catalogue), in parallel, skipping unchanged ones.")
@click.option("--catalogue", type=_Path(exists=True, dir_okay=False),
              help="A catalogue.yaml listing the leaflets to build (implies --all).")
@click.option("--force", is_flag=True, help="With --all: rebuild even unchanged leaflets.")
@click.option("--jobs", "workers", type=click.IntRange(1, 64), help="With --all: parallel builds (default: the usable cores).")
@click.option("--shard", metavar="K/N",
              help="With --all: build only part K of N (1 <= K <= N), the same split on every machine. "
                   "Default: from $LEAFLET_GEN_SHARD (K/N), GitLab's $CI_NODE_INDEX/$CI_NODE_TOTAL or "
                   "Kubernetes' $JOB_COMPLETION_INDEX (from 0) with $LEAFLET_GEN_SHARD_TOTAL.")
@click.option("--shard-times", type=_Path(), metavar="REPORT",
              help="With --shard: balance the shards by the build times in this report of an earlier "
                   "run (merged); by count when the file does not exist.")
@click.option("--html", "html", type=_Path(), metavar="FILE",
              help="With one leaflet: also write the composed HTML that WeasyPrint lays out to FILE.")
@click.option("--zip", "zip_", type=_Path(dir_okay=False), metavar="FILE",
              help="With --practice: the print shop's package, every print PDF of the practice with its job "
                   "sheet and a list (inhoud.txt), in one zip FILE (built in a temporary folder, not in out/).")
@click.pass_context
def build(ctx: click.Context, practice: str | None, audience: str | None, variant: str | None,
          topic: str | None, language: str | None, output: str, icc_profile: str | None, marks: bool | None, all_: bool,
          catalogue: str | None, force: bool, workers: int | None, shard: str | None, shard_times: str | None,
          html: str | None, zip_: str | None) -> None:
    """Build leaflet PDFs and print the path of each.

    Without options: the default set (every practice, its audiences and topics, the default
    variants of leaflet-gen.yml) into out/, as an incremental catalogue build. With --all: every
    variant, with build-report.json. With --practice and --zip: the print shop's package.
    """
    from leaflet_gen import api

    if zip_ is not None:
        others = [name for name, given in (("--variant", variant), ("--output", output), ("--all", all_),
                                           ("--catalogue", catalogue), ("--force", force), ("--jobs", workers),
                                           ("--shard", shard), ("--shard-times", shard_times), ("--html", html))
                  if given]
        if not practice or others:
            raise UsageProblem("--zip packs one practice's print leaflets: give --practice (and --audience, --topic, "
                               "--icc-profile or --marks if need be)" + (f"; leave out {', '.join(others)}" if others else ""))
        path, names = api.package_leaflets(ctx.obj["project"], practice, zip_, audience=audience, topic=topic,
                                           icc_profile=icc_profile, marks=marks, debug=ctx.obj["debug"],
                                           on_warning=_warn)
        click.echo(str(path))
        click.echo(f"{len(names)} print leaflet(s) with job sheets and inhoud.txt in {path}", err=True)
        return

    if shard is None and practice is None and audience is None and topic is None:
        from leaflet_gen.pipeline.shards import shard_from_env

        shard = shard_from_env()  # a CI runner or a Kubernetes pod says which part is its own
    built = api.build_leaflets(ctx.obj["project"], practice=practice, audience=audience, topic=topic,
                               variant=variant, output=output, icc_profile=icc_profile, marks=marks, every=all_,
                               catalogue=catalogue, force=force, workers=workers, debug=ctx.obj["debug"],
                               on_result=lambda result: click.echo(str(result.path)), on_warning=_warn,
                               shard=shard, shard_times=shard_times, html=html, language=language)
    if built.report is None:
        for hint in built.hints:
            click.echo(hint, err=True)
        return
    report = built.report
    for entry in report.entries:
        if entry.status in ("built", "skipped"):
            click.echo(entry.output)
    for warning in built.warnings:
        _warn(warning)
    for entry in report.entries:
        if entry.status == "failed":
            click.echo(f"Failed: {entry.lid.practice} {entry.lid.topic} {entry.lid.audience} {entry.lid.variant}:\n{entry.error}", err=True)
    from leaflet_gen.pipeline.catalogue import REPORT_FILE

    click.echo(f"{report.summary()}; report: {built.output_dir / REPORT_FILE}", err=True)
    if report.failed:
        sys.exit(EXIT_INPUT)


def _warn(warning: str) -> None:
    click.echo(f"Warning: {warning}", err=True)


@cli.group()
def report() -> None:
    """Work with build reports (build-report.json)."""


@report.command(name="merge")
@click.argument("reports", nargs=-1, required=True, type=_Path())
@click.option("-o", "--output", "output", type=_Path(), default="build-report.json",
              show_default=True, help="Where to write the merged report.")
def report_merge(reports: tuple[str, ...], output: str) -> None:
    """Merge the reports of the shards of one catalogue build into one.

    Exits 1 without writing anything when a report is not a complete shard's report, a shard is
    missing or given twice, a leaflet is in no report or in two, or the reports come from different
    builds (another leaflet-gen, project, settings or split); exits 1 after writing when a leaflet
    failed.
    """
    import json

    from leaflet_gen.files import write_atomic
    from leaflet_gen.pipeline.report import merge

    merged = merge([Path(p) for p in reports])
    write_atomic(Path(output), (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    counts = merged["counts"]
    click.echo(f"{len(merged['leaflets'])} leaflets from {len(merged['shards'])} shards: {counts['built']} built, "
               f"{counts['skipped']} unchanged, {counts['failed']} failed; report: {output}", err=True)
    if counts["failed"]:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.option("--practice", metavar="PATH|ID", multiple=True,
              help="Check only this practice (repeatable). Default: all practices.")
@click.option("--json", "as_json", is_flag=True, help="Print the report (with the language check) as JSON.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on warnings too: passed review dates, concept content, language, logo resolution.")
@click.pass_context
def check(ctx: click.Context, practice: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Validate content and practices without rendering, with review dates, the claims and a language check.

    With --verbose (before the command: leaflet-gen --verbose check) it also prints, per audience, which
    section carries each claim of the topic's claims register."""
    import json

    from leaflet_gen import api

    report = api.check_project(ctx.obj["project"], list(practice))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.lines:
            click.echo(line)
        for language in report.language:
            for line in language.lines(findings=False):
                click.echo(line)
        if ctx.obj.get("verbose"):
            for line in report.coverage:
                click.echo(line)
        for warning in report.warnings:
            click.echo(f"Warning: {warning}", err=True)
    if report.problems:
        if as_json:
            sys.exit(EXIT_INPUT)
        raise report.as_error()
    if strict and report.warnings:
        click.echo(f"{len(report.warnings)} warning(s) and --strict: failing.", err=True)
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("pdf", type=_Path(exists=True, dir_okay=False))
@_variant("The variant the PDF must meet (page count, trim size, bleed, colour, folds).")
@_as_json
@click.pass_context
def preflight(ctx: click.Context, pdf: str, variant: str, as_json: bool) -> None:
    """Check a finished PDF the way a print shop would; exit 1 on any failed check."""
    import json

    from leaflet_gen import api

    report = api.preflight_pdf(ctx.obj["project"], pdf, variant)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.lines():
            click.echo(line)
    if report.failed:
        sys.exit(EXIT_INPUT)


@cli.group()
def review() -> None:
    """Review and approval of leaflet texts (content/<topic>/approvals.jsonl; docs/review.md)."""


@review.command(name="status")
@_as_json
@click.pass_context
def review_status(ctx: click.Context, as_json: bool) -> None:
    """Every topic x audience: approved, changed after approval, or not approved; and its review date."""
    import json

    from leaflet_gen import api

    states = api.review_status(ctx.obj["project"])
    if as_json:
        click.echo(json.dumps([{"topic": s.topic, "audience": s.audience, "state": s.state, "next_review":
                                s.next_review.isoformat(), "due": s.due,
                                "approval": dataclasses.asdict(s.last) if s.last else None} for s in states],
                              indent=2, ensure_ascii=False))
        return
    words = {"approved": "approved", "changed": "CHANGED after approval: prints CONCEPT"}
    due = {"ok": "", "soon": " (due soon)", "overdue": " (OVERDUE)"}
    for s in states:
        if s.last:
            said = f"{words[s.state]} by {s.last.by} at {s.last.at}" + (f' ("{s.last.note}")' if s.last.note else "")
        else:
            said = s.fallback
        click.echo(f"{s.topic} / {s.audience}: {said}; next review {s.next_review}{due[s.due]}")


@review.command(name="approve")
@click.option("--topic", required=True, metavar="ID", help="The topic (a folder under content/).")
@click.option("--audience", required=True, metavar="ID", help="The audience whose leaflet text is approved.")
@click.option("--by", "by", required=True, metavar="NAME", help="Who approves it (recorded with the date).")
@click.option("--note", default="", metavar="TEXT", help="A note with the approval (optional).")
@click.pass_context
def review_approve(ctx: click.Context, topic: str, audience: str, by: str, note: str) -> None:
    """Approve a leaflet's text as it is now: who, when, a note and a hash of the text are recorded.

    An edit afterwards makes the leaflet print CONCEPT until it is approved again."""
    from leaflet_gen import api

    record = api.approve(ctx.obj["project"], topic, audience, by, note)
    click.echo(f"Approved {topic} / {audience} by {record.by} at {record.at} ({record.hash[:19]}...).")



@cli.group()
def translate() -> None:
    """Translation files per language: content/<topic>/translations/<L>.xlf (XLIFF 1.2; docs/translations.md)."""


_language = click.option("--language", required=True, metavar="L", help="The target language, like en, tr, ar or pl.")


@translate.command(name="export")
@_language
@click.option("--topic", metavar="ID", help="Only this topic (default: every topic).")
@click.option("--output", "output", type=_Path(dir_okay=False), metavar="FILE",
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
@click.argument("file", type=_Path(exists=True, dir_okay=False))
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

@cli.command()
@click.option("--topic", required=True, metavar="ID", help="The topic (a folder under content/).")
@click.option("--audience", required=True, metavar="ID", help="The audience whose leaflet is compared.")
@click.option("--since", required=True, metavar="REV", help="The git revision to compare with, like HEAD~1 or a tag.")
@click.option("--output", "output", required=True, type=_Path(file_okay=False), metavar="DIR",
              help="Where to write the pictures and changes.txt.")
@click.option("--practice", metavar="PATH|ID", help="Build for this practice (default: the first that hands it out).")
@_variant("The variant to compare.")
@click.pass_context
def diff(ctx: click.Context, topic: str, audience: str, since: str, output: str, practice: str | None,
         variant: str) -> None:
    """What changed in a leaflet since a git revision: pictures of each sheet (before | now, the changed
    areas framed in red) and the changed lines of each section, for a print shop or a review meeting."""
    from leaflet_gen import api

    found = api.diff(ctx.obj["project"], topic, audience, since, output, practice=practice, variant=variant)
    for path in found.files:
        click.echo(str(path))
    click.echo(f"Changed: {', '.join(found.changed) or 'nothing'} (sections: {', '.join(found.sections) or 'none'}).",
               err=True)


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
@click.argument("folder", type=_Path(file_okay=True), metavar="DIR")
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
@_as_json
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
@_practice
@_audience
@_variant("Output variant, a file in variants/ (with --pdf: the variant that PDF was made with).")
@_topic
@click.option("--pdf", "pdf", type=_Path(exists=True, dir_okay=False),
              help="Preview this finished PDF instead of building one.")
@click.option("--output", "output", type=_Path(file_okay=False),
              help="Folder for the PNG files (default: out/preview/<practice>/ in the project).")
@click.option("--dpi", type=click.IntRange(30, 600), default=100, show_default=True,
              help="Resolution of the images in dots per inch.")
@click.pass_context
def preview(ctx: click.Context, practice: str | None, audience: str | None, variant: str, topic: str | None,
            pdf: str | None, output: str | None, dpi: int) -> None:
    """Make PNG previews of leaflets: each sheet, each panel and the folded leaflet.

    Builds the PDF in a temporary folder (or takes --pdf) and prints the path of every image.
    """
    from leaflet_gen import api

    paths, warnings = api.preview(ctx.obj["project"], practice=practice, audience=audience, variant=variant,
                                  topic=topic, pdf=pdf, output=output, dpi=dpi)
    for warning in warnings:
        _warn(warning)
    for path in paths:
        click.echo(str(path))


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


def _pipe_closed() -> None:
    """Stop quietly, as Unix tools do, when whoever reads the output stopped reading (``| head``).

    Python ignores SIGPIPE and raises BrokenPipeError instead; what is still buffered would raise
    it again when the interpreter flushes at exit, so the output (and error) streams go to
    /dev/null first (the recipe of Python's signal module documentation). A file being written
    is completed or left as it was (leaflet_gen/files.py).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass  # not a real stream (a test's): nothing to flush later
    os.close(devnull)
    sys.exit(EXIT_PIPE_CLOSED)


def main() -> None:
    try:
        try:
            cli(prog_name="leaflet-gen")
        finally:
            sys.stdout.flush()  # here, not at exit: a closed pipe is then still ours to handle
    except BrokenPipeError:
        _pipe_closed()
    finally:
        # The interpreter's last garbage collections walk every object of the run (~80 ms after a
        # build). Nothing here needs them: reference counting still frees everything and atexit
        # handlers still run; frozen objects are only skipped by the collector.
        import gc

        gc.freeze()


if __name__ == "__main__":
    main()
