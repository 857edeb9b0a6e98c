"""report.*: the annual report on government information disclosure (appraisal item 8.2.6)."""
