"""``python -m shim`` runs the ``ovphysx-shim`` command line."""

import sys

from shim.cli import main

sys.exit(main())
