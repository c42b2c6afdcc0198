"""`build.py import-wordpress`: a WordPress export (WXR) to content files.

The family, in the order an import runs: `stream` (bytes, made safe for XML), `wxr` and `records`
(the export, read in two streaming passes), `when` and `oldsite` (its dates and addresses),
`naming` and `catalogue` (where each item goes), `autop`, `shortcodes`, `cleanhtml` and
`tomarkdown` (bodies), `media`, `archive` (comments), `redirects`, `plan` (every file, as bytes),
`writer` (all at once, with a journal), `report`, and `command` (the command line's side).
"""
