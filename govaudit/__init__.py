"""govaudit — audits Chinese government websites for 政务公开 compliance."""
from __future__ import annotations

__version__ = "0.1.0"
