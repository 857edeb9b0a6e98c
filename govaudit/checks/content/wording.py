"""content.wording — serious wording errors (严重表述错误) and common misspellings (8.9.2 b, c).

What: in the visible text of every crawled page and in the text of every downloaded attachment,
(1) misspelled names of the state, the Party and its bodies and theories, and wrong fixed
formulations (`serious`: wrong form → correct form) → `fail`, one finding per document;
(2) frequent 错别字 (`typos`: wrong → correct) → `needs_review`, one finding per document.

Why: the national inspection (国办秘函〔2019〕19号) counts 严重表述错误 as a veto item and lists
错别字 among content errors; both are what commercial monitoring platforms report first.

How: plain substring search of each dictionary entry. A match is ignored when the text around it
(`context_span` characters) is a correction notice that quotes the error (更正/勘误/误写/应为 …,
`correction_words`), or when the document's title is one. Evidence: the sentence, the error, the
correct form.

Sources of the seed dictionary: the formal names in the Constitution and the Party Constitution
(中华人民共和国, 中国共产党, 全国人民代表大会, 中国人民政治协商会议, 习近平新时代中国特色社会主义思想 …)
with the misspellings inspection 通报 reported; the 新华社 list of banned and cautious terms (2016:
台湾地区领导人 not 台湾总统, 台湾当局 not 台湾政府, 香港回归祖国 not 香港回归中国, 内地与香港 not
中港); the 错别字 lists of 《咬文嚼字》 and 国家语委.

Attachments that could not be read, or only in part, are listed in one `not_measured` finding.

Limits: a dictionary, not a grammar: a new misspelling is missed until it is added (config/rules.yaml
`content.wording.serious` / `typos`); a quoted error outside a correction notice (a news report
about the error) still fires, which a reviewer overrules.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from govaudit.checks.analyses.documents import Document, SiteDocuments, not_measured, register, unreadable_summary
from govaudit.checks.context import CheckContext
from govaudit.checks.registry import Rule
from govaudit.extract.personal_data import mask_text
from govaudit.model import Finding

SERIOUS = {
    "中华人名共和国": "中华人民共和国",
    "中华人民共合国": "中华人民共和国",
    "中华人民公和国": "中华人民共和国",
    "中国共产档": "中国共产党",
    "中国共残党": "中国共产党",
    "中国共产觉": "中国共产党",
    "中共中共": "中共中央",
    "全国人名代表大会": "全国人民代表大会",
    "全国人民代表大汇": "全国人民代表大会",
    "全国人大代表大会": "全国人民代表大会",
    "人大代表大会": "人民代表大会",
    "中国人民政治协商会义": "中国人民政治协商会议",
    "中国人名政治协商会议": "中国人民政治协商会议",
    "中央委员汇": "中央委员会",
    "国务院办工厅": "国务院办公厅",
    "总书纪": "总书记",
    "总书计": "总书记",
    "新时代中国特色社会主意": "新时代中国特色社会主义",
    "中国特色社会主意": "中国特色社会主义",
    "中国特设社会主义": "中国特色社会主义",
    "马克思列宁主意": "马克思列宁主义",
    "毛泽东思相": "毛泽东思想",
    "邓小平理伦": "邓小平理论",
    "三个代表重要思相": "“三个代表”重要思想",
    "科学发展规": "科学发展观",
    "社会主义核心价值关": "社会主义核心价值观",
    "两个维户": "两个维护",
    "两个确力": "两个确立",
    "四个意思": "四个意识",
    "台湾总统": "台湾地区领导人",
    "台湾政府": "台湾当局",
    "香港回归中国": "香港回归祖国",
    "澳门回归中国": "澳门回归祖国",
    "中港两地": "内地与香港",
    "中澳两地": "内地与澳门",
    "北朝鲜": "朝鲜",
}

TYPOS = {
    "按装": "安装",
    "再接再励": "再接再厉",
    "迫不急待": "迫不及待",
    "一如继往": "一如既往",
    "按步就班": "按部就班",
    "默守成规": "墨守成规",
    "出奇不意": "出其不意",
    "谈笑风声": "谈笑风生",
    "各行其事": "各行其是",
    "甘败下风": "甘拜下风",
    "变本加利": "变本加厉",
    "声名雀起": "声名鹊起",
    "震憾": "震撼",
    "追朔": "追溯",
    "松驰": "松弛",
    "气慨": "气概",
    "重迭": "重叠",
    "签定": "签订",
    "精萃": "精粹",
    "穿流不息": "川流不息",
    "一愁莫展": "一筹莫展",
    "直接了当": "直截了当",
    "关健": "关键",
    "部暑": "部署",
    "贯沏": "贯彻",
}
CORRECTION_WORDS = ["更正", "勘误", "误写", "误为", "错写", "应为", "有误", "纠正", "致歉"]

RULE = Rule(id="content.wording", item="8.9.2", title="严重表述错误与错别字",
            defaults={"serious": {"*": "", **SERIOUS}, "typos": {"*": "", **TYPOS},
                      "correction_words": list(CORRECTION_WORDS), "context_span": 40, "max_examples": 5},
            uses=(SiteDocuments,))

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def sentence(text: str, start: int, end: int, cap: int = 80) -> str:
    """The sentence around text[start:end], at most `cap` characters either side (numbers masked)."""
    a = start
    while a > 0 and start - a < cap and not _SENTENCE_END.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and b - end < cap and not _SENTENCE_END.match(text[b]):
        b += 1
    return mask_text(" ".join(text[a:min(len(text), b + 1)].split()))


def find_errors(text: str, title: str, dictionary: dict[str, str], correction_words: list[str],
                span: int) -> list[dict[str, Any]]:
    """Dictionary entries found in text, outside correction notices: error, correct, sentence, pos."""
    if any(w in title for w in correction_words):
        return []
    found = []
    for wrong, right in dictionary.items():
        if wrong == "*" or not wrong or wrong not in text:
            continue
        for m in re.finditer(re.escape(wrong), text):
            around = text[max(0, m.start() - span): m.end() + span]
            if any(w in around for w in correction_words):
                continue
            found.append({"error": wrong, "correct": right, "pos": m.start(),
                          "sentence": sentence(text, m.start(), m.end())})
            break  # one example per entry and document
    # a longer entry that contains a shorter one (全国人大代表大会 ⊃ 人大代表大会): keep the longer
    return [f for f in found if not any(g is not f and f["error"] in g["error"] and g["pos"] <= f["pos"] < g["pos"] + len(g["error"])
                                        for g in found)]


def analyse(ctx: CheckContext, doc: Document, text: str) -> dict[str, list[dict[str, Any]]]:
    """The serious errors and typos of one document (the text itself is not kept)."""
    conf = ctx.settings(RULE.id)
    found = {"serious": conf["serious"], "typos": conf["typos"]}
    return {key: find_errors(text, doc.title, words, conf["correction_words"], conf["context_span"])
            for key, words in found.items()}


register(RULE.id, analyse)


def check(ctx: CheckContext) -> Iterable[Finding]:
    conf = ctx.settings(RULE.id)
    docs = ctx.get(SiteDocuments).docs
    for outcome, key, label in (("fail", "serious", "严重表述错误"), ("needs_review", "typos", "疑似错别字")):
        for doc in docs:
            errs = (doc.results.get(RULE.id) or {}).get(key)
            if not errs:
                continue
            shown = "；".join(f"“{e['error']}”应为“{e['correct']}”" for e in errs[:3])
            where = "附件" if doc.kind == "attachment" else "页面"
            yield ctx.finding(RULE, outcome, doc.page["url"], f"{where}{label}：{shown}", key=key,
                              evidence=[ctx.evidence(doc.page, snippet=e["sentence"],
                                                     note=f"错误：{e['error']}；正确：{e['correct']}")
                                        for e in errs[: conf["max_examples"]]],
                              data={"errors": [{k: e[k] for k in ("error", "correct", "sentence")} for e in errs],
                                    "document": doc.kind})
    bad = unreadable_summary(docs)
    if bad:
        yield not_measured(ctx, RULE, bad, "表述错误")
