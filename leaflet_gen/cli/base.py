"""The command group and what its commands share: error handling and exit codes, parameter types,
options several commands take, and the entry point :func:`main`."""

from __future__ import annotations

import os
import sys

import click

from leaflet_gen import __version__
from leaflet_gen.errors import LeafletError, UsageProblem

# pydantic looks for plugins in every installed package's entry points when the first schema
# is built (~50 ms of each start); leaflet-gen uses none. Only the CLI sets this, not the library.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_INPUT, EXIT_BUG = 1, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells and CI systems expect after Ctrl-C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool whose reader stopped (`| head`)


class LeafletGroup(click.Group):
    """Turns LeafletError into a plain message and anything unexpected into a bug report."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError:  # --help or --version into a closed pipe (click itself would exit 1)
            pipe_closed()

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
            pipe_closed()
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


class CliPath(click.Path):
    """A path option: one with a NUL character is wrong usage (exit 2) like a missing file, not a
    ValueError deep inside (no path can hold one). Files to write are not checked here: what is at
    such a path when it is written is the writer's to judge (leaflet_gen/files.py), with exit 1."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "\0" in value:
            self.fail(f"{value!r} contains a NUL character; no path can contain one", param, ctx)
        return super().convert(value, param, ctx)


class AudienceParam(click.ParamType):
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
practice_option = click.option("--practice", metavar="PATH|ID",
                               help="Practice folder (with practice.yaml), or its id under practices/.")
audience_option = click.option("--audience", type=AudienceParam(), metavar="ID",
                               help="Who the leaflet is for: an audience of leaflet-gen.yml (see `leaflet-gen list`; "
                                    "default: every audience the practice hands out).")
topic_option = click.option("--topic", metavar="ID", help="Topic folder under content/ (default: every topic).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (for CI).")


def variant_option(help: str):
    return click.option("--variant", default="trifold", show_default=True, metavar="NAME", help=help)


@click.group(cls=LeafletGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet-gen")
@click.option("--project", "project", type=CliPath(file_okay=False), default=".", show_default=True,
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


def warn(warning: str) -> None:
    click.echo(f"Warning: {warning}", err=True)


def pipe_closed() -> None:
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
    """The console entry point (``leaflet-gen``, ``python -m leaflet_gen``)."""
    try:
        try:
            cli(prog_name="leaflet-gen")
        finally:
            sys.stdout.flush()  # here, not at exit: a closed pipe is then still ours to handle
    except BrokenPipeError:
        pipe_closed()
    finally:
        # The interpreter's last garbage collections walk every object of the run (~80 ms after a
        # build). Nothing here needs them: reference counting still frees everything and atexit
        # handlers still run; frozen objects are only skipped by the collector.
        import gc

        gc.freeze()

