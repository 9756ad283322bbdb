"""`python -m govsite.cli`: the `govsite` command."""

from govsite.cli import main

main()
