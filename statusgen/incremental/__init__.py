"""The incremental build, in one place: a rebuild does only the work its changes need, and gives
exactly the site a cold build gives.

- digests.py: every key, from one recipe (code, items, theme, fingerprint, pages, feeds, Markdown).
- hooks.py: what loading (ItemStore) and rendering (PageReuse, Rendered) see of it.
- stores.py: the JSON stores in the cache folder (items, copies of the files, Markdown bodies).
- records.py: an item as the item store keeps it, and back.

The up-to-date check and the record of the output folder live in output.py; the Markdown
renderer a build shares (and fills the Markdown store from) in render/markdown.py.
"""
