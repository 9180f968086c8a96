"""``python -m geoscout`` is the ``geoscout`` command."""

from geoscout.cli import main

main()
