"""One module per verb of the `statusgen` command; cli.py parses the options and calls them.

build.py (`statusgen build` around the pipeline, statusgen/pipeline.py), check.py, schema.py, serve.py, init.py, new.py, stats.py and imports.py (`statusgen import`).
Each takes the time it runs at as an argument (serve: a clock) and raises a StatusgenError
(problems.py) for anything the user must fix.
"""
