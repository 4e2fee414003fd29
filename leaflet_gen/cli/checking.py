"""Commands that check: content and practices (check), a finished PDF (preflight), review and approval."""

from __future__ import annotations

import dataclasses
import sys

import click

from leaflet_gen.cli.base import EXIT_INPUT, CliPath, cli, json_option, variant_option


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
@click.argument("pdf", type=CliPath(exists=True, dir_okay=False))
@variant_option("The variant the PDF must meet (page count, trim size, bleed, colour, folds).")
@json_option
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
@json_option
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
