"""Deadline phrases → dates: "by 31 March 2027", "within six weeks", "by end of Q2", "by June".

:func:`parse_when` reads one phrase; :func:`time_spans` finds such phrases inside a sentence
("Publish 4 articles by June and …"). Order of work for a phrase:

1. ISO dates (``2027-03-31``) directly.
2. Hand-written rules for what ``dateparser`` (1.x) returns ``None`` or the wrong day for:
   quarters ("end of Q2", "next quarter"), period ends ("end of the year", "this month"),
   month-only phrases ("June", "end of June", "mid-March" — dateparser gives today's day-of-month in
   June, but "by June" means the end of June), a day of the month ("by the 15th": dateparser gives a
   past date), and a bare year ("by 2027" → 31 December 2027).
3. ``dateparser`` with ``PREFER_DATES_FROM=future`` and ``RELATIVE_BASE=today`` for the rest, after
   rewriting "within"/"over the next"/"… time" to plain "in …" (dateparser does not know those forms).

Phrases that describe a frequency ("3 days a week", "every Friday") or sub-day durations ("2 hours")
are not deadlines and give ``None``. Day/month order is day first (``04/05/2027`` is 4 May).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

import dateparser

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_NOT_MAY = "|".join(sorted(set(_MONTHS) - {"may"}, key=len, reverse=True))
_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
_ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

_LEAD = re.compile(r"^(?:(?:no later than|on or before|at the latest by|by|before|until|till|til|due|deadline:?)\s+)+")
_TRAIL = re.compile(r"\s+at the latest$")
_FREQUENCY = re.compile(
    r"\b(?:every|each|per|daily|weekly|monthly|yearly|annually)\b"
    r"|\b(?:\d+|once|twice|\w+ times?)\s+(?:\w+\s+)?(?:a|per)\s+(?:day|week|month|year)\b"
)
_SUBDAY = re.compile(r"\b(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b")
_DATEISH = re.compile(
    rf"\d|\b(?:{_MONTH}|{_WEEKDAY}|today|tomorrow|days?|weeks?|fortnights?|months?|years?|quarters?)\b"
)

_QUARTER = re.compile(
    r"^(?:in |during )?(?:the )?(?:(?P<edge>end|start|beginning|middle) of (?:the )?)?"
    r"(?:q(?P<q>[1-4])|(?P<ord>first|second|third|fourth|last) quarter|(?P<rel>this|next) quarter)"
    r"(?: of)?(?: (?:fy)?(?P<year>\d{4}))?$"
)
_PERIOD = re.compile(
    r"^(?:(?:the )?(?P<edge>end|start|beginning) of (?:the |this )?|this )(?P<next>next )?(?P<unit>year|month|week)$"
    r"|^(?P<ye>year[- ]end)$"
)
_MONTH_ONLY = re.compile(
    rf"^(?:in |during )?(?:(?:the )?(?P<edge>end|start|beginning|middle) of |(?P<mid>mid)[- ]?|(?P<early>early|late) )?"
    rf"(?P<month>{_MONTH})\.?(?:,? (?P<year>\d{{4}}))?$"
)
_DAY = re.compile(
    r"^(?=the |\d{1,2}(?:st|nd|rd|th)\b)(?:the )?(?P<day>\d{1,2})(?:st|nd|rd|th)?(?: of (?:the |this )?month)?$"
)
_YEAR = re.compile(r"^(?:in |during )?(?:(?:the )?(?P<edge>end|start|beginning) of )?(?P<year>\d{4})$")
_RELATIVE_LEAD = re.compile(r"^(?:within|over the next|in the next|during the next|over|for the next)\s+")
_TIME_SUFFIX = re.compile(r"(?:'s|s')?\s+time$")


def parse_when(text: str, today: dt.date) -> dt.date | None:
    """The date ``text`` names, relative phrases resolved against ``today``; ``None`` if it names none."""
    phrase = _normalise(text)
    if not phrase or _FREQUENCY.search(phrase) or _SUBDAY.search(phrase):
        return None
    return _parse(phrase, today)


class TimeSpan(NamedTuple):
    """A deadline phrase found in a sentence: ``text[start:end]`` names ``date``."""

    start: int
    end: int
    date: dt.date


# Where a deadline phrase may begin inside a sentence. A bare month name counts ("March 15") except
# "may", which is far more often the verb; it needs a leading "by"/"in"/… or a following number.
_STARTS = re.compile(
    rf"\b(?:no later than|on or before|by|before|until|till|within|in|on|during|over the next|"
    rf"(?:the )?(?:end|start|beginning|middle) of|next|this|{_MONTH_NOT_MAY}|may(?= \d)|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?(?: of)? (?:{_MONTH}))\b",
    re.I,
)
# Words that end a deadline phrase: "by June and follow up", "in 3 months so that …".
_STOP = re.compile(
    r"[,;:()!?]|\.(?:\s|$)|\s(?:and|so|then|with|for|to|on|at|in|by|before|until|while|because|which|that|where|when|if)\b",
    re.I,
)
_MAX_WORDS = 7


def time_spans(text: str, today: dt.date) -> list[TimeSpan]:
    """Every deadline phrase in ``text``, left to right, each the longest that parses, none overlapping."""
    spans: list[TimeSpan] = []
    pos = 0
    while match := _STARTS.search(text, pos):
        span = _longest_at(text, match.start(), match.end(), today)
        if span:
            spans.append(span)
            pos = span.end
        else:
            pos = match.end()
    return spans


def find_when(text: str, today: dt.date) -> TimeSpan | None:
    """The first deadline phrase in ``text``, or ``None``."""
    spans = time_spans(text, today)
    return spans[0] if spans else None


def _longest_at(text: str, start: int, lead_end: int, today: dt.date) -> TimeSpan | None:
    stop = _STOP.search(text, lead_end)
    window = text[start : stop.start() if stop else len(text)]
    words = list(re.finditer(r"\S+", window))[:_MAX_WORDS]
    for n in range(len(words), 0, -1):
        end = start + words[n - 1].end()
        when = parse_when(text[start:end], today)
        if when:
            return TimeSpan(start, end, when)
    return None


def _normalise(text: str) -> str:
    # quotes are not part of a date: 'by 3"' (three inches, or a quoted "3") is "by 3", which names no date
    phrase = " ".join(text.lower().replace("’", "'").split()).strip(" .,;:!?\"'“”‘")
    return _TRAIL.sub("", _LEAD.sub("", phrase))


@lru_cache(maxsize=4096)
def _parse(phrase: str, today: dt.date) -> dt.date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        try:
            return dt.date.fromisoformat(phrase)
        except ValueError:
            return None
    for rule in (_quarter, _period, _month_only, _day, _year):
        found = rule(phrase, today)
        if found:
            return found
    phrase = _TIME_SUFFIX.sub("", _RELATIVE_LEAD.sub("in ", phrase)).replace("from today", "from now")
    if not _DATEISH.search(phrase) or re.fullmatch(r"(?:in |on |at )?[\d\s%.,]+", phrase):
        return None  # dateparser reads a bare number ("by 5" in "grow by 5 people") as a day of this month
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _edge(first: dt.date, last: dt.date, edge: str | None) -> dt.date:
    if edge in ("start", "beginning", "early"):
        return first
    if edge in ("middle", "mid"):
        return (first + (last - first) / 2).replace(day=15)
    return last


def _quarter(phrase: str, today: dt.date) -> dt.date | None:
    m = _QUARTER.match(phrase)
    if not m:
        return None
    current = (today.month - 1) // 3 + 1
    if m["rel"]:
        index = current - 1 + (m["rel"] == "next")
        year, q = today.year + index // 4, index % 4 + 1
    else:
        q = int(m["q"]) if m["q"] else _ORDINAL_QUARTER[m["ord"]]
        year = int(m["year"]) if m["year"] else today.year

    def in_year(year: int) -> dt.date:
        return _edge(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), m["edge"])

    when = in_year(year)
    # "by end of Q2" said in November means next year's Q2; an explicit year is taken as written.
    return in_year(year + 1) if when < today and not m["year"] and not m["rel"] else when


def _period(phrase: str, today: dt.date) -> dt.date | None:
    m = _PERIOD.match(phrase)
    if not m:
        return None
    if m["ye"]:
        return dt.date(today.year, 12, 31)
    step = 1 if m["next"] else 0
    if m["unit"] == "year":
        first, last = dt.date(today.year + step, 1, 1), dt.date(today.year + step, 12, 31)
    elif m["unit"] == "month":
        index = today.month - 1 + step
        year, month = today.year + index // 12, index % 12 + 1
        first, last = dt.date(year, month, 1), _month_end(year, month)
    else:
        first = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=step)
        last = first + dt.timedelta(days=6)
    return _edge(first, last, m["edge"])


def _month_only(phrase: str, today: dt.date) -> dt.date | None:
    m = _MONTH_ONLY.match(phrase)
    if not m:
        return None
    month = _MONTHS[m["month"]]
    edge = m["edge"] or m["mid"] or m["early"]
    edge = None if edge == "late" else edge

    def in_year(year: int) -> dt.date:
        return _edge(dt.date(year, month, 1), _month_end(year, month), edge)

    if m["year"]:
        return in_year(int(m["year"]))
    when = in_year(today.year)
    return when if when >= today else in_year(today.year + 1)


def _day(phrase: str, today: dt.date) -> dt.date | None:
    """ "by the 15th": the next such day on or after today (dateparser returns this month's, even if past)."""
    m = _DAY.match(phrase)
    if not m or not 1 <= int(m["day"]) <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        if int(m["day"]) <= calendar.monthrange(year, month)[1]:
            when = dt.date(year, month, int(m["day"]))
            if when >= today:
                return when
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _year(phrase: str, today: dt.date) -> dt.date | None:
    m = _YEAR.match(phrase)
    if not m or not 1900 <= int(m["year"]) <= 2200:
        return None
    year = int(m["year"])
    return dt.date(year, 1, 1) if m["edge"] in ("start", "beginning") else dt.date(year, 12, 31)
