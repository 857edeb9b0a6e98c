import sys

from govaudit.cli import main

sys.exit(main())
