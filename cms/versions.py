"""Versions of a regulation for readers: the published texts, and a readable diff of two.

Wagtail keeps every revision; readers see only the ones that were published, as text (title,
requisites, status, summary and the body block by block), never as revision JSON.
"""

from __future__ import annotations

import difflib
import re
from html import unescape

from django.http import Http404
from django.shortcuts import render
from django.utils.html import strip_tags
from wagtail.models import PageLogEntry, Revision

_SPACES = re.compile(r"\s+")


def published_revisions(page):
    """(log entry, revision) of each publication of the page, oldest first."""
    entries = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision", "user")
        .order_by("timestamp", "pk")
    )
    seen, result = set(), []
    for entry in entries:
        if entry.revision_id not in seen:
            seen.add(entry.revision_id)
            result.append(entry)
    return result


def _clean(html: str) -> str:
    return _SPACES.sub(" ", unescape(strip_tags(html or ""))).strip()


def text_lines(page) -> list[str]:
    """The text of one version of a regulation, one line per paragraph."""
    lines = [page.title, page.requisites, f"{page.get_status_display()}"]
    if page.summary:
        lines += [_clean(p) for p in page.summary.splitlines() if p.strip()]
    for block in page.body:
        if block.block_type == "heading":
            lines.append(f"## {block.value}")
        elif block.block_type == "paragraph":
            source = block.value.source if hasattr(block.value, "source") else str(block.value)
            for part in re.split(r"</p>|<br\s*/?>|</li>", source):
                text = _clean(part)
                if text:
                    lines.append(text)
        elif block.block_type == "table":
            for row in (block.value or {}).get("data") or []:
                lines.append(" | ".join(_clean(str(cell or "")) for cell in row))
        elif block.block_type == "quote":
            lines.append(f"« {_clean(str(block.value))} »")
    return [line for line in lines if line]


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Words of one changed line, each marked equal, delete or insert."""
    old_words, new_words = old.split(" "), new.split(" ")
    pieces = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", " ".join(old_words[a1:a2])))
        else:
            if a2 > a1:
                pieces.append(("delete", " ".join(old_words[a1:a2])))
            if b2 > b1:
                pieces.append(("insert", " ".join(new_words[b1:b2])))
    return pieces


def diff(old_lines: list[str], new_lines: list[str]) -> list[dict]:
    """Line by line: unchanged, removed, added, or changed (with the words that changed)."""
    rows = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [{"op": "equal", "text": line} for line in old_lines[a1:a2]]
        elif op == "replace" and (a2 - a1) == (b2 - b1):
            rows += [
                {"op": "change", "words": _word_diff(old, new)}
                for old, new in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True)
            ]
        else:
            rows += [{"op": "delete", "text": line} for line in old_lines[a1:a2]]
            rows += [{"op": "insert", "text": line} for line in new_lines[b1:b2]]
    return rows


def readable_revisions(page, user):
    """Published versions the person may read: an earlier version may have had a narrower
    audience (for ДОН only, say) than the page has now."""
    from .visibility import can_read

    readable = []
    for entry in published_revisions(page):
        version = entry.revision.as_object()
        version.live = True  # it was, when it was published
        if can_read(user, version):
            readable.append(entry)
    return readable


def versions_view(page, request):
    entries = readable_revisions(page, request.user)
    pairs = [(entries[i - 1], entries[i]) for i in range(1, len(entries))]
    return render(request, "cms/versions.html", {"page": page, "entries": entries[::-1], "pairs": pairs[::-1]})


def compare_view(page, request, older: int, newer: int):
    published = {entry.revision_id: entry for entry in readable_revisions(page, request.user)}
    if older not in published or newer not in published:
        raise Http404  # only published versions are shown to readers
    old_page = Revision.objects.get(pk=older).as_object()
    new_page = Revision.objects.get(pk=newer).as_object()
    rows = diff(text_lines(old_page), text_lines(new_page))
    return render(
        request,
        "cms/compare.html",
        {
            "page": page,
            "older": published[older],
            "newer": published[newer],
            "rows": rows,
            "changed": any(row["op"] != "equal" for row in rows),
        },
    )
