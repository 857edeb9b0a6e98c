"""The structured annual report (2021 format, 国办公开办函〔2021〕30号) read from document blocks.

`interpret(doc)` finds the six section headings, tables 2, 3 and 4 by their content (not by
their position or class names), the 信息处理费 line and the numbers that section 一 quotes.
`identities(report)` evaluates requirements.md §5 (a)–(d) and (f); `cross_year(this, last)` (e).

Cell text is compared after NFKC (full-width digits and brackets to ASCII) with all whitespace
removed, so "社会公益 组织", "１２" and "&nbsp;" read as written by a person.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from govaudit.extract.annual_report.blocks import Document, Para, Table

# -- vocabulary ---------------------------------------------------------------------------------
SECTIONS: list[tuple[str, str, str]] = [  # key, canonical heading, pattern (over normalised text)
    ("overview", "一、总体情况", r"总体情况"),
    ("proactive", "二、主动公开政府信息情况", r"主动公开政府信息的?情况"),
    ("requests", "三、收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请的?情况"),
    ("review", "四、政府信息公开行政复议、行政诉讼情况", r"行政复议.{0,3}行政诉讼的?情况"),
    ("problems", "五、存在的主要问题及改进情况", r"存在的?(?:主要)?问题(?:及|和|与|以及)?(?:其)?改进|存在的?主要问题"),
    ("other", "六、其他需要报告的事项", r"其他需要报告的事项"),
]
_ORDINAL = re.compile(r"^[一二三四五六七八九十]{1,2}[、.,，]")

COLS3 = ["natural", "business", "research", "public_interest", "legal", "other", "total"]
COL3_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

GROUPS3 = {"refuse": ("(三)不予公开", 8, "不予公开"), "unable": ("(四)无法提供", 3, "无法提供"),
           "not_processed": ("(五)不予处理", 5, "不予处理"), "other": ("(六)其他处理", 3, "其他处理")}
ROWS3: list[tuple[str, str]] = [("new", "一、本年新收政府信息公开申请数量"), ("carried_in", "二、上年结转政府信息公开申请数量"),
                                ("open", "三、(一)予以公开"), ("partial", "三、(二)部分公开")]
for _g, (_label, _n, _) in GROUPS3.items():
    ROWS3 += [(f"{_g}.{i}", f"三、{_label} {i}") for i in range(1, _n + 1)]
ROWS3 += [("total", "三、(七)总计"), ("carried_out", "四、结转下年度继续办理")]
ROW3_LABELS = dict(ROWS3)
ORDER3 = list(GROUPS3)
_SUBITEM = re.compile(r"^(\d+)[.、．,]")
ROW3_LABELS.update({g: f"三、{label}" for g, (label, _, _) in GROUPS3.items()})
_TOP3 = [("new", "本年新收"), ("carried_in", "上年结转"), ("open", "予以公开"), ("partial", "部分公开"),
         ("carried_out", "结转下年度"), ("total", "总计")]

ROWS2 = [("rules", "规章", 3), ("normative", "行政规范性文件", 3), ("licensing", "行政许可", 1),
         ("penalty", "行政处罚", 1), ("coercion", "行政强制", 1), ("fees", "行政事业性收费", 1)]
COLS2 = ["issued", "repealed", "in_force"]
COL2_LABELS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
# the 2019 format's table 2 (国办公开办函〔2019〕60号): other columns, other rows
ROWS2_2019: list[tuple[str, str, list[str]]] = [
    ("rules", "规章", ["made", "published", "total"]),
    ("normative", "规范性文件", ["made", "published", "total"]),
    ("licensing", "行政许可", ["items_last_year", "change", "decisions"]),
    ("other_services", "其他对外管理服务事项", ["items_last_year", "change", "decisions"]),
    ("penalty", "行政处罚", ["items_last_year", "change", "decisions"]),
    ("coercion", "行政强制", ["items_last_year", "change", "decisions"]),
    ("fees", "行政事业性收费", ["items_last_year", "change"]),
    ("procurement", "政府集中采购", ["items", "amount"]),
]
COL2_2019_LABELS = {"made": "本年新制作数量", "published": "本年新公开数量", "total": "对外公开总数量",
                    "items_last_year": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
                    "items": "采购项目数量", "amount": "采购总金额"}
FORMAT_2019 = re.compile(r"本年新制作|本年新公开|对外公开总数|上一年项目数|政府集中采购|其他对外管理服务")
GROUPS4 = [("review", "行政复议"), ("direct", "行政诉讼·未经复议直接起诉"), ("after_review", "行政诉讼·复议后起诉")]
COLS4 = [("maintained", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
         ("total", "总计")]

# numbers quoted in section 一 and the cells they must equal: (key, pattern, cell path)
QUOTES: list[tuple[str, str, str]] = [
    ("新收申请", r"(?:新收|收到|受理)(?:[^。；;\d复诉]{0,24}?)申请[^。；;\d复诉]{0,12}?(\d+)件", "table3.new.total"),
    ("上年结转", r"上年度?结转[^。；;\d]{0,20}?(\d+)件", "table3.carried_in.total"),
    ("结转下年度", r"结转下年度[^。；;\d]{0,20}?(\d+)件", "table3.carried_out.total"),
    ("行政复议", r"行政复议(?:案件|申请)?[^。；;\d]{0,8}?(\d+)(?:件|起)", "table4.review.total"),
    ("行政诉讼", r"行政诉讼(?:案件)?[^。；;\d]{0,8}?(\d+)(?:件|起)", "table4.litigation.total"),
    ("制发规范性文件", r"(?:制发|印发|出台)[^。；;\d]{0,15}?规范性文件[^。；;\d]{0,6}?(\d+)件", "table2.normative.issued"),
]
_BLANK = {"", "-", "—", "——", "/", "\\", "无", "－", "_", "×"}


def norm(s: str | None) -> str:
    """NFKC (full-width to ASCII), whitespace (incl. nbsp and ideographic space) removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


@dataclass
class Cell:
    """One number cell: value None when blank; `problem` says why it is not a usable number."""
    ref: str
    raw: str | None
    value: float | int | None
    problem: str | None = None   # blank | not a number | negative | not an integer


def parse_cell(raw: str | None, ref: str, decimal: bool = False) -> Cell:
    s = norm(raw).replace(",", "")
    s = re.sub(r"(件|个|万元|元)$", "", s)
    if s in _BLANK:
        return Cell(ref, raw, None, "blank")
    if re.fullmatch(r"-\d+(\.\d+)?", s):
        return Cell(ref, raw, None, "negative")
    if re.fullmatch(r"\d+", s):
        return Cell(ref, raw, int(s))
    if re.fullmatch(r"\d+\.\d*", s):
        v = float(s)
        if decimal:
            return Cell(ref, raw, v)
        if v.is_integer():
            return Cell(ref, raw, int(v))
        return Cell(ref, raw, None, "not an integer")
    return Cell(ref, raw, None, "not a number")


@dataclass
class AnnualReport:
    format: str
    title: str = ""
    year: int | None = None
    status: str = "ok"                 # ok | not_measured
    reason: str | None = None          # why not measured
    sections: list[dict[str, Any]] = field(default_factory=list)
    table2: dict[str, Any] | None = None
    table3: dict[str, Any] | None = None
    table4: dict[str, Any] | None = None
    fee: dict[str, Any] | None = None
    quotes: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: int | None = None
    publish_date: str | None = None     # ISO date: the page's publish date (HTML) or the report's 落款 date
    publish_date_source: str | None = None

    # -- helpers for checks -----------------------------------------------------------------------
    def cell(self, path: str) -> Cell | None:
        """'table3.new.total', 'table2.normative.issued', 'table4.review.total', 'table4.litigation.total'."""
        table, row, col = path.split(".", 2)
        if table == "table3" and self.table3:
            cells = self.table3["cells"].get(row)
            return cells[COLS3.index(col)] if cells else None
        if table == "table2" and self.table2:
            return self.table2["cells"].get(row, {}).get(col)
        if table == "table4" and self.table4:
            if row == "litigation" and col == "total":
                a, b = self.table4["cells"]["direct"]["total"], self.table4["cells"]["after_review"]["total"]
                v = (a.value or 0) + (b.value or 0)
                return Cell("表四 行政诉讼 总计（两组之和）", f"{a.raw}+{b.raw}", v)
            return self.table4["cells"].get(row, {}).get(col)
        return None

    def problem_cells(self) -> list[Cell]:
        out: list[Cell] = []
        if self.table2:
            out += [c for row in self.table2["cells"].values() for c in row.values() if c.problem]
        if self.table3:
            out += [c for row in self.table3["cells"].values() for c in row if c.problem]
        if self.table4:
            out += [c for g in self.table4["cells"].values() for c in g.values() if c.problem]
        return out

    def to_dict(self) -> dict[str, Any]:
        def conv(x: Any) -> Any:
            if isinstance(x, Cell):
                return {"value": x.value, "raw": x.raw, **({"problem": x.problem} if x.problem else {})}
            if isinstance(x, dict):
                return {k: conv(v) for k, v in x.items()}
            if isinstance(x, list):
                return [conv(v) for v in x]
            return x

        d = asdict(self)
        for k in ("table2", "table3", "table4"):
            d[k] = conv(getattr(self, k))
        return d


# -- interpretation -----------------------------------------------------------------------------
def interpret(doc: Document) -> AnnualReport:
    rep = AnnualReport(format=doc.format, title=doc.title, pages=doc.pages, notes=list(doc.notes))
    paras = [(i, norm(b.text)) for i, b in enumerate(doc.blocks) if isinstance(b, Para)]
    rep.year = report_year(doc.title) or next((y for _, t in paras[:15] if (y := report_year(t))), None)
    if not rep.title:
        rep.title = next((b.text for b in doc.blocks[:15] if isinstance(b, Para) and report_year(norm(b.text))), "")
    rep.sections = find_sections(paras)
    if doc.published:
        rep.publish_date, rep.publish_date_source = doc.published
    else:
        signed = signature_date([t for _, t in paras])
        if signed:
            rep.publish_date, rep.publish_date_source = signed.isoformat(), "落款"
    for t in doc.tables:
        text = norm("".join(c or "" for row in t.rows for c in row))
        if rep.table3 is None and "自然人" in text and ("本年新收" in text or "予以公开" in text):
            rep.table3 = read_table3(t, rep.notes)
        elif rep.table2 is None and "规章" in text and "规范性文件" in text:
            rep.table2 = read_table2_2019(t) if FORMAT_2019.search(text) else read_table2(t)
        elif rep.table4 is None and "行政复议" in text and "行政诉讼" in text and ("维持" in text or "纠正" in text):
            rep.table4 = read_table4(t, rep.notes)
    if rep.table3 is None or rep.table4 is None or rep.table2 is None:
        text_tables(doc, rep)
    rep.fee = find_fee([t for _, t in paras])
    rep.quotes = find_quotes(rep, paras)
    return rep


_NOT_REPORT = re.compile(r"解读|图解|一图读懂|编制|报送|做好|答记者问|新闻发布|培训|考核|评估|统计表|模板|格式")
_NUM_TOKEN = re.compile(r"^[+\-－]?[\d０-９]+(?:[.．][\d０-９]+)?$")


def _split_numbers(text: str) -> tuple[list[str], list[str]]:
    """A text line as (label tokens, trailing number tokens)."""
    tokens = text.split()
    k = len(tokens)
    while k and _NUM_TOKEN.match(tokens[k - 1]):
        k -= 1
    return tokens[:k], tokens[k:]


def text_tables(doc: Document, rep: AnnualReport) -> None:
    """Tables drawn without ruling lines (a PDF whose table pdfplumber cannot see) read from the
    text lines: a line ending in 7 numbers is a table 3 row, 15 numbers table 4's data row,
    规章/行政许可 … followed by numbers table 2's rows. Label lines above a row are its labels."""
    lines = [b.text for b in doc.blocks if isinstance(b, Para)]
    if rep.table3 is None:
        rows: list[list[str | None]] = []
        pending: list[str] = []
        started = False
        for line in lines:
            labels, nums = _split_numbers(line)
            if not started:
                started = "自然人" in norm(line)
                continue
            if len(nums) >= 7 and len(nums) < 15:
                rows.append([*pending, *labels, *nums[-7:]])
                pending = []
                if "结转下年度" in norm("".join(rows[-1][:-7])):  # type: ignore[arg-type]
                    break
            elif len(norm(line)) <= 40 and not nums:
                pending += labels
            else:
                pending = []
        if len(rows) >= 5:
            rep.table3 = read_table3(Table(rows), rep.notes)
            rep.notes.append("table 3 read from text lines (no ruled table found)")
    if rep.table4 is None:
        for i, line in enumerate(lines):
            labels, nums = _split_numbers(line)
            if len(nums) == 15 and any("行政复议" in norm(x) for x in lines[max(0, i - 8): i]):
                rep.table4 = read_table4(Table([[*labels, *nums]]), rep.notes)
                rep.notes.append("table 4 read from text lines (no ruled table found)")
                break
    if rep.table2 is None:
        rows = []
        for line in lines:
            labels, nums = _split_numbers(line)
            if nums and labels and norm("".join(labels)) in ("规章", "行政规范性文件", "规范性文件", "行政许可",
                                                             "行政处罚", "行政强制", "行政事业性收费",
                                                             "其他对外管理服务事项", "政府集中采购"):
                rows.append(["".join(labels), *nums])
        if any(norm(r[0]) == "规章" for r in rows) and len(rows) >= 3:
            old = FORMAT_2019.search(norm("".join(lines)))
            rep.table2 = read_table2_2019(Table(rows)) if old else read_table2(Table(rows))
            rep.notes.append("table 2 read from text lines (no ruled table found)")


def report_year(text: str) -> int | None:
    """The report year of a title like '…2023年(度)政府信息公开工作年度报告' (or 年报, Chinese numerals)."""
    t = norm(text)
    if not re.search(r"年度报告|年报|工作报告", t):
        return None
    if _NOT_REPORT.search(t) or ("通知" in t and "印发" not in t and "转发" not in t):
        return None  # about a report (an interpretation, a notice to compile one), not the report
    m = re.search(r"((?:19|20)\d\d|[〇○零O一二三四五六七八九]{4})年度?", t)
    if not m or not re.search(r"信息公开|政务公开", t):
        return None
    y = m.group(1)
    if not y.isdigit():
        digits = {"〇": "0", "○": "0", "零": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                  "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
        y = "".join(digits[c] for c in y)
    year = int(y)
    return year if 2000 <= year <= 2100 else None


_CN_ORD = "一二三四五六"


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (headings are short: the quadratic table is cheap)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _core(text: str) -> str:
    """A heading without its numbering and filler words: 四、政府信息公开行政复议、行政诉讼情况 → 行政复议行政诉讼情况."""
    t = _ORDINAL.sub("", text)
    t = re.sub(r"[、,，.。:：()（）\s]", "", t)
    return re.sub(r"^(?:政府信息公开|政务公开)", "", t)


def find_sections(paras: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Each of the six headings: found?, its text and block index (first heading-like occurrence).
    A heading with a small typo or variant ("四、政府信息公开行政法复议、行政诉讼情况") is matched by the
    edit distance of its core to the canonical core, when its numbering is the section's own."""
    out = []
    for order, (key, canonical, pat) in enumerate(SECTIONS):
        hit = None
        fuzzy = None
        want = _core(canonical)
        for idx, text in paras:
            if len(text) > 45:
                continue
            if re.search(pat, text):
                if _ORDINAL.match(text) or len(text) <= 20:
                    hit = (idx, text)
                    break
                continue
            m = _ORDINAL.match(text)
            if fuzzy is None and m and text[0] == _CN_ORD[order]:
                got = _core(text)
                if got and edit_distance(got, want) <= max(2, len(want) // 4):
                    fuzzy = (idx, text)
        tolerant = hit is None and fuzzy is not None
        hit = hit or fuzzy
        out.append({"key": key, "heading": canonical, "found": hit is not None,
                    "text": hit[1] if hit else None, "block": hit[0] if hit else None, "order": order + 1,
                    **({"approximate": True} if tolerant else {})})
    return out


def _rstrip(row: list[str | None]) -> list[str | None]:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _row_labels(row: list[str | None], ncols: int) -> list[str]:
    labels: list[str] = []
    for c in row[: len(row) - ncols]:
        t = norm(c)
        if t and (not labels or labels[-1] != t):
            labels.append(t)
    return labels


def read_table3(t: Table, notes: list[str]) -> dict[str, Any]:
    """Table 3 as row key × 7 columns; rows recognised by their labels, in any layout."""
    cells: dict[str, list[Cell]] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    group: str | None = None
    counts: dict[str, int] = {}
    header: list[list[str]] = []
    last_key: str | None = None
    for row in t.rows:
        row = _rstrip(row)  # a short row in a grid widened by a stray cell elsewhere
        if len(row) < 8:
            continue
        labs = _row_labels(row, 7)
        data_text = [norm(c) for c in row[-7:]]
        if (any(w in "".join(data_text) for w in ("自然人", "商业企业", "总计", "申请人情况"))
                and not any(re.fullmatch(r"\d+", d) for d in data_text)):
            if not cells:
                header.append(data_text)
            continue  # a header row, also when repeated after a page break
        if not labs:
            continue
        explicit = None
        for lab in labs:
            for g, (_, _, word) in GROUPS3.items():
                if word in lab:
                    explicit = g
        spec = labs[-1]
        key = None
        m = _SUBITEM.match(spec)
        if not m and not any(w in spec for _, w in _TOP3):
            # a wrapped label (text lines): the numbered fragment is not the last one
            for lab in reversed(labs[:-1]):
                if _SUBITEM.match(lab):
                    spec, m = lab, _SUBITEM.match(lab)
                    break
        if explicit:
            group = explicit
        elif m and int(m.group(1)) == 1 and last_key:
            # a new group whose label the layout lost (text lines, odd wording): the next in order
            prev = last_key.split(".")[0]
            if last_key == "partial":
                group = ORDER3[0]
            elif prev in ORDER3 and ORDER3.index(prev) + 1 < len(ORDER3):
                group = ORDER3[ORDER3.index(prev) + 1]
        if m and group:
            key = f"{group}.{int(m.group(1))}"
        elif (group and not any(w in spec for _, w in _TOP3) and GROUPS3[group][2] not in spec
              and not re.match(r"^\(?[一二三四五六七八九十]+[)、]", spec)
              and counts.get(group, 0) < GROUPS3[group][1]):
            counts[group] = counts.get(group, 0) + 1  # a sub-item written without its number
            key = f"{group}.{counts[group]}"
        elif group and GROUPS3[group][2] in spec and not any(w in spec for _, w in _TOP3):
            key = group  # a group written as one row (the 2019 format's (六)其他处理)
        else:
            key = next((k for k, word in _TOP3 if word in spec), None)
            if key is None and len(labs) > 1:  # a wrapped label: its parts joined
                key = next((k for k, word in _TOP3 if word in "".join(labs[-3:])), None)
            if key is not None:
                group = None
        if key is None:
            unknown.append("/".join(labs))
            continue
        if key in cells:
            notes.append(f"table 3: row {key} appears twice; the first is kept")
            continue
        labels[key] = spec
        last_key = key
        cells[key] = [parse_cell(c, f"表三 {ROW3_LABELS.get(key, key)} × {COL3_LABELS[i]}")
                      for i, c in enumerate(row[-7:])]
    columns = ["".join(dict.fromkeys(h[i] for h in header if h[i])) for i in range(7)] if header else []
    missing = [k for k, _ in ROWS3 if k not in cells and k.split(".")[0] not in cells]
    return {"cells": cells, "labels": labels, "columns": columns, "missing_rows": missing,
            "unrecognised_rows": unknown,
            "columns_ok": bool(columns) and all(w in c for w, c in zip(COL3_LABELS, columns))}


def read_table2(t: Table) -> dict[str, Any]:
    cells: dict[str, dict[str, Cell]] = {}
    for row in t.rows:
        texts = [norm(c) for c in row]
        for i, lab in enumerate(texts):
            if not lab:
                continue
            key = next((k for k, word, _ in ROWS2 if lab == word or (k == "normative" and lab == "规范性文件")), None)
            if key is None:
                if re.search(r"[^\d.,\-—/无]", lab):
                    continue
                break
            n = dict((k, n) for k, _, n in ROWS2)[key]
            rest = row[i + 1:]
            label = dict((k, w) for k, w, _ in ROWS2)[key]
            if n == 3:
                cells[key] = {c: parse_cell(rest[j] if j < len(rest) else None, f"表二 {label} × {COL2_LABELS[c]}")
                              for j, c in enumerate(COLS2)}
            else:
                first = next((v for v in rest if v is not None and norm(v) != ""), rest[0] if rest else None)
                what = "本年收费金额（万元）" if key == "fees" else "本年处理决定数量"
                cells[key] = {"count" if key != "fees" else "amount":
                              parse_cell(first, f"表二 {label} × {what}", decimal=key == "fees")}
            break
    return {"cells": cells, "missing_rows": [k for k, _, _ in ROWS2 if k not in cells]}


def _signed_cell(raw: str | None, ref: str) -> Cell:
    """本年增/减 may be negative (-2) or written with a sign (+3)."""
    s = norm(raw).replace("－", "-").lstrip("+")
    if re.fullmatch(r"-\d+", s):
        return Cell(ref, raw, int(s))
    return parse_cell(s if raw is not None else None, ref)


def read_table2_2019(t: Table) -> dict[str, Any]:
    """The 2019 format's table 2: 规章/规范性文件 × 本年新制作/本年新公开/对外公开总数量; 行政许可 … ×
    上一年项目数量/本年增减/处理决定数量; 行政事业性收费 × 上一年项目数量/本年增减; 政府集中采购 ×
    采购项目数量/采购总金额 (万元, may be decimal)."""
    cells: dict[str, dict[str, Cell]] = {}
    for row in t.rows:
        texts = [norm(c) for c in row]
        for i, lab in enumerate(texts):
            if not lab:
                continue
            spec = next((r for r in ROWS2_2019 if lab == r[1] or (r[0] == "normative" and lab == "行政规范性文件")
                         or (r[0] == "other_services" and lab.startswith("其他对外管理服务"))), None)
            if spec is None:
                if re.search(r"[^\d.,\-—/无+]", lab):
                    continue
                break
            key, label, cols = spec
            rest = row[i + 1:]
            cells[key] = {}
            for j, c in enumerate(cols):
                raw = rest[j] if j < len(rest) else None
                ref = f"表二 {label} × {COL2_2019_LABELS[c]}"
                cells[key][c] = _signed_cell(raw, ref) if c == "change" else \
                    parse_cell(raw, ref, decimal=c == "amount")
            break
    return {"format": "2019", "cells": cells, "missing_rows": [k for k, _, _ in ROWS2_2019 if k not in cells]}


def read_table4(t: Table, notes: list[str]) -> dict[str, Any]:
    best: list[str | None] | None = None
    for row in t.rows:
        row = _rstrip(row)
        if len(row) < 15:
            continue
        tail = row[-15:]
        parsed = [parse_cell(c, "") for c in tail]
        if sum(1 for p in parsed if p.problem in (None, "blank", "negative", "not an integer")) >= 15 \
                and sum(1 for p in parsed if p.value is not None) >= 5:
            best = tail
    cells: dict[str, dict[str, Cell]] = {}
    if best is None:
        notes.append("table 4: no row of 15 numbers found")
        return {"cells": {}, "found_numbers": False}
    for gi, (g, glabel) in enumerate(GROUPS4):
        cells[g] = {c: parse_cell(best[gi * 5 + ci], f"表四 {glabel} × {clabel}") for ci, (c, clabel) in enumerate(COLS4)}
    return {"cells": cells, "found_numbers": True}


_FEE_AMOUNT = re.compile(r"(?:信息处理费|费用|收取|收费)[^。；\d]{0,20}?(\d+(?:\.\d+)?)(万元|元)")
_FEE_NONE = re.compile(r"未收取|没有收取|不收取|未产生|无收取|均未收|免收|无(?:信息处理)?费")
_FEE_HEADING = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,2}[)）、.]?[^。；;]{0,16}信息处理费[^。；;]{0,6}情况$")


def find_fee(texts: list[str]) -> dict[str, Any] | None:
    """The 信息处理费 statement: its amount (0 when it says none was charged). A heading such as
    "(一)收取信息处理费情况" states nothing: the statement is the next sentence ("未收取任何费用")."""
    for n, t in enumerate(texts):
        if "信息处理费" not in t:
            continue
        sents = [x for x in re.split(r"[。；;]", t) if x.strip()]
        for k, sent in enumerate(sents):
            if "信息处理费" not in sent:
                continue
            if _FEE_HEADING.match(sent):  # the statement follows the heading, here or in the next block
                follow = sents[k + 1:] + [x for nxt in texts[n + 1:n + 3] for x in re.split(r"[。；;]", nxt) if x.strip()]
                sent = next((x for x in follow[:3] if _FEE_AMOUNT.search(x) or _FEE_NONE.search(x)), sent)
            m = _FEE_AMOUNT.search(sent) or re.search(r"(\d+(?:\.\d+)?)(万元|元)", sent)
            if m:
                return {"text": sent, "amount": float(m.group(1)), "unit": m.group(2)}
            if _FEE_NONE.search(sent) or re.search(r"无", sent) and not _FEE_HEADING.match(sent):
                return {"text": sent, "amount": 0.0, "unit": "元"}
            return {"text": sent, "amount": None, "unit": None}
    return None


_DATE_ONLY = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$|^((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})$")


def signature_date(texts: list[str]) -> dt.date | None:
    """The date under the report's signature (落款): a paragraph near the end that is just a date."""
    for t in reversed(texts[-8:]):
        m = _DATE_ONLY.match(t)
        if m:
            y, mo, d = (int(x) for x in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def find_quotes(rep: AnnualReport, paras: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """Numbers quoted in section 一 (between its heading and the next heading found)."""
    heads = sorted(s["block"] for s in rep.sections if s["found"])
    first = next((s for s in rep.sections if s["key"] == "overview"), None)
    if not first or not first["found"]:
        return []
    start = first["block"]
    end = next((b for b in heads if b > start), 10 ** 9)
    text = "".join(t for i, t in paras if start < i < end)
    out = []
    for name, pat, path in QUOTES:
        m = re.search(pat, text)
        if m:
            lo = max(0, m.start() - 10)
            out.append({"quote": name, "value": int(m.group(1)), "cell": path, "text": text[lo: m.end()]})
    return out


# -- identities ---------------------------------------------------------------------------------
def _v(c: Cell | None) -> int | float:
    return (c.value or 0) if c is not None else 0


def _cells(cs: list[Cell]) -> list[dict[str, Any]]:
    return [{"cell": c.ref, "value": c.value, "raw": c.raw} for c in cs]


def identities(rep: AnnualReport) -> list[dict[str, Any]]:
    """Every identity of §5 (a)–(d), (f) that can be evaluated; each with ok, the cells and a sentence."""
    out: list[dict[str, Any]] = []
    t3 = rep.table3["cells"] if rep.table3 else {}
    if t3:
        sub = ["open", "partial"]
        for g, (_, n, _) in GROUPS3.items():
            items = [f"{g}.{i}" for i in range(1, n + 1)]
            sub += [g] if g in t3 and not any(k in t3 for k in items) else items
        for ci, col in enumerate(COL3_LABELS):
            if all(k in t3 for k in ("new", "carried_in", "total", "carried_out")):
                a = [t3["new"][ci], t3["carried_in"][ci]]
                b = [t3["total"][ci], t3["carried_out"][ci]]
                lhs, rhs = _v(a[0]) + _v(a[1]), _v(b[0]) + _v(b[1])
                out.append({"id": "a", "scope": col, "ok": lhs == rhs, "lhs": lhs, "rhs": rhs,
                            "cells": _cells(a + b),
                            "text": f"{col}：一、本年新收({_v(a[0])}) + 二、上年结转({_v(a[1])}) = {lhs}"
                                    f"{' = ' if lhs == rhs else ' ≠ '}三(七)总计({_v(b[0])}) + 四、结转下年度({_v(b[1])}) = {rhs}"})
            present = [k for k in sub if k in t3]
            if "total" in t3 and len(present) > 2:
                parts = [t3[k][ci] for k in present]
                s = sum(_v(c) for c in parts)
                tot = _v(t3["total"][ci])
                nonzero = " + ".join(f"{ROW3_LABELS[k]}({_v(t3[k][ci])})" for k in present if _v(t3[k][ci]))
                out.append({"id": "b", "scope": col, "ok": s == tot, "lhs": tot, "rhs": s,
                            "cells": _cells([t3["total"][ci]] + [c for c in parts if _v(c)]),
                            "partial": len(present) < len(sub),
                            "text": f"{col}：三(七)总计({tot}){' = ' if s == tot else ' ≠ '}"
                                    f"{nonzero or '各项均为0'} = {s}"})
        for key, row in t3.items():
            s = sum(_v(c) for c in row[:6])
            tot = _v(row[6])
            out.append({"id": "c", "scope": ROW3_LABELS.get(key, key), "ok": s == tot, "lhs": tot, "rhs": s,
                        "cells": _cells(row),
                        "text": f"{ROW3_LABELS.get(key, key)}：总计({tot}){' = ' if s == tot else ' ≠ '}"
                                + " + ".join(f"{COL3_LABELS[i]}({_v(c)})" for i, c in enumerate(row[:6])) + f" = {s}"})
    if rep.table4 and rep.table4.get("cells"):
        for g, glabel in GROUPS4:
            cs = rep.table4["cells"][g]
            parts = [cs[c] for c, _ in COLS4[:4]]
            s, tot = sum(_v(c) for c in parts), _v(cs["total"])
            out.append({"id": "d", "scope": glabel, "ok": s == tot, "lhs": tot, "rhs": s,
                        "cells": _cells(parts + [cs["total"]]),
                        "text": f"{glabel}：" + " + ".join(f"{lab}({_v(cs[c])})" for c, lab in COLS4[:4])
                                + f" = {s}{' = ' if s == tot else ' ≠ '}总计({tot})"})
    for q in rep.quotes:
        c = rep.cell(q["cell"])
        if c is None:
            continue
        ok = c.problem in (None, "blank") and _v(c) == q["value"]  # a blank cell counts as 0
        carried = rep.cell("table3.carried_in.total")
        if not ok and q["quote"] == "新收申请" and carried is not None and _v(carried) \
                and q["value"] == _v(c) + _v(carried) and ("新收" not in q["text"] or "结转" in q["text"]):
            # "共收到申请35件" may count last year's carried-over requests with this year's new ones
            out.append({"id": "f", "scope": q["quote"], "ok": True, "lhs": q["value"], "rhs": _v(c) + _v(carried),
                        "cells": _cells([c, carried]), "quote": q["text"],
                        "text": f"第一部分正文“{q['text']}”（{q['value']}） = {c.ref}（{_v(c)}） + "
                                f"{carried.ref}（{_v(carried)}）（含上年结转）"})
            continue
        out.append({"id": "f", "scope": q["quote"], "ok": ok, "lhs": q["value"], "rhs": c.value,
                    "cells": _cells([c]), "quote": q["text"],
                    "text": f"第一部分正文“{q['text']}”（{q['value']}）{' = ' if ok else ' ≠ '}{c.ref}（{_v(c) if c.problem == 'blank' else c.value}）"})
    return out


def cross_year(this: AnnualReport, last: AnnualReport) -> list[dict[str, Any]]:
    """(e): this year's 上年结转 equals last year's 结转下年度, per column."""
    out: list[dict[str, Any]] = []
    a = (this.table3 or {}).get("cells", {}).get("carried_in")
    b = (last.table3 or {}).get("cells", {}).get("carried_out")
    if not a or not b:
        return out
    for ci, col in enumerate(COL3_LABELS):
        ok = _v(a[ci]) == _v(b[ci])
        out.append({"id": "e", "scope": col, "ok": ok, "lhs": _v(a[ci]), "rhs": _v(b[ci]),
                    "cells": [{"cell": f"{this.year}年 {a[ci].ref}", "value": a[ci].value, "raw": a[ci].raw},
                              {"cell": f"{last.year}年 {b[ci].ref}", "value": b[ci].value, "raw": b[ci].raw}],
                    "text": f"{col}：{this.year}年报 二、上年结转({_v(a[ci])}){' = ' if ok else ' ≠ '}"
                            f"{last.year}年报 四、结转下年度({_v(b[ci])})"})
    return out


def structure_problems(rep: AnnualReport) -> dict[str, Any]:
    """Missing/out-of-order sections, missing tables, incomplete tables."""
    found = [s for s in rep.sections if s["found"]]
    missing = [s["heading"] for s in rep.sections if not s["found"]]
    order = [s["block"] for s in found]
    out_of_order = order != sorted(order)
    tables = {"表二（主动公开）": rep.table2, "表三（依申请公开）": rep.table3, "表四（复议诉讼）": rep.table4}
    missing_tables = [k for k, v in tables.items() if v is None]
    incomplete = {}
    if rep.table3 and rep.table3["missing_rows"]:
        incomplete["表三"] = [ROW3_LABELS[k] for k in rep.table3["missing_rows"]]
    if rep.table2 and rep.table2["missing_rows"]:
        incomplete["表二"] = [dict((k, w) for k, w, _ in ROWS2)[k] for k in rep.table2["missing_rows"]]
    if rep.table4 is not None and not rep.table4.get("found_numbers"):
        incomplete["表四"] = ["数据行"]
    return {"missing_sections": missing, "out_of_order": out_of_order,
            "section_order": [s["heading"] for s in sorted(found, key=lambda s: s["block"])],
            "missing_tables": missing_tables, "incomplete_tables": incomplete}
