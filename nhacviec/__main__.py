"""`python -m nhacviec` is the `nhacviec` command."""

from nhacviec.cli import main

main()
