"""The WordprocessingML child order (ECMA-376 Part 1, transitional) of the elements docgen writes, and placing by it.

Word refuses ("unreadable content") a document whose property elements are out of their schema sequence or
repeated where the schema allows one; LibreOffice tolerates both, so a test that opens each DOCX in LibreOffice
does not catch it. Every element docgen adds to a part goes through `place`, and `order_problems` checks a
whole part against the same sequences (the tests run it on every part of every built DOCX).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# CT_PPrBase, then CT_PPr's own tail.
_PPR_BASE = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle")
# EG_RPrBase in the order of the first edition's sequence (later editions allow any order: this one satisfies both).
_RPR_BASE = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl",
             "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_TBLPR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
          "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
          "tblDescription", "tblPrChange")
_TCPR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
         "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange")
_SECTPR = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
           "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
           "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
_STYLE = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
          "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
          "tblPr", "trPr", "tcPr", "tblStylePr")
_BORDERS = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl", "between", "bar")
_MARGINS = ("top", "left", "start", "bottom", "right", "end")

# Each sequence: element → (child order, children that may repeat). A child not listed is out of schema.
SEQUENCES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "pPr": (_PPR_BASE + ("rPr", "sectPr", "pPrChange"), frozenset()),
    "rPr": (_RPR_BASE + ("rPrChange",), frozenset()),
    # the paragraph mark's properties (an rPr inside a pPr): its tracked change comes first
    "pPr/rPr": (("ins", "del", "moveFrom", "moveTo") + _RPR_BASE + ("rPrChange",), frozenset()),
    "tblPr": (_TBLPR, frozenset()),
    "tcPr": (_TCPR, frozenset()),
    "sectPr": (_SECTPR, frozenset({"headerReference", "footerReference"})),
    "style": (_STYLE, frozenset({"tblStylePr"})),
    "tblStylePr": (("pPr", "rPr", "tblPr", "trPr", "tcPr"), frozenset()),
    "docDefaults": (("rPrDefault", "pPrDefault"), frozenset()),
    "tblBorders": (_BORDERS, frozenset()),
    "tcBorders": (_BORDERS, frozenset()),
    "pBdr": (_BORDERS, frozenset()),
    "tblCellMar": (_MARGINS, frozenset()),
    "tcMar": (_MARGINS, frozenset()),
    "tbl": (("tblPr", "tblGrid", "tr"), frozenset({"tr"})),
    "tr": (("tblPrEx", "trPr", "tc"), frozenset({"tc"})),
}
# CT_TrPrBase is a choice: any order, each property once here; the row's own tracked change comes last.
_TRPR_BASE = frozenset({"cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
                        "tblHeader", "tblCellSpacing", "jc", "hidden"})
_TRPR_TAIL = ("ins", "del", "trPrChange")


def _local(el: Any) -> str | None:
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith(_W):
        return None
    return tag[len(_W):]


def _key(parent: Any) -> str | None:
    name = _local(parent)
    if name == "rPr":
        grand = parent.getparent()
        if grand is not None and _local(grand) == "pPr":
            return "pPr/rPr"
    return name


def _rank(parent_key: str, child: str) -> int:
    if parent_key == "trPr":
        if child in _TRPR_BASE:
            return 0
        if child in _TRPR_TAIL:
            return 1 + _TRPR_TAIL.index(child)
        raise ValueError(f"w:{child} is not a child of w:trPr")
    order = SEQUENCES[parent_key][0]
    if child not in order:
        raise ValueError(f"w:{child} is not a child of w:{parent_key}")
    return order.index(child)


def _repeats(parent_key: str, child: str) -> bool:
    if parent_key == "trPr":
        return False
    return child in SEQUENCES[parent_key][1]


def place(parent: Any, child: Any) -> Any:
    """Put `child` into `parent` where the schema's sequence wants it; an element the sequence allows once
    replaces the one already there. Returns `child`."""
    key = _key(parent)
    name = _local(child)
    assert key is not None and name is not None
    rank = _rank(key, name)
    if not _repeats(key, name):
        for old in parent.findall(f"{_W}{name}"):
            parent.remove(old)
    for existing in parent:
        other = _local(existing)
        if other is not None and _rank(key, other) > rank:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def order_problems(root: Any) -> Iterator[str]:
    """Every element under `root` whose children break their schema sequence: out of order, repeated where the
    schema allows one, or not a child the schema knows there."""
    for el in root.iter():
        key = _key(el)
        if key not in SEQUENCES and key != "trPr":
            continue
        last, seen = -1, set()
        for child in el:
            name = _local(child)
            if name is None:  # another namespace (w14, mc): the tolerant extensions Word reads
                continue
            try:
                rank = _rank(key, name)
            except ValueError as exc:
                yield f"{_path(child)}: {exc}"
                continue
            if rank < last:
                yield f"{_path(child)}: w:{name} is out of order in w:{key} (it comes earlier in the schema)"
            if name in seen and not _repeats(key, name):
                yield f"{_path(child)}: w:{name} occurs twice in w:{key}"
            last = max(last, rank)
            seen.add(name)
        if key == "tr" and not any(_local(c) == "tc" for c in el):
            yield f"{_path(el)}: a table row without cells"
    for tc in root.iter(f"{_W}tc"):
        blocks = [c for c in tc if _local(c) not in (None, "tcPr")]
        if not blocks or _local(blocks[-1]) != "p":
            yield f"{_path(tc)}: a table cell must end with a paragraph"


def _path(el: Any) -> str:
    parts = []
    while el is not None:
        name = _local(el) or str(el.tag)
        parent = el.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == el.tag]
            name += f"[{same.index(el) + 1}]" if len(same) > 1 else ""
        parts.append(name)
        el = parent
    return "/".join(reversed(parts))
