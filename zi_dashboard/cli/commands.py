"""The command table (every command of `python -m zi_dashboard`, in the order --help lists
them), the parser built from it, and main(): run the chosen command, never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from zi_dashboard import labels as L
from zi_dashboard.cli import admin, files, lke, lke_review, readiness, reports, units, uploads
from zi_dashboard.cli.common import EXIT_UNREADABLE, ScopeError

Run = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """One command: its name, its help line, what it runs (with the parsed arguments; -> the
    exit status), the arguments it takes, and its subcommands (`lke score`, ...)."""

    name: str
    help: str
    run: Run | None = None  # None: a group, run by the subcommand chosen
    arguments: Arguments | None = None
    description: str | None = None
    subcommands: tuple[Command, ...] = ()
    passes_on: bool = False  # arguments that are not its own go on (serve: to streamlit)


H, RC, K, KC = L.CLI_HELP, L.READY_CLI, L.LKE, L.LKE_CLI

COMMANDS: tuple[Command, ...] = (
    Command("check", H["check"], files.check, files.check_arguments),
    Command("snapshots", H["snapshots"], uploads.snapshots, uploads.snapshots_arguments, H["snapshots_scope"]),
    Command("import", H["import"], uploads.import_file, uploads.import_arguments),
    Command("export", H["export"], uploads.export, uploads.export_arguments),
    Command("restore", H["restore"], uploads.restore, uploads.restore_arguments),
    Command("position", H["position"], uploads.position, uploads.position_arguments),
    Command("report", H["report"], reports.report, reports.report_arguments),
    Command("hash-password", H["hash_password"], admin.hash_password),
    Command("unlock", H["unlock"], admin.unlock, admin.name_argument),
    Command("logout", H["logout"], admin.logout, admin.name_argument),
    Command("serve", H["serve"], admin.serve, description=H["serve_args"], passes_on=True),
    Command("template", H["template"], files.template, files.template_arguments),
    Command("readiness", RC["help"], readiness.readiness, readiness.readiness_arguments),
    Command("remind", RC["help_remind"], readiness.remind, readiness.remind_arguments),
    Command("assess", RC["help_assess"], readiness.assess, readiness.assess_arguments),
    Command(
        "assessment-template",
        RC["help_assess_template"],
        readiness.assessment_template,
        readiness.assessment_template_arguments,
    ),
    Command("plan-add", H["plan_add"], units.plan_add, units.plan_add_arguments),
    Command("portfolio", H["portfolio"], units.portfolio, units.portfolio_arguments),
    Command(
        "lke",
        K["help_lke"],
        subcommands=(
            Command("score", K["help_score"], lke.score, lke.score_arguments),
            Command("evidence", K["help_evidence"], lke.evidence, lke.evidence_arguments),
            Command("import", KC["help_import"], lke.import_workbook, lke.import_arguments),
            Command("export", KC["help_export"], lke.export_workbook, lke.export_arguments),
            Command("instrument-add", KC["help_instrument"], lke.instrument_add, lke.instrument_add_arguments),
            Command("review", L.LKE_REVIEW_CLI["help_review"], lke_review.review_workbook, lke_review.review_arguments),
            Command("state", L.LKE_REVIEW_CLI["help_state"], lke_review.state, lke_review.state_arguments),
        ),
    ),
)


def _indonesian_argparse() -> None:
    """argparse's own words (usage, options, its errors) in Indonesian: argparse asks gettext's
    `_` and `ngettext` (module globals) for each at the moment it writes it."""
    argparse._ = lambda text: L.ARGPARSE.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: L.ARGPARSE.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]


def _add(sub: argparse._SubParsersAction, commands: tuple[Command, ...]) -> None:
    for c in commands:
        p = sub.add_parser(c.name, help=c.help, description=c.description)
        if c.arguments is not None:
            c.arguments(p)
        if c.subcommands:  # `lke score`: the subcommand chosen is args.lke_command
            _add(p.add_subparsers(dest=f"{c.name}_command", required=True), c.subcommands)
        else:
            p.set_defaults(func=c.run, passes_on=c.passes_on)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command in COMMANDS (each sets `func`, what runs)."""
    _indonesian_argparse()
    p = argparse.ArgumentParser(prog="python -m zi_dashboard", description=L.CLI_HELP["description"])
    _add(p.add_subparsers(dest="command", required=True), COMMANDS)
    return p


def _quiet_stdout() -> None:
    """The reader of our output went away (`... | head`): the rest goes nowhere, silently."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.passes_on:
        args.streamlit_args = extra  # passed on to streamlit: --server.port 8502 ...
    elif extra:
        parser.error(L.CLI["unknown_args"].format(args=" ".join(extra)))
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except ScopeError as exc:  # no such unit or year, or several units and none named: nothing changed
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # as a shell reports a command ended by SIGPIPE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last line of defence: a message, never a traceback
        print(L.msg("unexpected", kind=type(exc).__name__), file=sys.stderr)
        return EXIT_UNREADABLE
