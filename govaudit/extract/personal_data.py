"""Personal data in text: resident ID numbers, mobiles beside a name, bank cards beside 账号/卡号.

    from govaudit.extract.personal_data import find_personal_data, mask, mask_text
    hits = find_personal_data(text)          # [Hit(kind, start, end, masked, label)]

Pure: text in, hits out. A hit carries the masked value only (`masked`) and its position; callers
that show anything must show `masked` or `mask_text(snippet)`, never the slice of the input.

Look-alikes that must not match: 索引号 (11152999MB0000000X/2026-00001), 统一社会信用代码 (18
characters, letters, or all digits after a 信用代码 label), 文号 (青政发〔2026〕3号), order and serial
numbers (a 编号/单号/流水号 label, or an 18-digit run whose check digit or birth date is wrong), the
bank accounts of bodies published for payments (收款单位：…财政局 账号：…), and masked forms (1101**********123X, 138****5678), which break the digit run.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# province codes of GB/T 2260 (first two digits of a resident ID)
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
             50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{16,19})(?![0-9A-Za-z])")
# a number right after one of these labels is a document or business number, not a person's
NOT_PERSONAL_LABELS = ("信用代码", "索引号", "文号", "编号", "单号", "流水号", "序列号", "序号", "订单", "登记号",
                       "注册号", "税号", "识别号", "许可证号", "证书号", "批准号", "项目代码", "合同号", "标识码",
                       "备案号", "工单", "条码", "批次")
CARD_LABELS = ("账号", "卡号", "帐号", "账户", "帐户", "银行卡", "存折", "社保卡")
NAME_LABELS = ("姓名", "联系人", "户主", "申请人", "负责人", "法人", "经办人", "收款人", "户名", "名字")
# the ~120 commonest surnames: a 2–4 character token starting with one of them, standing alone
# (cell, or between separators), is read as a person's name
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
               "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
               "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
               "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉"
               "缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
               "桑郎甄丛仲虞敖巩明佘池乌")
# tokens that start with a surname character but name a place, a body or a thing (高新区, 金额, 安全)
NOT_NAME_ENDINGS = tuple("区县市镇乡村局委办所站院会部处科队组室厅署社司行校园馆厂场路街号栏")
NOT_NAMES = {"金额", "安全", "明细", "成功", "高速", "万元", "时间", "石油", "白天", "文件", "方式", "方法", "全部",
             "全体", "应急", "安置", "常住", "常用", "车辆", "项目", "高龄", "孙辈", "温馨", "康复", "和谐", "华侨"}
_NAME_TOKEN = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])")
_SEP_LINE = re.compile(r"[\n\r]")


@dataclass(frozen=True)
class Hit:
    kind: str        # id | mobile | card
    start: int
    end: int
    masked: str      # what may be shown
    label: str = ""  # why it counts (the name or label beside it), masked


def id_valid(s: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID: province code, a real birth date (1900 … today, age ≤ 120)
    and the ISO 7064 MOD 11-2 check character."""
    if len(s) != 18 or not s[:17].isdigit():
        return False
    if int(s[:2]) not in PROVINCES:
        return False
    try:
        born = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    today = today or dt.date.today()
    if born > today or born.year < 1900 or today.year - born.year > 120:
        return False
    total = sum(int(c) * w for c, w in zip(s[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == s[17].upper()


def luhn_valid(s: str) -> bool:
    if not s.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask(value: str, kind: str = "") -> str:
    """The shown form: 1101**********123X (ID), 138****5678 (mobile), 6222***********1234 (card),
    张* (name)."""
    v = value.strip()
    if kind == "name" or (v and not any(c.isdigit() for c in v)):
        return v[:1] + "*" * max(1, len(v) - 1)
    if kind == "mobile" or len(v) == 11:
        return v[:3] + "****" + v[-4:]
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


_LONG_DIGITS = re.compile(r"\d{11,}[\dXx]?")


def mask_text(text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """Any text shown to a person (snippets): every run of 11 or more digits masked, whatever it is,
    and the given names masked too."""
    out = _LONG_DIGITS.sub(lambda m: mask(m.group(0)), text)
    for n in names:
        if n:
            out = out.replace(n, mask(n, "name"))
    return out


def _labelled(text: str, start: int, labels: tuple[str, ...], span: int = 16) -> str:
    """The label among `labels` closest before `start` on the same line, within `span` characters."""
    before = text[max(0, start - span):start]
    before = _SEP_LINE.split(before)[-1]
    best = ""
    for lab in labels:
        if lab in before:
            best = lab
    return best


def _after_index(text: str, end: int) -> bool:
    """An 索引号 or serial continues after the number: '/2026-00001', '-001'."""
    return bool(re.match(r"[/\-－—_]\s*\d", text[end:end + 3]))


def _line_of(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, (len(text) if b < 0 else b)


def _name_near(text: str, start: int, end: int, span: int = 20) -> str:
    """A person's name beside the number on the same line: after a 姓名/联系人 label, or a
    stand-alone 2–4 character token starting with a common surname."""
    a, b = _line_of(text, start)
    if "\t" in text[a:b] and b - a <= 300:
        window = text[a:b]  # a table row: every cell is the same person's
    else:
        window = text[max(a, start - span):min(b, end + span)]
    for lab in NAME_LABELS:
        i = window.find(lab)
        if i >= 0:
            m = re.match(r"\s*[:：]?\s*([\u4e00-\u9fff]{2,3})", window[i + len(lab):])
            if m:
                return m.group(1)
    for m in _NAME_TOKEN.finditer(window):
        tok = m.group(1)
        if tok[0] in SURNAMES and len(tok) <= 3 and tok not in NOT_NAMES and not tok.endswith(NOT_NAME_ENDINGS):
            return tok
    return ""


def _header_label(text: str, start: int, labels: tuple[str, ...]) -> str:
    """Tab-separated rows (spreadsheets): the label in the header cell of the number's column."""
    a, b = _line_of(text, start)
    line = text[a:b]
    if "\t" not in line:
        return ""
    col = text[a:start].count("\t")
    width = line.count("\t")
    pos, looked = a - 1, 0
    while pos > 0 and looked < 300:
        pa = text.rfind("\n", 0, pos) + 1
        row = text[pa:pos]
        looked += 1
        if row.count("\t") == width:
            cell = row.split("\t")[col]
            for lab in labels:
                if lab in cell:
                    return lab
        pos = pa - 1
    return ""


_ORG_ACCOUNT = re.compile(r"对公|(?:收款|付款|开户)?单位(?:名称)?\s*[:：]|户\s*名\s*[:：]\s*[\u4e00-\u9fff（）()]{2,30}"
                          r"(?:局|公司|中心|委员会|政府|办公室|所|院|校|会|站|社|部|处|厅|队|馆|室|财政|专户)")


def _org_account(text: str, start: int) -> bool:
    """A bank account of a body (收款单位：…财政局 账号：…), published on purpose for payments."""
    return bool(_ORG_ACCOUNT.search(text[max(0, start - 80):start]))


def find_personal_data(text: str, today: dt.date | None = None) -> list[Hit]:
    """Unmasked personal data in `text`, in order of position."""
    hits: list[Hit] = []
    ids: set[tuple[int, int]] = set()
    for m in _ID.finditer(text):
        s = m.group(1)
        if not id_valid(s, today) or _after_index(text, m.end()):
            continue
        if _labelled(text, m.start(), NOT_PERSONAL_LABELS, span=24):
            continue
        ids.add(m.span(1))
        hits.append(Hit("id", m.start(1), m.end(1), mask(s, "id")))
    for m in _MOBILE.finditer(text):
        if _labelled(text, m.start(), NOT_PERSONAL_LABELS) or _after_index(text, m.end()):
            continue
        name = _name_near(text, m.start(), m.end())
        if name:
            hits.append(Hit("mobile", m.start(1), m.end(1), mask(m.group(1), "mobile"), mask(name, "name")))
    for m in _CARD.finditer(text):
        s = m.group(1)
        if m.span(1) in ids or not luhn_valid(s) or _after_index(text, m.end()):
            continue
        label = _labelled(text, m.start(), CARD_LABELS, span=20) or _header_label(text, m.start(), CARD_LABELS)
        if label and not _labelled(text, m.start(), NOT_PERSONAL_LABELS, span=12) and not _org_account(text, m.start()):
            hits.append(Hit("card", m.start(1), m.end(1), mask(s, "card"), label))
    return sorted(hits, key=lambda h: h.start)


def names_near(text: str, hits: list[Hit]) -> list[str]:
    """The unmasked names beside the hits (to mask them in snippets)."""
    out = []
    for h in hits:
        n = _name_near(text, h.start, h.end)
        if n:
            out.append(n)
    return out


def snippet(text: str, hit: Hit, span: int = 30) -> str:
    """The hit's surroundings on its line, every number and the name beside it masked."""
    a, b = _line_of(text, hit.start)
    s, e = max(a, hit.start - span), min(b, hit.end + span)
    piece = text[s:e]
    name = _name_near(text, hit.start, hit.end, span=span)  # the whole shown piece: its name is masked too
    return " ".join(mask_text(piece, [name] if name else []).split())
