"""Importers: other status pages' records → a statusgen site's files.

`cstate.py` reads a cState (Hugo) site, `statuspage.py` an export of Atlassian Statuspage's
public API, both through `inputs.py` (files read safely, texts made publishable). Both turn what they read into `Imported*` records and notes about anything they
could not map; `writer.py` turns those into statusgen.yml and update files, checks that every
file would build, and never overwrites anything.
"""
