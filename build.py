#!/usr/bin/env python3
"""Build the site: `python build.py --help` lists the commands."""

from placepress.cli import leave, main

if __name__ == "__main__":
    leave(main())
