"""A generic dev server and file watcher, which know nothing about status pages.

`server` serves the files of the latest build from memory under a sub-path and reloads open
tabs when a newer build is out (the client is `reload.js`); `watcher` turns bursts of file
events into one "these paths changed" call. `statusgen.commands.serve` wires them to statusgen.
"""
