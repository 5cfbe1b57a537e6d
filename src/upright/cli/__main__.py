"""`python -m upright.cli ...`, the same as the `upright` command."""

from upright.cli import main

main()
