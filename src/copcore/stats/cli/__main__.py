"""``python -m copcore.stats.cli``: the ``copstats`` command."""

from copcore.stats.cli import main

raise SystemExit(main())
