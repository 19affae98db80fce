"""Entry script for PyInstaller: the same ``main`` as ``onewindow`` and ``python -m app``."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
