"""``python -m zorgzaam``: see zorgzaam.cli."""

import sys

from zorgzaam.cli import main

sys.exit(main())
