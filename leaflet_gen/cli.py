"""Command-line interface. It only parses options and calls the core; no logic lives here.

Exit codes: 0 success, 1 a problem in the input (message says what to fix), 2 wrong command
usage, 3 an internal error (a bug: rerun with --debug for the traceback).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from leaflet_gen import __version__
from leaflet_gen.errors import LeafletError
from leaflet_gen.models import AUDIENCES

EXIT_INPUT, EXIT_BUG = 1, 3


class _Group(click.Group):
    """Turns LeafletError into a plain message and anything unexpected into a bug report."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LeafletError as exc:
            click.echo(f"Error: {exc}" if not exc.problems else str(exc), err=True)
            sys.exit(EXIT_INPUT)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if ctx.obj and ctx.obj.get("debug"):
                raise
            command = " ".join(["leaflet-gen", "--debug", *sys.argv[1:]])
            click.echo(
                f"Internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in leaflet-gen, not in your files. Run `{command}` to see the "
                "traceback and include it in a bug report.",
                err=True,
            )
            sys.exit(EXIT_BUG)


def _project(ctx: click.Context):
    from leaflet_gen.project import Project

    return Project.open(Path(ctx.obj["project"]))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet-gen")
@click.option("--project", "project", type=click.Path(file_okay=False), default=".", show_default=True,
              help="The project folder (with content/, practices/, templates/, styles/, variants/).")
@click.option("--debug", is_flag=True, help="Show the full traceback of internal errors.")
@click.pass_context
def cli(ctx: click.Context, project: str, debug: bool) -> None:
    """Make branded, print-ready patient leaflets from reviewed content.

    \b
    Typical use:
      leaflet-gen check                      validate all content and practices
      leaflet-gen build                      build the default leaflets into out/
      leaflet-gen build --practice fysio-delinde --audience fysiotherapie
    """
    ctx.ensure_object(dict)
    ctx.obj.update(project=project, debug=debug)


@cli.command()
@click.option("--practice", metavar="PATH|ID",
              help="Practice folder (with practice.yaml), or its id under practices/. "
                   "Without --practice: the default set (every practice, its audiences, tri-fold).")
@click.option("--audience", type=click.Choice(AUDIENCES),
              help="Who the leaflet is for (default: every audience the practice hands out).")
@click.option("--variant", default="trifold", show_default=True, metavar="NAME",
              help="Output variant, a file in variants/ (e.g. trifold).")
@click.option("--topic", metavar="ID", help="Topic folder under content/ (default: every topic).")
@click.option("--output", "output", type=click.Path(file_okay=False), default="out", show_default=True,
              help="Folder for the PDFs; each goes to OUTPUT/<practice>/<topic>-<audience>-<variant>.pdf.")
@click.option("--icc-profile", type=click.Path(exists=True, dir_okay=False),
              help="CMYK output profile of your print shop (default: the practice's, else FOGRA39).")
@click.option("--marks/--no-marks", default=None,
              help="Crop and fold marks on print PDFs (default: the practice's print_shop.marks, on).")
@click.option("--all", "all_", is_flag=True,
              help="Every practice x audience x variant (or --catalogue), in parallel, skipping unchanged ones.")
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False),
              help="A catalogue.yaml listing the leaflets to build (implies --all).")
@click.option("--force", is_flag=True, help="With --all: rebuild even unchanged leaflets.")
@click.option("--jobs", "workers", type=click.IntRange(1, 64), help="With --all: parallel builds (default: cores).")
@click.pass_context
def build(ctx: click.Context, practice: str | None, audience: str | None, variant: str,
          topic: str | None, output: str, icc_profile: str | None, marks: bool | None, all_: bool,
          catalogue: str | None, force: bool, workers: int | None) -> None:
    """Build leaflet PDFs and print the path of each.

    Without options: the default set (every practice, its audiences, tri-fold) into out/, as an
    incremental catalogue build. With --all: every variant too, with build-report.json.
    """
    from leaflet_gen import build as core

    project = _project(ctx)
    overrides = {"icc_profile": Path(icc_profile) if icc_profile else None, "marks": marks}
    if all_ or catalogue or (practice is None and audience is None and topic is None):
        if practice or audience or topic:
            raise click.UsageError("--all builds every practice and audience; leave out --practice/--audience/--topic")
        from leaflet_gen import catalogue as cat

        if catalogue:
            jobs = cat.catalogue_jobs(project, Path(catalogue))
        elif all_:
            jobs = cat.all_jobs(project)
        else:
            jobs = [dataclasses.replace(j, variant=variant) for j in core.default_jobs(project)]
        jobs = [dataclasses.replace(job, **overrides) for job in jobs]
        _catalogue_build(project, jobs, Path(output), force, workers)
        return
    if practice is None:
        raise click.UsageError("--audience and --topic need --practice (or give no options for the default set)")
    jobs = core.practice_jobs(project, project.practice_dir(practice), audience, topic, variant)
    jobs = [dataclasses.replace(job, **overrides) for job in jobs]
    hints = set()
    for job in jobs:
        result = core.build(project, job, Path(output))
        for warning in result.warnings:
            click.echo(f"Warning: {warning}", err=True)
        click.echo(str(result.path))
        if result.print_hint:
            hints.add(result.print_hint)
    for hint in sorted(hints):
        click.echo(hint, err=True)


def _catalogue_build(project, jobs, output: Path, force: bool, workers: int | None) -> None:
    from leaflet_gen import catalogue as cat

    interactive = cat.is_interactive()

    def log(done: int, total: int, entry) -> None:
        where = entry.output or f"{entry.practice}/{entry.topic}-{entry.audience}-{entry.variant}"
        line = f"[{done}/{total}] {entry.status} {where} ({entry.seconds:.1f} s)"
        if interactive:
            width = 30
            bar = "#" * (width * done // total) + "-" * (width - width * done // total)
            click.echo(f"\r[{bar}] {done}/{total}", nl=done == total, err=True)
        else:
            click.echo(line, err=True)

    report = cat.build_catalogue(project, jobs, output, force=force, workers=workers, log=log)
    for entry in report.entries:
        if entry.status in ("built", "skipped"):
            click.echo(entry.output)
    for entry in report.entries:
        if entry.status == "failed":
            click.echo(f"Failed: {entry.practice} {entry.topic} {entry.audience} {entry.variant}:\n{entry.error}", err=True)
    click.echo(f"{report.summary()}; report: {output / cat.REPORT_FILE}", err=True)
    if report.failed:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.option("--practice", metavar="PATH|ID", multiple=True,
              help="Check only this practice (repeatable). Default: all practices.")
@click.pass_context
def check(ctx: click.Context, practice: tuple[str, ...]) -> None:
    """Validate all content and practices without rendering (fast)."""
    from leaflet_gen import checks

    project = _project(ctx)
    report = checks.check_project(project, [project.practice_dir(p) for p in practice] or None)
    for line in report.lines:
        click.echo(line)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if report.problems:
        raise report.as_error()


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--variant", default="trifold", show_default=True, metavar="NAME",
              help="The variant the PDF must meet (page count, trim size, bleed, colour, folds).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for CI).")
@click.pass_context
def preflight(ctx: click.Context, pdf: str, variant: str, as_json: bool) -> None:
    """Check a finished PDF the way a print shop would; exit 1 on any failed check."""
    import json

    from leaflet_gen.preflight import preflight_file

    project = _project(ctx)
    report = preflight_file(Path(pdf), project.load_variant(variant))
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.lines():
            click.echo(line)
    if report.failed:
        sys.exit(EXIT_INPUT)


@cli.command(name="list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List practices, topics, audiences and variants."""
    project = _project(ctx)
    click.echo("Practices:")
    for folder in project.practice_dirs():
        click.echo(f"  {folder.name}")
    click.echo("Topics:")
    for topic_id in project.topic_ids():
        click.echo(f"  {topic_id}")
    click.echo("Audiences:")
    for audience in AUDIENCES:
        click.echo(f"  {audience}")
    click.echo("Variants:")
    for variant_id in project.variant_ids():
        click.echo(f"  {variant_id}")


def main() -> None:
    cli(prog_name="leaflet-gen")


if __name__ == "__main__":
    main()
