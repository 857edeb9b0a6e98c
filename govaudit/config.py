"""Configuration: YAML files validated against schemas, with errors that name file, line and key.

A schema is a dict shaped like the valid config: each value is the default, and its type is the
expected type. `{"*": x}` accepts any key whose value is shaped like x. Unknown keys are errors.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from govaudit.model import KINDS, Unit, parse_level
from govaudit.urls import invalid_reason
from govaudit.text import DEFAULT_TIMEZONE, set_timezone

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"

CRAWL_DEFAULTS: dict[str, Any] = {
    "max_pages": 20000,          # pages fetched per site (HTML and checked targets)
    "max_depth": 25,             # link depth from the portal's home page
    "max_bytes": 20_000_000,     # bytes per response (decompressed); larger ones are cut off
    "site_time": 3600,           # seconds per site before it stops queueing new requests
    "timeout": 15,               # seconds per request (requirements: 15 s)
    "concurrency_per_site": 4,   # simultaneous requests per host
    "global_concurrency": 64,    # simultaneous requests over all sites
    "delay": 0.25,               # seconds between requests to one host
    "autothrottle": True,        # adapt the delay to the server's latency
    "obey_robots": True,         # robots.txt; overriding it is logged as a mandated-audit decision
    "user_agent": "Mozilla/5.0 (compatible; govaudit/0.1; +政务公开检查)",
    "check_external": True,      # HEAD/GET external link targets once each, never crawl them
    "retries": 1,                # retries for timeouts and connection errors
    # attachments are checked with HEAD; those whose link text or URL matches one of these
    # patterns are downloaded (annual reports, guides, interpretations are read by the checks;
    # 公示 lists and rosters are where personal data is published unmasked: content.privacy)
    "fetch_attachments": ["年报", "年度报告", "公开指南", "解读", "nb", "ndbg", "公示", "名单", "花名册", "名册",
                          "明细", "发放",
                          "申请表"],   # request.channel: the 依申请公开 申请表 must download and open
    "skip_hosts": [],             # external hosts never checked (e.g. filing sites unreachable from here)
    "max_query_variants": 500,   # distinct query strings per path (calendar and session-id traps)
    "max_links_per_page": 10000,  # links read from one page; the rest are ignored (link-farm traps)
    "render": True,              # render the home page and platform entry with Chromium (when installed)
    "max_list_renders": 20,      # column pages whose list a script fills, rendered per site (0: none)
    "max_message_pages": 300,    # later list pages and letters of interaction columns per site
}


class ConfigError(Exception):
    """A configuration problem; str() is one line naming file, line and key."""

    def __init__(self, file: str | Path | None, key: str, message: str, line: int | None = None):
        self.file, self.key, self.line = str(file or "<config>"), key, line
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping key so that errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise ConfigError(loader.name, str(key), "duplicate key", key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


class _LineDict(dict):
    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.lines: dict[Any, int] = {}
        self.line: int | None = None


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(path, "", f"cannot read: {e}") from None
    try:
        loader = _LineLoader(text)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(path, "", f"invalid YAML: {problem}", line + 1 if line is not None else None) from None


def validate(data: Any, schema: Any, file: str | Path, key: str = "", line: int | None = None) -> Any:
    """Check data against a defaults-shaped schema; return data merged over the defaults."""
    if isinstance(schema, dict):
        if not isinstance(data, dict):
            raise ConfigError(file, key, f"expected a mapping, got {_tname(data)}", line)
        out = {k: default_of(v) for k, v in schema.items() if k != "*"}
        lines = getattr(data, "lines", {})
        for k, v in data.items():
            sub = f"{key}.{k}" if key else str(k)
            if k in schema:
                out[k] = validate(v, schema[k], file, sub, lines.get(k, line))
            elif "*" in schema:
                out[k] = validate(v, schema["*"], file, sub, lines.get(k, line))
            else:
                known = ", ".join(sorted(str(s) for s in schema if s != "*"))
                raise ConfigError(file, sub, f"unknown key (known: {known})", lines.get(k, line))
        return out
    if isinstance(schema, list):
        if not isinstance(data, list):
            raise ConfigError(file, key, f"expected a list, got {_tname(data)}", line)
        if schema and isinstance(schema[0], dict) and len(schema) == 1:
            return [validate(v, schema[0], file, f"{key}[{i}]", getattr(v, "line", line)) for i, v in enumerate(data)]
        elem = type(schema[0]) if schema else None
        for i, v in enumerate(data):
            if elem is not None and not _type_ok(v, elem):
                raise ConfigError(file, f"{key}[{i}]", f"expected {elem.__name__}, got {_tname(v)}", line)
        return data
    if schema is None:
        return data
    if not _type_ok(data, type(schema)):
        raise ConfigError(file, key, f"expected {type(schema).__name__}, got {_tname(data)} {data!r}", line)
    return data


def default_of(schema: Any) -> Any:
    """The default value a schema describes ('*' entries and list-of-mapping schemas are empty)."""
    if isinstance(schema, dict):
        return {k: default_of(v) for k, v in schema.items() if k != "*"}
    if isinstance(schema, list) and len(schema) == 1 and isinstance(schema[0], dict):
        return []
    return copy.deepcopy(schema)


def _type_ok(v: Any, t: type) -> bool:
    if t is float:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t is int:
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, t)


def _tname(v: Any) -> str:
    return {dict: "a mapping", _LineDict: "a mapping", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number", type(None): "nothing"}.get(type(v), type(v).__name__)


# -- units ---------------------------------------------------------------------------------------
UNIT_SCHEMA: dict[str, Any] = {
    "id": "", "name": "", "url": "", "kind": "government", "level": "",
    "hosts": [], "allow_domains": [], "columns": {"*": ""}, "overrides": dict(CRAWL_DEFAULTS),
}
UNITS_FILE_SCHEMA: dict[str, Any] = {"defaults": dict(CRAWL_DEFAULTS), "units": [UNIT_SCHEMA]}
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_url(url: str, file: str | Path = "<command line>", key: str = "url", line: int | None = None) -> str:
    """A portal URL must be absolute http(s) with a host. Adds http:// to a bare host name."""
    url = (url or "").strip()
    if url and "://" not in url and re.match(r"^[\w.-]+(:\d+)?(/.*)?$", url):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises on a bad port
    except ValueError as e:
        raise ConfigError(file, key, f"malformed URL {url!r} ({e})", line) from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(file, key, f"unsupported URL scheme in {url!r} (use http or https)", line)
    if not parts.hostname or ".." in parts.hostname or parts.hostname.startswith("."):
        raise ConfigError(file, key, f"malformed URL {url!r}: no valid host", line)

    bad = invalid_reason(url)
    if bad:
        raise ConfigError(file, key, f"{bad} in {url!r}", line)
    return url


def load_units(path: str | Path) -> tuple[list[Unit], dict[str, Any]]:
    """Read a units file; returns the units (with per-unit overrides merged) and the defaults."""
    data = load_yaml(path)
    if data is None:
        raise ConfigError(path, "units", "file is empty")
    conf = validate(data, UNITS_FILE_SCHEMA, path)
    check_crawl_values(conf["defaults"], path, "defaults", getattr(data.get("defaults"), "lines", None))
    if "units" not in data:
        raise ConfigError(path, "units", "missing: list the units to audit")
    raw_units = data["units"]
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for i, (raw, u) in enumerate(zip(raw_units, conf["units"])):
        lines = getattr(raw, "lines", {})
        key = f"units[{i}]"
        for req in ("id", "name", "url"):
            if not u.get(req) or req not in raw:
                raise ConfigError(path, f"{key}.{req}", "required", getattr(raw, "line", None))
        if not _ID_RE.match(u["id"]):
            raise ConfigError(path, f"{key}.id", f"invalid id {u['id']!r} (letters, digits, _ . -)", lines.get("id"))
        if u["id"] in seen:
            raise ConfigError(path, f"{key}.id", f"duplicate unit id {u['id']!r} (also at line {seen[u['id']]})", lines.get("id"))
        seen[u["id"]] = lines.get("id") or 0
        if u["kind"] not in KINDS:
            raise ConfigError(path, f"{key}.kind", f"must be one of {', '.join(KINDS)}", lines.get("kind"))
        try:
            level = parse_level(u["level"])
        except ValueError as e:
            raise ConfigError(path, f"{key}.level", str(e), lines.get("level")) from None
        url = check_url(u["url"], path, f"{key}.url", lines.get("url"))
        for j, col_url in enumerate(u["columns"].values()):
            check_url(col_url, path, f"{key}.columns", lines.get("columns"))
        overrides = {k: v for k, v in (raw.get("overrides") or {}).items()}
        check_crawl_values(overrides, path, f"{key}.overrides", getattr(raw.get("overrides"), "lines", None))
        units.append(Unit(id=u["id"], name=u["name"], url=url, kind=u["kind"], level=level,
                          hosts=list(u["hosts"]), allow_domains=list(u["allow_domains"]),
                          columns=dict(u["columns"]), overrides=overrides))
    return units, conf["defaults"]


# -- rule settings (config/rules.yaml) -----------------------------------------------------------
def load_rules_config(path: str | Path | None, rule_defaults: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Rule thresholds and vocabularies, validated against each rule's declared defaults
    (`rule_defaults`: rule id -> defaults; govaudit.checks.settings passes the registry's)."""
    schema: dict[str, Any] = dict(rule_defaults)
    schema["crawl"] = dict(CRAWL_DEFAULTS)
    schema["shared"] = SHARED_DEFAULTS
    path = Path(path) if path else CONFIG_DIR / "rules.yaml"
    data = load_yaml(path) if path.exists() else {}
    conf = validate(data or {}, schema, path)
    raw_crawl = (data or {}).get("crawl") if isinstance(data, dict) else None
    check_crawl_values(conf["crawl"], path, "crawl", getattr(raw_crawl, "lines", None))
    try:  # the zone people read times in (reports, terminal); findings.json keeps ISO 8601 with offset
        set_timezone(conf["shared"]["timezone"])
    except ValueError as e:
        raise ConfigError(path, "shared.timezone", str(e)) from None
    return conf


# Smallest sensible value of each numeric crawl setting. Zero would switch a protection off
# (Scrapy reads max_bytes 0 as "no limit", timeout 0 as its 180 s default) or stop every crawl.
CRAWL_MINIMUMS: dict[str, float] = {
    "max_pages": 1, "max_depth": 0, "max_bytes": 1024, "site_time": 1, "timeout": 0.1,
    "concurrency_per_site": 1, "global_concurrency": 1, "delay": 0, "retries": 0,
    "max_query_variants": 1, "max_links_per_page": 1, "max_list_renders": 0,
    "max_message_pages": 0,
}


def check_crawl_values(values: dict[str, Any], file: str | Path, key: str,
                       lines: dict[Any, int] | None = None) -> None:
    """Crawl limits must be usable: a limit of 0 or less is an error naming file, line and key."""
    for name, least in CRAWL_MINIMUMS.items():
        v = values.get(name)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v < least:
            raise ConfigError(file, f"{key}.{name}" if key else name, f"must be at least {least:g} (got {v!r})",
                              (lines or {}).get(name))


# Vocabularies and settings used by several rules.
SHARED_DEFAULTS: dict[str, Any] = {
    "gov_domains": ["gov.cn"],                      # allowlisted everywhere (*.gov.cn)
    "attachment_extensions": [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip",
                              ".rar", ".7z", ".ppt", ".pptx", ".txt", ".csv", ".et", ".dps"],
    "timezone": DEFAULT_TIMEZONE,                   # times in reports and on the terminal
}
