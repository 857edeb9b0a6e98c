"""Named analyses: what several rules read from one unit's stored crawl, computed once per unit.

A rule requests an analysis by its type and declares it (`Rule(uses=(ColumnsAnalysis,))`):

    cols = ctx.get(ColumnsAnalysis)

| analysis (module)              | what it holds                                               | needs                     | used by            |
|--------------------------------|-------------------------------------------------------------|---------------------------|--------------------|
| SitePages (pages.py)           | stored pages by URL, parsed trees, rendered DOMs, column lists | –                       | column.*, guide.*  |
| ColumnsAnalysis (columns.py)   | the 政府信息公开 platform, its sub-columns, the columns judged | SitePages                | column.*, guide.*  |
| GuideFound (guide.py)          | the 政府信息公开指南, found and read                           | ColumnsAnalysis, SitePages | guide.*          |
| InterpPairs (interp.py)        | 政策解读 columns, interpretations, documents, their pairing    | –                        | interp.*           |
| InteractionAnalysis (interaction.py) | 互动交流 channels, their messages (rows + detail pages), per-column statistics | SitePages | interact.* |
| ReportsFound (reports.py)      | every annual report of the crawl, read                        | –                        | report.*           |
| HygieneScan (hygiene.py)       | one pass over the HTML pages: hidden anchors, vocabulary hits, publish dates, metadata | – | link.hidden/illegal/soft-404, content.*, site.metadata/not-updated/search |

vocab.py holds the shared vocabularies (defaults of link.illegal, link.hidden, content.obsolete-name,
link.soft-404) and their matching; it is no analysis (nothing per unit). provider.py defines
`Provider`, the base of every analysis. The runner (checks/run.py) keeps the rules that share an
analysis in one task of a parallel run. This package holds no rules and imports none.
"""
