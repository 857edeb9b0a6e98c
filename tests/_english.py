"""Finding English words in text a person reads (report pages, terminal output, `explain`)."""
from __future__ import annotations

import re

# Codes and names that are the normal way to write these things in Chinese official documents.
ALLOWED = {
    "HTTP", "HTTPS", "PDF", "OCR", "ICP", "IPv6", "IPv4", "DNS", "TLS", "URL", "HTML", "CSS", "DOCX", "DOC", "XLSX",
    "XLS", "WPS", "OFD", "ZIP", "CSV", "JSON", "WARC", "H5", "GET", "HEAD", "POST", "JavaScript", "Chromium",
    "sha256", "SHA256", "govaudit", "robots", "txt", "noscript", "hidden", "marquee", "iframe", "meta",
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ColumnDescription", "ColumnKeywords",
    "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description", "Author", "Image", "Url",
    "Playwright", "Ctrl", "Datasette", "Redis", "Scrapy", "cron", "Python", "Debian", "LibreOffice",
    "Asia", "Shanghai", "UTC", "GMT",
}
_URL = re.compile(r"(?i)\b(?:https?|file|ftp)://\S+|\bwww\.\S+|mailto:\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_PATHLIKE = re.compile(r"[\w.-]*[/\\][\w./\\-]*|\b[\w-]+\.(?:html?|xlsx|docx?|pdf|csv|json|yaml|zip|warc(?:\.gz)?|png|"
                       r"jpe?g|sqlite|txt|py|md|j2|wps|ofd|xls|pptx?|js|css)\b", re.I)
_HEX = re.compile(r"\b[0-9a-f]{8,}\b|\b\d{8}T\d{6}-[0-9a-f]+\b", re.I)
# identifiers and declarations: rule ids (link.broken), config keys (max_sources), CSS (left:-9999px)
_CODE = re.compile(r"[A-Za-z0-9]+(?:[._:=-]+[A-Za-z0-9#%()-]+)+|\w*_\w+|--?[a-z][\w-]*|<[^>\n]{0,40}>")
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*")


def english_words(text: str, extra_allowed: set[str] = frozenset()) -> list[str]:
    """English words left after removing URLs, file names, hashes, code tokens and allowed codes."""
    for rx in (_URL, _PATHLIKE, _HEX, _CODE):
        text = rx.sub(" ", text)
    allowed = ALLOWED | set(extra_allowed)
    lower = {a.lower() for a in allowed}
    return [w for w in _WORD.findall(text) if w not in allowed and w.lower() not in lower]
