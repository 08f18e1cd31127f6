"""python -m zi_dashboard: the command line, beside the pages (it asks app/service like them).

Exit status: 0 done (a file valid); 1 read but invalid, or refused; 2 cannot be read at all, or
no such unit, year or upload.  Never a traceback.

    commands.py   THE command table (COMMANDS), the parser built from it, main()
    common.py     exit statuses, --unit/--year and the work plan they name, reading a file
    files.py      check, template                      uploads.py  snapshots, import, export,
    reports.py    report (meeting report, pack, monev)             restore, position
    readiness.py  readiness, remind, assess, assessment-template
    units.py      plan-add, portfolio                  admin.py    serve, hash-password, unlock, logout
    lke.py        lke score | evidence | import | export | instrument-add
    lke_review.py lke review | state (the TPI review)

Adding a command:
1. In the module of its subject (or a new module), write `NAME_arguments(p)` (adds its
   arguments to the argparse parser `p`; help texts from labels) and `NAME(args) -> int`
   (does the work, prints for the user, returns an exit status from common.py).  Import what
   it needs at the top of the module; text and JSON it prints are built in outputs/.
2. Add one line to COMMANDS in commands.py: `Command("name", help, module.NAME,
   module.NAME_arguments)`; a subcommand of `lke` goes into the `lke` entry's subcommands.
The parser gives every command `set_defaults(func=...)`; main() runs `args.func(args)`.
"""

from __future__ import annotations

from zi_dashboard.cli.commands import COMMANDS, build_parser, main

__all__ = ["COMMANDS", "build_parser", "main"]
