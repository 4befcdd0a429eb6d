"""The article pass: one article, one style (names, dates, an apposition's comma)."""

from __future__ import annotations

import pytest

from mtfix.detect import Analysis
from mtfix.nlp import load_spacy
from mtfix.read.plain import parse_text
from mtfix.segment import segment
from mtfix.style import build_style_sheet
from mtfix.style.dates import dates_in
from mtfix.style.names import same_name, translit_key


@pytest.fixture(scope="module")
def nlp():
    return load_spacy()


def _sheet(nlp, text: str):
    article = segment(parse_text(text), nlp)
    analysis = Analysis(article)
    for s in article.sentences():
        analysis.docs[s.start] = nlp(s.text)
    return build_style_sheet(analysis)


def _fixes(sheet) -> list[tuple[str, str, str]]:
    return [(f.rule, f.text, f.fix) for f in sheet.findings]


@pytest.mark.parametrize(
    ("a", "b"),
    [("Zakharova", "Zaharova"), ("Muallem", "Moallem"), ("Sergey", "Sergei"),
     ("Yury", "Iury"), ("Moussa", "Musa"), ("Assad", "Asad")],
)  # fmt: skip
def test_transliteration_variants_are_one_name(a: str, b: str) -> None:
    assert same_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Ivanov", "Ivanova"), ("Sudan", "Sedan"), ("Moscow", "Minsk"), ("Lavrov", "Lavrova"),
     ("Putin", "Patin")],
)  # fmt: skip
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_the_key_drops_accents_and_doubled_letters() -> None:
    assert translit_key("Müller") == translit_key("Muller")
    assert translit_key("Khabarovsk") == "habarovsk"


def test_a_variant_spelling_takes_the_fuller_first_mention(nlp) -> None:
    sheet = _sheet(nlp, "Foreign Ministry spokeswoman Maria Zakharova spoke on Monday.\n\n"
                        "Zaharova said the talks would go on. Zaharova added nothing.")  # fmt: skip
    assert ("name", "Zaharova", "Zakharova") in _fixes(sheet)
    (cluster,) = [c for c in sheet.names if len(c.forms) > 1]
    assert cluster.canonical == "Zakharova" and cluster.forms == {"Zakharova": 1, "Zaharova": 2}


def test_a_surname_keeps_its_particle_and_capitalises_it_first(nlp) -> None:
    sheet = _sheet(nlp, "The UN envoy Staffan de Mistura came to Moscow. He met de Mistura's "
                        "team. Mistura will brief Lavrov. Lavrov thanked Mistura.")  # fmt: skip
    fixes = _fixes(sheet)
    assert ("name", "Mistura", "De Mistura") in fixes  # it opens the sentence
    assert ("name", "Mistura", "de Mistura") in fixes


def test_short_forms_stay(nlp) -> None:
    sheet = _sheet(nlp, "Foreign Minister Sergey Lavrov arrived in Geneva. Lavrov met Kerry. "
                        "Later Lavrov left.")  # fmt: skip
    assert not [f for f in sheet.findings if f.rule == "name"]


def test_dates_take_the_datelines_style_and_keep_the_date(nlp) -> None:
    sheet = _sheet(nlp, "MOSCOW, November 4. Talks began on 23 October and 29-30 October. "
                        "The statement of 30 October 2015 was signed.")  # fmt: skip
    assert sheet.dates.style == "month-day" and sheet.dates.source == "dateline"
    fixes = _fixes(sheet)
    assert ("date", "23 October and 29-30 October", "October 23 and October 29-30") in fixes
    assert ("date", "30 October 2015", "October 30, 2015") in fixes


def test_a_day_first_article_is_written_day_first(nlp) -> None:
    sheet = _sheet(nlp, "LONDON, 4 November. The talks of October 23 went on. "
                        "Results came on 30 October and 31 October.")  # fmt: skip
    assert sheet.dates.style == "day-month"
    assert ("date", "October 23", "23 October") in _fixes(sheet)


def test_no_dateline_and_a_tie_leave_dates_alone(nlp) -> None:
    sheet = _sheet(nlp, "Talks began on 23 October. The next round is on November 2.")
    assert sheet.dates.style == "" and not sheet.findings


def test_dates_in_reads_ranges_and_years() -> None:
    (a, b) = dates_in("on 29-30 October and November 1, he said; not October 2015")
    assert (a.style, a.day, a.month) == ("day-month", "29-30", "October")
    assert (b.style, b.day, b.year) == ("month-day", "1", "")


def test_an_appositions_hyphen_becomes_a_comma(nlp) -> None:
    sheet = _sheet(nlp, "Lavrov met the UN envoy on Syria-Staffan de Mistura in Moscow. "
                        "The war in Syria goes on. De Mistura said so.")  # fmt: skip
    assert ("punctuation", "-", ", ") in _fixes(sheet)


def test_a_hyphenated_first_name_stays(nlp) -> None:
    sheet = _sheet(nlp, "The Commission head Jean-Claude Juncker spoke. Juncker said yes.")
    assert not [f for f in sheet.findings if f.rule == "punctuation"]


def test_a_consistent_article_gets_no_finding(nlp) -> None:
    text = ("WASHINGTON, March 3. Secretary of State John Kerry met Foreign Minister Sergey "
            "Lavrov in Geneva on March 2. Kerry said the talks on Syria were useful. Lavrov "
            "agreed, and the ministers will meet again on March 20.")  # fmt: skip
    sheet = _sheet(nlp, text)
    assert sheet.findings == []
    assert sheet.dates.style == "month-day"


def test_a_number_that_ends_a_name_is_no_date() -> None:
    assert not dates_in("It installs the Windows 10 May 2020 Update on them.")
    assert [d.style for d in dates_in("At 14:00 July 26 the inflow rose.")] == ["month-day"]
    assert not dates_in("Section 45 May be cited.")
    assert dates_in("On 12 December 2019, the court ruled.")[0].day == "12"


def test_a_title_hyphen_stays(nlp) -> None:
    sheet = _sheet(nlp, "The large ship Vice-Admiral Kulakov sailed. Kulakov came back. "
                        "Admiral Kulakov spoke.")  # fmt: skip
    assert not [f for f in sheet.findings if f.rule == "punctuation"]


def test_the_systematic_spelling_beats_the_more_frequent(nlp) -> None:
    pytest.importorskip("wordfreq", reason="without word frequencies no spelling is preferred")
    sheet = _sheet(nlp, "Shelling went on in Donbas. Kyiv sent troops to Donbas.\n\n"
                        "Moscow denied any role in Donbass.")  # fmt: skip
    (cluster,) = [c for c in sheet.names if len(c.forms) > 1]
    assert cluster.canonical == "Donbass"
    assert _fixes(sheet).count(("name", "Donbas", "Donbass")) == 2


def test_without_a_systematic_spelling_the_article_decides(nlp) -> None:
    sheet = _sheet(nlp, "The summit opened in Sofia. Leaders arrived in Sofia on Monday.\n\n"
                        "Sophia hosted the talks.")  # fmt: skip
    (cluster,) = [c for c in sheet.names if len(c.forms) > 1]
    assert cluster.canonical == "Sofia"


def test_a_term_written_two_ways_is_reported_not_changed(nlp) -> None:
    sheet = _sheet(nlp, "The Vienna communiqué was signed. Lavrov praised the Vienna "
                        "communiqué.\n\nThe Vienna statement calls for talks.")  # fmt: skip
    assert [t.forms for t in sheet.terms] == [{"Vienna communiqué": 2, "Vienna statement": 1}]
    assert not sheet.findings


def test_one_term_in_two_inflections_is_no_variant(nlp) -> None:
    sheet = _sheet(nlp, "The black hole grew. The black holes merged.\n\n"
                        "A black hole has no hair.")  # fmt: skip
    assert not sheet.terms


def test_a_fuller_mention_keeps_its_particle_whatever_its_spelling(nlp) -> None:
    pytest.importorskip("wordfreq", reason="without word frequencies no spelling is preferred")
    sheet = _sheet(nlp, "The envoy Yuri de Habib came. Khabib met Lavrov.\n\n"
                        "Khabib left on Monday.")  # fmt: skip
    (cluster,) = [c for c in sheet.names if c.role == "surname" and len(c.forms) > 1]
    assert cluster.canonical == "de Khabib"
    assert ("name", "Khabib", "de Khabib") in _fixes(sheet)
