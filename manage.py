#!/usr/bin/env python
"""Same as the `maillage` console script, for those used to manage.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from maillage.cli import main

if __name__ == "__main__":
    main()
