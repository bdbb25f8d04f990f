"""The `maillage` command: Django's manage.py under the project's name.

`maillage migrate`, `maillage territory load`, `maillage runserver` … all
run Django's management utility with the project settings.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Creating the default SQLite database needs its folder.
    if "sqlite3" in settings.DATABASES["default"]["ENGINE"]:
        from pathlib import Path

        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
