"""Content rules: illegal text on gov pages, future publish dates, obsolete institution names."""
