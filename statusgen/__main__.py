"""`python -m statusgen` runs the command line."""

from .cli import main

main()
