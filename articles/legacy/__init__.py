"""Import of the legacy site's archive pages: parse, resolve related items, write, report.

`parser` turns one page file into a `LegacyPage`; `dump` salvages its related list;
`pictures` decodes and stores the items' lead media references; `importer` writes one page
per transaction; `report` collects the one-line results and the summary; `links` builds addresses on the old
site (LEGACY_SITE_URL) for items not imported yet.
"""
