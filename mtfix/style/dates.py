"""Dates across an article: one style, the dateline's.

Russian writes the day first ("23 октября"), and MT keeps it in some sentences while the
agency's English dateline and other sentences put the month first ("MOSCOW, November 4").
The article's style is the dateline's where it has one, else the one most of its dates
use; every other date is rewritten in it, in the same words: "on 23 October" becomes "on
October 23", "29-30 October" becomes "October 29-30", "23 October 2015" becomes "October
23, 2015" (and back, for a day-first article).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
DAYS = r"\d{1,2}(?:\s?[-–]\s?\d{1,2})?"
DAY_MONTH = re.compile(
    rf"(?<![\d:./-])\b(?P<day>{DAYS}) (?P<month>{MONTHS})\b(?: (?P<year>\d{{4}})\b)?"
)
MONTH_DAY = re.compile(
    rf"\b(?P<month>{MONTHS}) (?P<day>{DAYS})\b(?!\s?[-–%/.:]?\d)(?:, (?P<year>\d{{4}})\b)?"
)
# "MOSCOW, November 4." or "LONDON (Reuters) - 4 November": a city in capitals, a date.
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,?(?: \([^)]*\))?(?:,| -| —)? ")
STYLES = {"day-month": DAY_MONTH, "month-day": MONTH_DAY}


@dataclass(frozen=True)
class Date:
    """One date in the text: its span, its style and its parts."""

    start: int
    end: int
    style: str
    day: str
    month: str
    year: str

    def written(self, style: str) -> str:
        """The same date in ``style``."""
        if style == "month-day":
            return f"{self.month} {self.day}" + (f", {self.year}" if self.year else "")
        return f"{self.day} {self.month}" + (f" {self.year}" if self.year else "")


def dates_in(text: str, offset: int = 0) -> list[Date]:
    """Every day-and-month date in ``text`` (offsets shifted by ``offset``), but not a
    number that ends a name ("Windows 10 May 2020 Update")."""
    found = [
        Date(offset + m.start(), offset + m.end(), style, m["day"], m["month"], m["year"] or "")
        for style, pattern in STYLES.items()
        for m in pattern.finditer(text)
        if _real_days(m["day"]) and not (style == "day-month" and _after_a_name(text, m.start()))
    ]
    return sorted(found, key=lambda d: d.start)


def _real_days(day: str) -> bool:
    """Whether every number of a day or a range of days is a day of a month."""
    return all(1 <= int(n) <= 31 for n in re.findall(r"\d+", day))


def _after_a_name(text: str, at: int) -> bool:
    """Whether the word before ``at`` is a capitalised word, not the sentence's first
    (``text`` is one sentence: "On 12 December" is a date)."""
    before = re.search(r"(\S+)\s+$", text[:at])
    if before is None or before.start() == 0:
        return False
    word = before.group(1)
    return word[:1].isupper() and word.isalpha()


def dateline_style(paragraphs: list[str]) -> str:
    """The style of the dateline's date ("" where no paragraph opens with one)."""
    for text in paragraphs[:3]:
        head = DATELINE.match(text)
        if head:
            found = dates_in(text[head.end() : head.end() + 30])
            if found and found[0].start == 0:
                return found[0].style
    return ""


def article_style(dates: list[Date], paragraphs: list[str]) -> tuple[str, str]:
    """(style, where it comes from): the dateline's, else the majority's, else none."""
    style = dateline_style(paragraphs)
    if style:
        return style, "dateline"
    counts = Counter(d.style for d in dates).most_common()
    if counts and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        return counts[0][0], "majority"
    return "", "none"
