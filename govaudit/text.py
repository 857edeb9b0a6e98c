"""The words a person reads: one catalogue of Chinese labels, phrase translations and local time.

Ground floor (imports nothing of govaudit), so rules, reports and commands share it. Rule ids,
outcome codes and data keys stay English in findings.json (contracts); what reaches a page, a
sheet or the terminal goes through here.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"
_tz_name = DEFAULT_TIMEZONE

OUTCOME_LABELS = {"fail": "不合格", "needs_review": "待复核", "pass": "通过",
                  "not_applicable": "不适用", "not_measured": "未能检测"}

# Every key a finding's `data` (and the records in it) may hold → the label shown instead of the key.
KEY_LABELS: dict[str, str] = {
    # issue 20 (channels): request.channel, catalog.missing, plan.missing
    "entry": "入口", "linked_from": "入口所在页面", "systems": "申请平台链接", "downloads": "可打开的申请表",
    "problems": "存在的问题", "pages_read": "读取的页面", "differences": "不一致之处", "why": "原因", "what": "项目",
    "here": "本页", "asks": "填写项目", "form_action": "表单提交地址", "application_forms.fields": "字段数", "catalog": "目录页面",
    "entries": "目录条目数", "domains": "涉及的领域", "domains_total": "领域总数", "level": "单位层级",
    "year_from": "年份依据", "plan_kind": "文件类别", "found_in": "发现于",
    "application_forms": "在线申请表单", "apply_links": "在线申请链接", "form_downloads": "申请表下载",
    "superior": "上级机关文件（转发）",
    "": "名称",
    # content.privacy / content.wording / report.consistency / column.backfilled, and crawl coverage
    "claimed": "年报所报件数", "site_count": "网站可见件数", "site_documents": "网站可见文件",
    "other_documents_of_year": "本年其他文件数", "normative": "规范性文件", "number": "文号",
    "errors": "错误", "error_text": "错误", "correct": "正确写法", "sentence": "所在句子",
    "unreadable": "无法读取的附件", "ocr_pages": "识别（OCR）页数", "masked": "脱敏后", "kinds": "类型",
    "history_runs": "历史抓取次数", "lists": "带日期的列表数", "new_items": "新出现的条目", "previous_run": "上次检查批次",
    "silence_days": "此前未更新天数", "absent_on": "此前抓取日期", "absent_run": "此前检查批次", "burst": "集中发布",
    "unexplained": "未能识别的内容", "content_checks": "内容检查（按默认设置）", "illegal_terms": "违规词语",
    "hidden_links": "隐藏的外部链接", "personal_data": "个人信息（已脱敏）", "wording_errors": "表述错误与错别字",
    "term": "词语", "context": "上下文", "simplified": "繁体已转简体", "mobile": "手机号", "counts.id": "身份证号", "card": "银行卡号", "coverage": "抓取覆盖", "complete": "完整", "provisional": "暂定",
    "reason_text": "原因", "reached": "已抓取", "unreached": "未抓取", "unreached_depth": "未抓取页面的最浅层级",
    "platform_reached": "已到达信息公开平台", "columns_reached": "已到达的栏目数", "seen": "已检查页数",
    "left": "未抓取页数", "scanned": "已检查页数", "pages_seen": "已检查页数", "pages_left": "未抓取页数",
    "url": "网址", "urls": "网址", "name": "名称", "names": "名称", "title": "标题", "date": "日期",
    "newest": "最新日期", "latest": "最新日期", "age_days": "距今天数", "count": "数量", "counts": "数量",
    "status": "状态", "year": "年度", "years": "年度", "columns": "栏目", "column": "栏目", "column_name": "栏目名称",
    "reports": "年度报告", "pairs": "解读与政策文件", "missing": "缺少", "found": "已找到", "on_home": "位于首页",
    "text": "文字", "anchor": "链接文字", "reason": "原因", "reasons": "原因", "policy": "政策文件",
    "interpretation": "解读", "interpretations": "解读材料", "interpretations_elsewhere": "其他页面的解读材料",
    "identities": "表格校验", "identity": "校验式", "ok": "是否成立", "cells": "单元格", "cell": "单元格",
    "target": "目标", "class": "类别", "class_name": "栏目类别", "classification": "分类", "days": "天数",
    "published": "发布日期", "publish_date": "发布日期", "published_after": "发布晚于", "deadline": "期限",
    "deadlines": "期限", "tag": "标签", "tags": "标签", "elements": "要素", "sections": "章节", "tables": "表格",
    "form": "形式", "forms": "形式", "form_label": "形式", "form_signals": "形式依据", "items": "条目",
    "limit_days": "期限天数", "threshold": "阈值", "threshold_days": "期限（天）", "source": "来源",
    "sources": "来源页", "source_count": "来源页数", "error": "错误", "kind": "类型",
    "expected": "应为", "actual": "实际", "difference": "差额", "page": "页面", "pages": "页数", "label": "名称",
    "labels": "名称", "dated_items": "有日期条目", "date_source": "日期来源", "date_text": "日期原文",
    "placeholder": "占位文字", "how": "发现方式", "via": "发现方式", "matched": "已匹配", "match": "匹配",
    "terms": "词语", "successor": "现名称", "snippet": "片段", "doc": "政策文件", "interp": "解读",
    "doc_numbers": "文号", "found_numbers": "找到的文号", "years_checked": "检查年度", "years_found": "找到年度",
    "failures": "不符项", "failure_count": "不符项数", "non_text_share": "非文字解读占比",
    "channel_names": "互动交流渠道名称", "not_channel_names": "不属于互动渠道的链接名称",
    "max_days": "期限（天）", "title_pattern": "留言标题特征（不作为渠道名称）",
    "min_non_text_share": "非文字解读最低占比", "total": "合计", "pages_missing": "缺少的页数", "examples": "示例",
    "page_type": "页面类型", "issuer": "发布机关", "format": "格式", "doc_url": "文件网址", "document_url": "文件网址",
    "final_url": "最终网址", "external": "外部链接", "strength": "隐藏程度", "rendered": "浏览器渲染检测",
    "hidden_by": "隐藏元素", "missing_sections": "缺少章节", "missing_tables": "缺少表格",
    "incomplete_tables": "不完整表格", "missing_rows": "缺少行", "unrecognised_rows": "未识别的行",
    "total_items": "条目总数", "newest_item": "最新条目", "newest_url": "最新条目网址", "key": "类别",
    "list_url": "列表所在页面", "render_error": "渲染错误", "render_errors": "渲染错误", "frames": "未读取的框架页面",
    "js_list": "脚本生成列表", "js_pager": "脚本分页", "action": "搜索地址", "address": "办公地址",
    "annual": "年度报告", "arrangement": "编排体系", "attr": "属性", "broken_links": "失效链接",
    "checked": "已检查", "dated": "有日期", "dated_pages": "有日期的页面", "days_late": "逾期天数",
    "doc_to_interp": "政策文件链接解读", "interp_to_doc": "解读链接政策文件", "emails": "电子邮箱",
    "email": "电子邮箱", "fax": "传真", "faxes": "传真", "gap_days": "相隔天数", "gap_note": "间隔说明",
    "gap_workdays": "相隔工作日", "graphic": "图解", "guide": "公开指南", "guide_column": "指南栏目",
    "h5": "H5", "hours": "办公时间", "https_probe": "HTTPS 检测", "id": "编号", "ignored_in_context": "按上下文忽略",
    "input": "输入框", "internet": "互联网申请", "issued": "印发日期", "js": "脚本", "length": "长度",
    "lhs": "左式", "rhs": "右式", "limits_hit": "达到的抓取上限", "max_age_years": "最长年限（年）",
    "max_workdays": "期限（工作日）", "meta": "元数据", "method": "关联方式",
    "office": "受理机构", "on_request": "依申请公开", "out_of_order": "顺序不符", "outdated": "过时内容",
    "own": "本单位网站", "partial": "部分公开", "pattern": "匹配规则", "patterns": "匹配规则", "phone": "电话",
    "phones": "电话", "proactive": "主动公开", "qa": "问答", "rank": "排序", "raw": "原始代码", "readable": "可读取",
    "redirects": "跳转", "remedy": "救济途径", "scope": "范围", "section_order": "章节顺序", "selector": "元素位置",
    "shown": "页面显示", "statutory": "法定主动公开", "system": "制度", "today": "检查日期", "value": "值",
    "video": "视频/动漫", "ArticleTitle": "文章标题（ArticleTitle）", "ContentSource": "来源（ContentSource）",
    "PubDate": "发布时间（PubDate）", "SiteDomain": "网站域名（SiteDomain）", "SiteIDCode": "网站标识码（SiteIDCode）",
    "ColumnName": "栏目名称（ColumnName）", "ColumnType": "栏目类型（ColumnType）",
    "ColumnDescription": "栏目描述（ColumnDescription）", "ColumnKeywords": "栏目关键词（ColumnKeywords）",
    "Keywords": "关键词（Keywords）", "Description": "描述（Description）", "Author": "作者（Author）",
    "Url": "网址（Url）", "Image": "图片（Image）",
    "searched": "查找范围", "share": "占比", "bad": "缺失页数", "elapsed": "耗时（秒）", "encoding": "编码",
    "fees": "收费", "flag": "标记", "identifiers": "网站标识", "icp": "ICP 备案号", "police": "公安备案号",
    "badge": "党政机关标识", "site_code": "网站标识码", "home": "首页", "host": "主机", "in_force": "现行有效",
    "linked_not_crawled": "有链接但未抓取", "links": "链接", "menu_only": "仅有导航菜单", "message": "说明",
    "new": "新", "next_pages": "后续页", "notes": "备注", "note": "备注", "old": "过时", "order": "顺序",
    "page_count": "页数", "page_links": "页面链接", "placeholder_text": "占位文字", "platform": "信息公开平台",
    "probes": "可用性检测", "problem": "问题", "recent_items": "近期条目", "repealed": "已废止", "request": "申请",
    "required": "应有", "row": "行", "script_filled": "脚本生成", "script_links": "脚本生成的链接",
    "stated_reasons": "说明的理由", "static_pages": "静态页面", "stylesheets_read": "已读取的样式表",
    "time": "时间", "total_pages": "总页数", "unable": "无法判断", "unit": "单位", "unknown": "未知", "verdict": "结论",
    "visible": "可见", "weak": "弱", "strong": "强", "yearly": "年度", "since": "起始", "screenshot": "截图",
    "doc_columns": "政策文件栏目", "heading": "标题", "empty_list": "空列表",
    "article_dates": "文章日期", "article_tags": "文章元数据", "column_tags": "栏目元数据", "site_tags": "网站元数据",
    "blank_cells": "空白单元格", "carried_in": "上年结转", "carried_out": "结转下年", "not_processed": "未办结",
    "amount": "金额", "refuse": "不予公开", "other": "其他", "others": "其他", "exempt": "免除",
    "no_interp_reason": "不解读理由", "document": "文件", "documents": "文件数",
    "failed": "失败次数", "footer": "页面底部的网站标识码",
    # what `govaudit inspect` prints
    "block": "所在区块", "container": "列表容器", "core_title": "核心标题", "description": "描述", "keywords": "关键词",
    "doc_links": "指向政策文件的链接", "interp_links": "指向解读的链接", "failed_identities": "不成立的校验式",
    "fee": "收费情况", "hidden": "隐藏的链接", "hints": "提示", "in_footer": "位于页脚", "interp_title": "解读标题",
    "mentioned_numbers": "提及的文号", "meta_site_code": "元数据中的网站标识码", "named_doc_text": "列出的文件名称",
    "named_doc_unlinked": "有文字无链接的文件", "named_interp_text": "列出的解读名称",
    "named_interp_unlinked": "有文字无链接的解读", "problem_cells": "有问题的单元格", "quotes": "引文",
    "ref_keys": "引用关键词", "title_keys": "标题关键词", "structure": "结构", "table2": "表二", "table3": "表三",
    "table4": "表四", "visibility": "可见性", "script": "脚本", "SiteName": "网站名称（SiteName）",
    # doc.metadata (公开属性) and `govaudit inspect meta`
    "defects": "问题件数", "documents_with_defects": "有问题的文件数", "defect_text": "问题", "index_no": "索引号",
    "block_doc_no": "公开属性中的文号", "body_doc_numbers": "正文中的文号", "written_date": "成文日期",
    "published_date": "发布日期", "field": "公开属性项", "fields": "各项内容", "block_found": "有公开属性信息",
    "validity": "有效性", "validity_source": "有效性来源", "normative_signals": "规范性文件依据", "subject": "主题分类",
    "doc_no": "文号", "written": "成文日期", "block_doc_numbers": "公开属性中的文号",
    "no_block": "没有公开属性信息", "values_empty": "公开属性各项均无内容", "missing_index_no": "缺少索引号",
    "missing_issuer": "缺少发布机构", "missing_written": "缺少成文日期", "missing_published": "缺少发布日期",
    "missing_subject": "缺少主题分类", "missing_doc_no": "缺少文号", "docno_missing": "正文有文号而公开属性中没有",
    "docno_differs": "文号与正文不一致", "written_after_published": "成文日期晚于发布日期",
    "index_duplicate": "索引号重复", "validity_missing": "规范性文件未标注有效性",
    "not_judged": "未判断的页面（既无公开属性也无文号）",
    "by_column": "按栏目统计的问题文件数",
    "doc_kind": "页面所示文件类别",
    # interaction (interact.*, `govaudit inspect interact`, the messages table)
    "column_kind": "栏目类别", "kind_text": "类别依据", "letter_no": "信件编号", "asked_at": "留言时间",
    "answered_at": "答复时间", "answered_by": "答复单位", "reply_state": "答复情况", "statistics": "受理答复统计",
    "received": "收到件数", "answered_count": "答复件数", "messages": "留言",
    "page_kind": "页面类型", "channels": "互动渠道", "latency_workdays": "答复用时（工作日）",
    "newest_reply": "最新答复日期", "excluded_columns": "不纳入否决的栏目（访谈、征集、投诉）",
    "open_within_limit": "期限内未答复", "timed": "可计算用时的留言", "not_counted": "无法计算用时的留言",
    "messages_judged": "判断的留言数", "messages_not_read": "详情页未抓取的留言数", "kind_label": "栏目类别",
    "judged": "纳入判断", "crawled": "已抓取", "unanswered": "未答复", "answered": "已答复",
    "list_pages": "列表页数", "detail_pages": "详情页数", "statistics_block": "受理答复统计",
    "statistics_url": "统计所在页面", "source_url": "依据页面", "latency_count": "可计算用时的留言数",
    "latency_median": "答复用时中位数（工作日）", "latency_max": "答复用时最大值（工作日）",
    "original_outcome": "原结论",
    # interaction: what reading a column with no message gave (no message published, or not read)
    "list_state": "列表读取情况", "list_script": "列表由脚本加载的迹象", "unread_columns": "未能读出列表的互动栏目",
}

# Rule settings (config/rules.yaml keys) as `explain` names them.
SETTING_LABELS: dict[str, str] = {
    # issue 20 (channels): request.channel, catalog.missing, plan.missing
    "min_fields": "申请表单最少字段类别数", "max_pages": "最多读取页面数", "compare": "与指南核对的项目（电话、地址）",
    "levels": "适用的单位层级", "catalog_names": "目录名称", "domains": "标准目录领域", "plan_patterns": "工作要点/计划标题规则",
    "summary_patterns": "工作总结标题规则", "superior_patterns": "上级机关发文标题规则",
    "max_ocr_pages_per_run": "每次检查最多 OCR 页数", "max_ocr_pages_per_document": "每个文件最多 OCR 页数",
    "max_attachments": "每个单位最多读取附件数", "serious": "严重表述错误词典（错误→正确）",
    "typos": "常见错别字（错误→正确）", "correction_words": "更正说明用语", "context_span": "上下文字数",
    "column_words": "政策文件栏目用词", "ratio": "相差倍数", "min_difference": "最小相差件数",
    "min_site_documents": "网站最少文件数", "min_dated_items": "列表最少带日期条目数",
    "max_history_runs": "最多比较的历史检查次数", "burst_min_items": "集中发布最少条数",
    "silence_days": "此前未更新天数", "deadline": "考核截止日（月-日）", "burst_window_days": "集中发布的天数窗口",
    "allow_domains": "允许的外部域名", "blocked_hosts": "黑名单域名", "blocked_statuses": "按待复核处理的外部状态码",
    "classes": "栏目类别及更新期限", "context_words": "正常语境词", "doc_column_names": "政策文件栏目名称",
    "doc_labels": "指向原文的链接名称", "format_since": "新格式起始年度", "grace_days": "宽限天数",
    "host_tokens": "可疑域名片段", "interp_column_names": "解读栏目名称", "interp_labels": "指向解读的链接名称",
    "interp_title_words": "解读标题用词", "limits": "各部分要求", "max_age_days": "最长未更新天数",
    "max_depth": "距首页最大层级", "max_examples": "最多列出示例数", "max_failed_share": "失败比例上限",
    "max_label_length": "栏目名称最大长度", "max_list_pages": "每个栏目读取的列表页数", "max_listed": "最多列出条数",
    "max_missing_share": "缺失比例上限", "max_sources": "最多列出来源页数", "min_distinct": "判为篡改的最少不同词数",
    "min_interpretations": "最少解读数", "min_probes": "最少探测次数", "min_recent_items": "近期最少文章数",
    "min_repeats": "判为篡改的最少出现次数", "min_text": "最少正文字数", "no_interp_reasons": "不予解读的说明用语",
    "not_interp_words": "不属于政策解读的标题用词", "outcome": "发现问题时的结果", "platform_words": "信息公开平台名称",
    "search_words": "搜索用词", "short_page_chars": "短页面字数", "similarity": "相似度阈值", "skip_labels": "忽略的栏目名称",
    "skip_title_words": "无需解读的标题用词", "strong_phrases": "明确的错误提示语", "strong_title_words": "明确的解读标题用词",
    "weak_outcome": "弱隐藏的结果", "weak_phrases": "一般错误提示语", "years": "检查年数", "days": "天数",
    "terms": "违规词语", "names": "已撤销或更名的机构", "published_after": "只检查此日期后发布的页面",
    "kinds": "检查的类别", "patterns": "匹配规则", "required": "必须具备的项", "elements": "指南要素",
    "deadlines": "发布期限（月-日）", "max_age_years": "最长未更新年数", "max_workdays": "期限（工作日）",
    "channel_names": "互动交流渠道名称", "not_channel_names": "不属于互动渠道的链接名称",
    "max_days": "期限（天）", "title_pattern": "留言标题特征（不作为渠道名称）",
    "min_non_text_share": "非文字解读最低占比", "blank_cells": "空白单元格的结果", "site_tags": "网站元数据",
    "column_tags": "栏目元数据", "article_tags": "文章元数据",
    "normative_column_words": "规范性文件栏目用词",
}

# Crawl limits (units.limits_hit) as the terminal and the report name them.
LIMIT_LABELS: dict[str, str] = {
    "max_pages": "页数上限", "max_depth": "层级上限", "site_time": "站点时间上限", "max_bytes": "响应大小上限",
    "max_query_variants": "同一路径查询串上限", "max_links_per_page": "每页链接数上限",
    "max_list_renders": "脚本列表渲染上限", "timeout": "请求超时",
    "max_message_pages": "互动留言页面上限",
}


def limits_text(v: Any) -> str:
    """{"max_pages": 3, "max_depth": 1} → 页数上限（3 次）、层级上限（1 次）."""
    if isinstance(v, dict):
        return "、".join(f"{LIMIT_LABELS.get(str(k), str(k))}（{n} 次）" for k, n in v.items())
    if isinstance(v, (list, tuple)):
        return "、".join(LIMIT_LABELS.get(str(k), str(k)) for k in v)
    return str(v)


# Enumerated string values in `data`, by key (or "*" for any key) → Chinese.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "kinds": {"id": "身份证号", "mobile": "手机号", "card": "银行卡号"},   # content.privacy's kinds setting
    "kind": {"id": "身份证号"},
    # issue 20 (channels)
    "problem": {"no-entry": "无依申请公开入口", "channel": "入口后无可用申请渠道", "contact": "地址或电话与指南不一致",
                "missing": "未找到目录", "broken": "链接失效", "blank": "空白列表"},
    "level": {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇"},
    "plan_kind": {"plan": "工作要点或计划", "summary": "工作总结"},
    "year_from": {"title": "标题", "date": "发布日期"},
    "found_in": {"page": "页面标题", "link": "链接文字"},
    "list_state": {"messages": "已读出留言", "empty": "空列表（页面显示无留言提示）", "hub": "互动栏目导航页",
                   "form": "仅有写信表单", "unread": "未能读出列表"},
    "*": {"ok": "正常", "fail": "不合格", "needs_review": "待复核", "pass": "通过", "not_measured": "未能检测",
          "not_applicable": "不适用", "found": "已找到", "missing": "缺少", "weak": "弱", "strong": "强",
          "link": "链接", "pinned": "配置指定", "form": "搜索表单", "input": "搜索框", "column": "栏目",
          "title": "标题", "linked": "链接", "both": "双向", "none": "无", "home": "首页", "article": "文章页",
          "list": "列表页", "page": "页面", "html": "网页代码", "script": "脚本", "text": "文字",
          "graphic": "图解", "video": "视频/动漫", "qa": "问答", "old": "过时", "column page": "指南栏目页面",
          "column item": "指南栏目中的条目", "page title": "标题含“公开指南”的页面", "attachment": "附件",
          "column only": "仅有栏目", "not fetched": "未抓取到", "statutory sub-column not found": "未找到法定子栏目",
          "home page and every crawled page": "首页及所有已抓取页面", "GET": "GET 请求", "HEAD": "HEAD 请求",
          "government": "政府", "department": "部门", "title+doc": "标题与文号", "文号": "文号"},
    "missing": {"interp-to-doc": "解读链接政策原文", "doc-to-interp": "政策文件链接解读"},
    "tag": {"a": "链接", "img": "图片", "script": "脚本", "iframe": "内嵌框架", "frame": "框架", "link": "样式或图标",
            "embed": "嵌入对象", "source": "媒体源", "object": "嵌入对象", "area": "图像热区", "video": "视频",
            "audio": "音频", "meta": "自动跳转", "form": "表单"},
    "attr": {"href": "链接地址", "src": "资源地址", "action": "表单地址", "data": "对象数据", "content": "跳转地址"},
    "method": {"link-both": "双向链接", "link-doc-to-interp": "仅政策文件链接解读",
               "link-interp-to-doc": "仅解读链接政策文件", "link-interp": "解读链接政策文件", "link-doc": "政策文件链接解读",
               "title": "标题匹配", "doc_number": "文号匹配", "文号": "文号匹配", "named": "标题中点名"},
}

# Crawl failure reasons (govaudit.crawler.failures) and other fixed phrases from lower layers.
REASON_LABELS: dict[str, str] = {
    "dns": "域名无法解析（DNS）", "refused": "连接被拒绝", "timeout": "连接超时", "tls": "证书或加密连接错误（TLS）",
    "incomplete response": "响应不完整", "connection lost": "连接中断", "unsupported scheme": "不支持的协议",
    "robots.txt": "robots.txt 禁止抓取", "too large": "响应过大", "redirect loop": "循环跳转",
    "too many redirects": "跳转次数过多", "site time limit": "达到站点时间上限", "not fetched": "未抓取到",
}

# Phrases (regular expressions) that lower layers write into reasons, in order; \1… keep the details.
_PHRASES: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.I), r) for p, r in [
    (r"\brendered: ", "浏览器渲染："),
    (r"(?<=[^\s])\s*;\s+", "；"),
    (r"(\d+) image\(s\), (\d+) characters of text", r"图片 \1 张，文字 \2 字"),
    (r"(\d+) questions, (\d+) answers", r"问题 \1 个，回答 \2 个"),
    (r"\bH5 page ", "H5 页面 "), (r"\bvideo file ", "视频文件 "), (r"\bplayer embed ", "嵌入播放器 "),
    (r"\bvideo player script", "视频播放脚本"), (r"\bimage file ", "图片文件 "),
    (r"rendered in Chromium: ", "浏览器渲染："),
    (r"off-screen at (-?\d+),\s*(-?\d+)", r"位于屏幕之外（坐标 \1,\2）"),
    (r"off-screen \(([^)]*)\)", r"移出屏幕（\1）"),
    (r"inline style off-screen", "内联样式移出屏幕"),
    (r"inline style ", "内联样式 "),
    (r"stylesheet rule '([^']*)' ", r"样式表规则 \1 "),
    (r"written by document\.write/innerHTML", "由脚本写入（document.write/innerHTML）"),
    (r"written by script", "由脚本写入"),
    (r"inside <noscript>", "位于 <noscript> 中"),
    (r"hidden attribute", "hidden 属性隐藏"),
    (r"text colou?r equals background \(([^)]*)\)", r"文字颜色与背景相同（\1）"),
    (r"(\S+) with overflow:hidden", r"\1 且 overflow:hidden"),
    (r"zero size", "尺寸为零"), (r"not visible", "不可见"), (r"transparent", "透明"),
    (r"illegal words: ", "违规词语："),
    (r"points outside the unit's domains", "指向本单位域名以外"),
    (r"anchor text contains '([^']*)'", r"链接文字含“\1”"),
    (r"target page title contains '([^']*)'", r"目标页面标题含“\1”"),
    (r"host contains '([^']*)'", r"域名含“\1”"),
    (r"blocklisted host", "域名在黑名单中"),
    (r"redirects off-site to (\S+) \(([^)]*)\)", r"跳转到外部网站 \1（\2）"),
    (r"^target (\S+)$", r"目标 \1"),
    (r"error phrase '([^']*)' in the title", r"标题含错误提示“\1”"),
    (r"error phrase '([^']*)' in a short page", r"短页面含错误提示“\1”"),
    (r"error phrase '([^']*)'", r"页面含错误提示“\1”"),
    (r"same content as the site's answer for a missing page \(([^)]*)\)", r"与网站对不存在页面的应答相同（\1）"),
    (r"deep link redirects to the home page", "深层链接被跳转到首页"),
    (r"deep link redirects to the site root (\S+)", r"深层链接被跳转到网站根目录 \1"),
    (r"redirects to the site's not-found page (\S+)", r"跳转到网站的“页面不存在”页 \1"),
    (r"HTTP (\d+) \(blocked\? the host refuses automated checks\)", r"HTTP \1（对方网站拒绝自动检测，需人工确认）"),
    (r"attachment answers with an HTML page", "附件链接返回的是网页而非文件"),
    (r"attachment is empty \(0 bytes\)", "附件为空文件（0 字节）"),
    (r"https:// does not answer \(([^)]*)\)", r"https:// 无法访问（\1）"),
    (r"HTTPS not probed", "未检测 HTTPS"),
    (r"https:// answers but the portal is served over http:// without redirect",
     "https:// 可访问，但网站仍以 http:// 提供且未跳转"),
    (r"rendering failed: ", "渲染失败："),
    (r"not rendered \(no browser, rendering switched off, or max_list_renders reached\)",
     "未渲染（无浏览器、渲染已关闭或达到 max_list_renders 上限）"),
    (r"no browser or rendering switched off", "无浏览器或渲染已关闭"),
    (r"the document body was not stored", "文件内容未保存"),
    (r"the report's attachment was linked but not downloaded by the crawl", "年报附件有链接但抓取时未下载"),
    (r"home page not fetched", "首页未抓取到"),
    (r"publish date not found on the interpretation", "解读未找到发布日期"),
    (r"publish date not found on the document", "政策文件未找到发布日期"),
    (r"attachment linked straight from a list: the date is the list's", "附件直接从列表链接：日期取列表中的日期"),
    (r"attachment linked directly \(no landing page\): publish date unknown", "附件直接链接（无发布页面）：发布日期未知"),
    (r"list:(\S+): ", r"列表 \1："),
    (r"^meta:(\w+)$", r"元数据 \1"),
    (r"computed style", "计算样式"),
    (r"^list as rendered in Chromium$", "浏览器渲染后的列表"), (r"^list shown in a frame of (\S+)$", r"列表位于 \1 的框架页面中"),
    (r"^the annual report page$", "年度报告页面"), (r"^the report document \(attachment\) that was read$", "读取的年度报告附件"),
    (r"^the report document \(([^)]*)\) that was read$", r"读取的年度报告文件（\1）"),
    (r"redirect to unsupported scheme", "跳转到不支持的协议"), (r"\bmalformed URL: ", "网址格式错误："),
    (r"too many redirects", "跳转次数过多"), (r"\bredirect loop\b", "循环跳转"),
    (r"body not downloaded: ", "正文未下载："), (r"\bover max_bytes\b", "超过 max_bytes 上限"),
]]

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def label(key: Any, parent: str = "") -> str:
    """The Chinese label of a data key (`parent.key` first: the same key can mean different things
    inside different records); the key itself only when nothing better is known."""
    k = str(key)
    return (parent and KEY_LABELS.get(f"{parent}.{k}")) or KEY_LABELS.get(k) or KEY_LABELS.get(k.lower()) or k


def value(v: str, key: str = "") -> str:
    """An enumerated value in Chinese (status ok → 正常); other text through zh()."""
    for table in (VALUE_LABELS.get(key, {}), VALUE_LABELS["*"]):
        if v in table:
            return table[v]
    if _CODE.match(v) and v in KEY_LABELS:  # a code that names a thing (site_code, arrangement …)
        return KEY_LABELS[v]
    return zh(v)


def reason(r: str | None) -> str:
    """A crawl failure reason or fixed phrase in Chinese."""
    if not r:
        return ""
    return REASON_LABELS.get(r) or REASON_LABELS.get(r.lower()) or zh(r)


@lru_cache(maxsize=8192)  # reports translate the same few reasons thousands of times (70 regexes each)
def zh(s: str | None) -> str:
    """Known English phrases of lower layers (visibility reasons, crawl failures …) in Chinese;
    details (URLs, CSS, numbers) are kept. Text without a known phrase comes back unchanged."""
    if not s:
        return s or ""
    if s in REASON_LABELS:
        return REASON_LABELS[s]
    out = s
    for rx, rep in _PHRASES:
        out = rx.sub(rep, out)
    # reasons joined with "; " or inside parentheses: each word-only part may be a failure code
    return re.sub(r"(?<=[（(：:;；\s])(dns|refused|timeout|tls|connection lost|incomplete response|too large)"
                  r"(?=\s*[（(）);；]|$)",
                  lambda m: REASON_LABELS[m.group(1)], out)

# Per rule: 整改建议 (a str.format template over the finding: {url}, {target}, {item}, {message} and
# the keys of its data; govaudit.reports.fixes fills it) and the one-paragraph Chinese summary that
# `govaudit explain` prints. The registry puts both on each Rule (Rule.fix, Rule.summary).
RULE_ADVICE: dict[str, tuple[str, str]] = {
    # issue 20 (channels)
    "request.channel": (
        "在政府信息公开平台设置“依申请公开”入口，提供在线申请表单、统一申请平台链接或可下载并能打开的申请表中的至少一种，"
        "并使依申请公开页面与政府信息公开指南中受理机构的地址、联系电话一致。",
        "检查政府信息公开平台是否有“依申请公开”入口；入口后是否有在线申请表单、统一申请平台链接或可下载并能打开的申请表；"
        "依申请公开页面与政府信息公开指南的地址、电话是否一致。"),
    "catalog.missing": (
        "在政府信息公开平台发布并维护本级基层政务公开标准目录（或主动公开基本目录），各领域逐项链接到能打开、有内容的栏目；"
        "条目链接失效或栏目空白的，修复链接并发布该领域的信息。",
        "检查县、乡两级政府是否发布基层政务公开标准目录（26 个领域）或主动公开基本目录，以及目录各条目链接能否打开、是否有内容。"),
    "plan.missing": (
        "在政府信息公开平台发布本年度政务公开工作要点（或实施方案、工作计划），以及上一年度政务公开工作总结。",
        "检查网站上是否有检查年度的政务公开工作要点、实施方案或工作计划（或上一年度的工作总结），年份按标题或发布日期判断。"),
    "content.privacy": (
        "立即撤下或重新发布 {url}：对其中的身份证号、手机号、银行卡号等个人信息作去标识化处理（如 1101**********123X），"
        "并排查同类公示、附件（依据考核规范 8.9.2 c）。",
        "检查页面和附件（表格、文档、扫描件经 OCR）中未脱敏公开的身份证号（校验位与出生日期均有效）、姓名旁的手机号、账号旁的银行卡号。"),
    "content.wording": (
        "更正 {url} 中的表述错误（见证据中的错误写法与正确写法），严重表述错误应立即更正并按规定报告（依据考核规范 8.9.2 b）。",
        "检查页面和附件正文中国家、党和机构名称的错误写法与错误提法（严重表述错误）以及常见错别字；更正、勘误说明中引用的错误写法不计。"),
    "report.consistency": (
        "核对 {url} 年度报告表二“行政规范性文件 本年制发件数”与网站政策文件栏目实际发布的文件：如年报有误，发布更正说明；如文件未公开，补充公开。",
        "将年度报告表二中行政规范性文件本年制发件数，与网站政策文件栏目中当年文号的规范性文件数量对照（供复核）。"),
    "column.backfilled": (
        "核实栏目 {url} 中发布日期早于此前抓取、当时却不在列表中的信息：如实标注发布日期，不得倒签或集中补发；复核后说明原因。",
        "利用每晚抓取的历史记录，发现发布日期早于此前一次抓取、当时却不在列表中的信息（疑似倒签），以及长期不更新后在考核期限前集中发布的情况（供复核）。"),
    "column.blank": (
        "在栏目 {url}（{label}）中发布应公开的信息；确无内容的栏目应撤销或合并，不得以“暂无信息”等占位。",
        "检查栏目页是否无内容或只有“暂无信息”等占位文字；由脚本生成列表的栏目在浏览器中渲染后再判断。"),
    "column.content-items": (
        "在法定主动公开内容栏目 {url} 中补设缺少的信息类别栏目，并按《政府信息公开条例》第二十条发布相应信息。",
        "检查法定主动公开内容中是否有《政府信息公开条例》第二十条所列各类信息的栏目。"),
    "column.platform-missing": (
        "在网站首页设置“政府信息公开”专栏入口，集中发布法定主动公开内容。",
        "检查网站是否设有政府信息公开专栏（首页链接、其他页面链接或配置指定）。"),
    "column.stale": (
        "及时更新栏目 {url}（{label}）：最新信息为 {newest}，已 {age_days} 天未更新，{class_name}栏目应在 {threshold_days} 天内更新。",
        "检查各栏目最新信息的日期距检查日期的天数，按栏目类别（动态要闻类、通知公告类等）的期限判断是否长期未更新。"),
    "column.statutory-missing": (
        "在政府信息公开专栏 {url} 下设置缺少的法定子栏目（政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报）。",
        "检查政府信息公开专栏是否设有四个法定子栏目：政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报。"),
    "content.future-date": (
        "更正页面 {url} 的发布日期（应为实际发布日期，不得晚于检查日期 {today}），并核对后台发布时间设置。",
        "检查页面发布日期晚于检查日期的情况（日期录入错误）。"),
    "content.illegal-text": (
        "立即删除页面 {url} 中的违规内容（{terms}），排查网站是否被篡改，修补漏洞、更换密码，并按网络安全事件报告。",
        "检查页面正文中博彩、色情等违规词语（被篡改或挂马的迹象），在正常语境（如打击赌博的新闻）中出现的不计。"),
    "content.obsolete-name": (
        "核实页面 {url} 中已撤销或更名的机构名称：作为现行机构使用的改为现名称；属历史信息的可保留并加注说明。",
        "检查 2018 年机构改革中已撤销或更名的机构名称是否仍被当作现行机构使用（2019 年以后发布的页面）。"),
    "guide.incomplete": (
        "修订政府信息公开指南 {url}，补齐缺少的要素（{missing}）后重新发布。",
        "检查政府信息公开指南是否包括信息分类、编排体系、获取方式、受理机构名称地址办公时间联系电话传真电子邮箱等要素。"),
    "guide.missing": (
        "在政府信息公开指南栏目中发布本单位的政府信息公开指南。",
        "检查是否公开政府信息公开指南（指南栏目、栏目中的条目、标题含“公开指南”的页面或附件）。"),
    "guide.outdated": (
        "更新政府信息公开指南 {url}：修改过时的机构名称、联系方式和依据，重新发布并标明更新日期。",
        "检查政府信息公开指南的发布日期是否过久未更新，以及是否引用已废止的条例或过时内容。"),
    "interp.column-missing": (
        "在政府信息公开平台设置“政策解读”栏目，集中发布政策解读材料。",
        "检查网站是否设有政策解读栏目。"),
    "interp.form-diversity": (
        "在政策解读栏目 {url} 中增加图解、视频/动漫、问答、H5 等多样化解读形式。",
        "检查政策解读中图解、视频/动漫、问答、H5 等非文字形式所占比例。"),
    "interact.column-missing": (
        "在网站首页或政务公开平台显著位置设置互动交流渠道（领导信箱、咨询、留言或链接至省级统一政务咨询投诉举报平台），并确保可正常使用。",
        "检查网站是否设有领导信箱、咨询、留言、政民互动、12345 等互动交流渠道（链接至省级统一信件系统也算）。"),
    "interact.fields": (
        "为互动栏目 {url} 中的每条留言补齐留言时间、答复时间和答复单位，并定期公开留言受理、答复情况统计（收到多少件、答复多少件）。",
        "检查咨询、信箱、留言类栏目公开的每条留言是否标注留言时间、答复时间和答复单位，以及是否公开留言受理和答复的统计数据。"),
    "interact.late-reply": (
        "核实留言 {target} 的办理过程，今后在规定时限（{max_workdays} 个工作日）内答复并及时公开；确需延期的应说明理由。",
        "计算每条已答复留言从留言时间到答复时间的工作日数（节假日和调休已计入），并给出每个栏目的答复用时中位数和最大值。"),
    "interact.stale": (
        "及时办理并公开互动栏目 {url} 中的留言答复，确保定期发布新的答复（超过 {max_days} 天没有新答复即视为栏目未有效运行）。",
        "检查咨询、信箱、留言类栏目最新一条公开答复的日期距检查日期是否超过规定天数。"),
    "interact.unanswered": (
        "立即办理留言 {target} 并公开答复（已 {age_days} 天未答复）；建立留言办理督办机制，确保每条留言在 3 个月内答复。",
        "检查咨询、信箱、留言类栏目（在线访谈、调查征集、举报投诉除外）中已公开但超过规定天数仍未答复的留言；仅就已公开的留言而言。"),
    "interp.late": (
        "今后政策解读应与政策文件同步发布（不晚于 {max_workdays} 个工作日）；本条解读 {url} 晚于文件 {target} 发布，请在台账中说明原因。",
        "检查政策解读的发布日期是否在政策文件发布后规定的工作日内（节假日和调休已计入）。"),
    "interp.missing": (
        "为规范性文件 {url} 发布解读材料（与文件同步发布），或在文件中说明不予解读的理由。",
        "检查规范性文件是否有对应的解读材料（解读链接文件、文件链接解读，或解读提及文件标题或文号），说明了不予解读理由的不计。"),
    "interp.unlinked": (
        "在解读页 {url} 与政策文件 {target} 之间互相加上链接（解读页链接文件原文，文件页链接解读）。",
        "检查政策文件与其解读是否相互链接。"),
    "link.broken": (
        "修改页面 {url} 上指向 {target} 的失效链接（{reason}）：目标已迁移的改为新地址，已撤销的删除链接；附件须重新上传完整文件。共有 {source_count} 个页面链接该地址，须逐一修改。",
        "检查所有已抓取页面上的链接（含附件、图片、脚本、框架）：目标域名无法解析、拒绝连接、超时、证书错误、HTTP 4xx/5xx、循环跳转，或附件返回网页、空文件，均判为失效链接。首页链接与其他页面链接分开计数；外部网站对自动检测返回 401/403/429 的，判为待复核。"),
    "link.hidden": (
        "立即删除页面 {url} 中指向 {target} 的隐藏链接（暗链），排查网页模板和后台是否被篡改，修补漏洞、更换管理密码；来源不明的报网络安全部门处置。",
        "检查页面中用样式、样式表、noscript、脚本、微小滚动区隐藏，或在浏览器渲染后不可见的链接，且指向本单位域名以外或含违规词语；站内隐藏的选项卡属正常情况，不判为暗链。"),
    "link.illegal": (
        "立即删除页面 {url} 上指向 {target} 的违规链接，核查该页面及网站模板是否被篡改，修补漏洞后重新审核发布。",
        "检查链接文字、目标域名或目标页面标题含博彩、色情、代开发票等违规词语，或指向黑名单域名的链接。"),
    "link.soft-404": (
        "页面 {target} 已不存在却返回正常状态（{reason}）：恢复该页面内容，或删除、更正页面 {url} 上的链接；并设置网站对不存在的页面返回 HTTP 404 状态码。",
        "检查返回 200 状态码、实际却是“页面不存在”的目标：页面含错误提示语、与网站对不存在页面的应答相同，或深层链接被跳转到首页。"),
    "report.arithmetic": (
        "核对并更正年度报告 {url} 中的统计表格数据（{name}），修改后重新发布。",
        "检查年度报告中依申请公开情况统计表的合计关系是否成立（新收加结转等于办理总计加结转下年度、各项办理结果之和等于总计、各类申请人之和等于总计）。"),
    "report.late": (
        "今后应在 {deadline} 前发布上一年度的政府信息公开工作年度报告（本次晚发布 {days_late} 天，见 {url}）。",
        "检查年度报告的发布日期是否晚于规定期限（政府 3 月 31 日，部门 1 月 31 日）。"),
    "report.missing": (
        "在政府信息公开年报栏目中发布 {year} 年政府信息公开工作年度报告。",
        "检查近几年的政府信息公开工作年度报告是否都已公开（按年度和发布机关匹配）。"),
    "report.structure": (
        "按国务院办公厅规定的年度报告格式修订年度报告 {url}，补齐缺少的章节或表格后重新发布。",
        "检查年度报告（2021 年新格式起）是否包含规定的六个部分和统计表格，且顺序正确。"),
    "site.https": (
        "为网站 {url} 部署有效的 HTTPS 证书，将 http:// 访问跳转到 https://，页面引用的图片、脚本等资源改用 https:// 地址。",
        "检查网站是否通过 HTTPS 提供、证书是否有效，以及 HTTPS 页面是否引用 http:// 资源（混合内容）。"),
    "site.identifiers": (
        "在首页 {url} 底部补齐{missing}，并与网页元数据保持一致。",
        "检查首页是否有网站标识码、ICP 备案号、公安机关备案号和党政机关标识，以及网站标识码与元数据 SiteIDCode 是否一致。"),
    "site.metadata": (
        "在页面 {url} 等同类页面的网页头部补齐或更正元数据（{tags}），PubDate 须与页面显示的发布日期一致。",
        "按《政府网站发展指引》检查首页、栏目页和文章页的元数据（SiteName、SiteDomain、SiteIDCode、ColumnName、ArticleTitle、PubDate、ContentSource 等）是否齐全，以及 PubDate 与页面显示的发布日期是否一致。"),
    "site.not-updated": (
        "及时更新网站首页信息，发布本单位最新工作动态，确保首页动态类信息按期更新（目前最新文章：{newest_url}）。",
        "检查首页可达文章中最新的发布日期距检查日期的天数，以及近期发布的文章数量。"),
    "site.search": (
        "在政府信息公开平台 {url} 提供可用的站内搜索，并确保能正常返回结果。",
        "检查政府信息公开平台入口页是否有搜索表单、搜索框或搜索链接，以及搜索地址能否访问。"),
    "doc.metadata": (
        "逐件补全或更正政策文件的公开属性（索引号、发布机构、成文日期、发布日期、主题分类、文号须与正文一致，"
        "索引号不得重复，成文日期不得晚于发布日期，规范性文件须标注有效、失效、废止等状态并随清理结果动态调整）：{defect_text}（见证据中的文件）。",
        "检查政策文件栏目中的文件和带文号的页面的公开属性（索引号、发布机构、成文日期、发布日期、主题分类、文号、有效性）：缺项、文号与正文不一致、成文日期晚于发布日期、索引号重复、规范性文件未标注有效性。"),
    "site.unavailable": (
        "排查网站服务器、域名解析和网络线路，恢复首页 {url} 的正常访问，并建立监测机制，确保网站持续可访问。",
        "检查本次抓取时首页能否访问，以及近期定时首页探测（每 30 分钟一次）失败的比例。"),
}


# -- time ------------------------------------------------------------------------------------------
def set_timezone(name: str | None) -> None:
    """The zone people read times in (config: shared.timezone; default Asia/Shanghai)."""
    global _tz_name
    name = name or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"未知时区：{name}") from None
    _tz_name = name


def timezone() -> ZoneInfo:
    return ZoneInfo(_tz_name)


def local_time(value: Any, seconds: bool = True) -> str:
    """An ISO 8601 time (or datetime) as local wall time, 'YYYY-MM-DD HH:MM:SS'; naive times are UTC.
    Dates and unparsable text come back as given."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        t = value
    else:
        s = str(value)
        if len(s) <= 10:
            return s
        try:
            t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            return s
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(timezone()).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def tz_label() -> str:
    return "北京时间" if _tz_name in ("Asia/Shanghai", "Asia/Chongqing", "PRC") else _tz_name
