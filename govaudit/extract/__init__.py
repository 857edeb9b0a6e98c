"""Pure extractors over one document: encoding, links with visibility hints, meta, dates.

Shared by the crawler (while fetching), the checks (over stored bodies) and `govaudit inspect`.
"""
