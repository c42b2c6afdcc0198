#!/usr/bin/env python3
"""Build the site: `python build.py --help` lists the commands."""

import sys

from placepress.cli import main

if __name__ == "__main__":
    sys.exit(main())
