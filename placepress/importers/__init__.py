"""Commands that bring another system's content into ordinary PlacePress content files.

Importers sit beside the build: they read an export and write content/ and data/ files as an
editor would, and know nothing of templates, routes or rendering (tests/test_architecture.py).
"""
