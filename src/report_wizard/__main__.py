"""``python -m report_wizard`` runs the command line."""

from report_wizard.cli import main

raise SystemExit(main())
