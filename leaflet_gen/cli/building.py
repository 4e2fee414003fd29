"""Commands that make outputs: build (and merging the reports of a sharded build), preview, diff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from leaflet_gen.cli.base import (
    EXIT_INPUT,
    CliPath,
    audience_option,
    cli,
    practice_option,
    topic_option,
    variant_option,
    warn,
)
from leaflet_gen.errors import UsageProblem


@cli.command()
@click.option("--practice", metavar="PATH|ID",
              help="Practice folder (with practice.yaml), or its id under practices/. "
                   "Without --practice: the default set (every practice, its audiences, tri-fold).")
@audience_option
@click.option("--variant", metavar="NAME",
              help="Output variant, a file in variants/ (default: default_variants in leaflet-gen.yml, the tri-fold).")
@topic_option
@click.option("--language", metavar="L",
              help="Build the leaflets in this language: nl (the source) or a translation under "
                   "content/<topic>/translations/, like en (default: each practice's languages in practice.yaml).")
@click.option("--output", "output", type=CliPath(file_okay=False),
              help="Folder for the PDFs (default: output in leaflet-gen.yml, out/); each goes to "
                   "OUTPUT/<practice>/<topic>-<audience>-<variant>.pdf (a translation's ends in -<language>).")
@click.option("--icc-profile", type=CliPath(exists=True, dir_okay=False),
              help="CMYK output profile of your print shop (default: the practice's, else FOGRA39).")
@click.option("--marks/--no-marks", default=None,
              help="Crop and fold marks on print PDFs (default: the practice's print_shop.marks, on).")
@click.option("--all", "all_", is_flag=True,
              help="Every practice x audience x variant (or --catalogue), in parallel, skipping unchanged ones.")
@click.option("--catalogue", type=CliPath(exists=True, dir_okay=False),
              help="A catalogue.yaml listing the leaflets to build (implies --all).")
@click.option("--force", is_flag=True, help="With --all: rebuild even unchanged leaflets.")
@click.option("--jobs", "workers", type=click.IntRange(1, 64), help="With --all: parallel builds (default: the usable cores).")
@click.option("--shard", metavar="K/N",
              help="With --all: build only part K of N (1 <= K <= N), the same split on every machine. "
                   "Default: from $LEAFLET_GEN_SHARD (K/N), GitLab's $CI_NODE_INDEX/$CI_NODE_TOTAL or "
                   "Kubernetes' $JOB_COMPLETION_INDEX (from 0) with $LEAFLET_GEN_SHARD_TOTAL.")
@click.option("--shard-times", type=CliPath(), metavar="REPORT",
              help="With --shard: balance the shards by the build times in this report of an earlier "
                   "run (merged); by count when the file does not exist.")
@click.option("--html", "html", type=CliPath(), metavar="FILE",
              help="With one leaflet: also write the composed HTML that WeasyPrint lays out to FILE.")
@click.option("--zip", "zip_", type=CliPath(dir_okay=False), metavar="FILE",
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
                                           on_warning=warn)
        click.echo(str(path))
        click.echo(f"{len(names)} print leaflet(s) with job sheets and inhoud.txt in {path}", err=True)
        return

    if shard is None and practice is None and audience is None and topic is None:
        from leaflet_gen.pipeline.shards import shard_from_env

        shard = shard_from_env()  # a CI runner or a Kubernetes pod says which part is its own
    built = api.build_leaflets(ctx.obj["project"], practice=practice, audience=audience, topic=topic,
                               variant=variant, output=output, icc_profile=icc_profile, marks=marks, every=all_,
                               catalogue=catalogue, force=force, workers=workers, debug=ctx.obj["debug"],
                               on_result=lambda result: click.echo(str(result.path)), on_warning=warn,
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
        warn(warning)
    for entry in report.entries:
        if entry.status == "failed":
            click.echo(f"Failed: {entry.lid.practice} {entry.lid.topic} {entry.lid.audience} {entry.lid.variant}:\n{entry.error}", err=True)
    from leaflet_gen.pipeline.catalogue import REPORT_FILE

    click.echo(f"{report.summary()}; report: {built.output_dir / REPORT_FILE}", err=True)
    if report.failed:
        sys.exit(EXIT_INPUT)


@cli.group()
def report() -> None:
    """Work with build reports (build-report.json)."""


@report.command(name="merge")
@click.argument("reports", nargs=-1, required=True, type=CliPath())
@click.option("-o", "--output", "output", type=CliPath(), default="build-report.json",
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
@practice_option
@audience_option
@variant_option("Output variant, a file in variants/ (with --pdf: the variant that PDF was made with).")
@topic_option
@click.option("--pdf", "pdf", type=CliPath(exists=True, dir_okay=False),
              help="Preview this finished PDF instead of building one.")
@click.option("--output", "output", type=CliPath(file_okay=False),
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
        warn(warning)
    for path in paths:
        click.echo(str(path))


@cli.command()
@click.option("--topic", required=True, metavar="ID", help="The topic (a folder under content/).")
@click.option("--audience", required=True, metavar="ID", help="The audience whose leaflet is compared.")
@click.option("--since", required=True, metavar="REV", help="The git revision to compare with, like HEAD~1 or a tag.")
@click.option("--output", "output", required=True, type=CliPath(file_okay=False), metavar="DIR",
              help="Where to write the pictures and changes.txt.")
@click.option("--practice", metavar="PATH|ID", help="Build for this practice (default: the first that hands it out).")
@variant_option("The variant to compare.")
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
