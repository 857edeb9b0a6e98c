"""Site rules: availability, freshness, identifiers, metadata, HTTPS, search."""
