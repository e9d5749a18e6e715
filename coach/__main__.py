"""`python -m coach` and the `coach` console script."""

import sys

from coach.cli import main

if __name__ == "__main__":
    sys.exit(main())
