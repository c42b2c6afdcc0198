"""`build.py import-wordpress`: a WordPress export (WXR) to content files.

The family, in the order an import runs: `stream` (bytes, made safe for XML), `wxr` (the export,
read in two streaming passes), `dates`, `naming` (where each item goes), `autop` and `shortcodes`
and `tomarkdown` (bodies), `media`, `comments`, `redirects`, `plan` (every file, as bytes), `writer`
(all at once, with a journal), `report`, and `command` (the command line's side).
"""
