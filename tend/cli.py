"""The ``tend`` console command: every Tend management command, with the settings already set.

``tend serve``, ``tend worker``, ``tend user create``, ``tend token create``, ``tend backup``,
``tend restore``, ``tend keys rotate`` … ``tend help`` lists them all and ``tend X --help``
explains one.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "tend"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
