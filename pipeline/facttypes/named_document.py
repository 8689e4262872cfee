"""Named-document producer: the quoted title of a signed document, from rules/named_document.yaml."""

from __future__ import annotations

import re

from pipeline.facttypes import producer


@producer("named_document", "title")
def title(m, ctx):
    kind = ctx.lexicon_value("document_title_head", m.group("kind"))
    if kind is None:
        return None
    if kind not in set(ctx.rules.lexicon("document_kind").values.values()):
        # "«برنامه ...»" names a signed document only where the paragraph speaks of signing
        start = ctx.text.rfind("\n", 0, m.start()) + 1
        end = ctx.text.find("\n", m.end())
        paragraph = ctx.text[start : end if end >= 0 else len(ctx.text)]
        if not re.search(ctx.rules.macros["signing_word"], paragraph):
            return None
    return {"title": re.sub(r"\s+", " ", m.group("span")), "kind": kind}
