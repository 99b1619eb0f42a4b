"""The ``ketenregie`` console script: Django's management commands under one name.

Commands are spelt with hyphens on the command line (``ketenregie import-brp``) and with
underscores as Python modules (``import_brp``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenregie.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "ketenregie"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
