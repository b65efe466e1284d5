"""The small text toolkit under decomposition and judging: sentences, stems, values, names."""
from __future__ import annotations

from verify.prose.nlp import has_negation, names, sentences, stem, values


def _sents(text):
    return [text[a:b] for a, b in sentences(text)]


def test_sentences_in_tokenised_and_run_together_text():
    # model output, lowercased and tokenised: " . " ends a sentence even before a lowercase word
    assert _sents("natalia moon learned tagalog . the darwin woman moved in 2012 .") == [
        "natalia moon learned tagalog .", "the darwin woman moved in 2012 ."]
    # paragraphs glued without a space after a closing quote
    assert _sents('It is ranked by "U.S. News."MedStar is the largest.') == [
        'It is ranked by "U.S. News."', "MedStar is the largest."]
    # "no" ends a sentence unless a number follows ("No. 1")
    assert _sents("You shouldn't say no. The favourite is Vaughan.") == [
        "You shouldn't say no.", "The favourite is Vaughan."]
    assert _sents("It spent nine weeks at No. 1 on the chart.") == ["It spent nine weeks at No. 1 on the chart."]
    assert _sents("It costs approx. five dollars.") == ["It costs approx. five dollars."]


def test_each_kind_of_sentence_end():
    # end punctuation runs and closing marks; a full stop glued to a capitalised word after a
    # letter, digit or closing mark; "!"/"?" with a closing mark glued to the next sentence
    assert _sents("Done?! (Yes.) Next") == ["Done?!", "(Yes.)", "Next"]
    assert _sents("It is 42.Then 7) went.Now a") == ["It is 42.", "Then 7) went.", "Now a"]
    assert _sents('She said "go!"Then left') == ['She said "go!"', "Then left"]
    assert _sents("It is 3.5 m long.Mr x") == ["It is 3.5 m long.", "Mr x"]
    # a blank line, and a line break before a bullet or a numbered item
    assert _sents("First line\n\nSecond\n- item one\n2) item two") == [
        "First line", "Second", "item one", "item two"]


def test_irregular_and_regular_forms_share_a_stem():
    assert stem("lost") == stem("losing") == stem("lose")
    assert stem("wrote") == stem("writes") == stem("written")
    assert stem("made") == stem("makes")
    assert stem("flowing") == stem("flows") == stem("flowed")


def test_lowercase_month_dates_but_not_the_verb_may():
    (v,) = values("he had been charged on april 3 with theft")
    assert (v.kind, v.value) == ("date", (0, 4, 3))
    assert [x.kind for x in values("they may 3 times a week")] == ["number"]


def test_negation_and_no_number():
    assert has_negation("Japan did not surrender") and has_negation("it wasn’t there")
    assert not has_negation("nine weeks at No. 1")


def test_a_nationality_after_a_name_is_not_part_of_it():
    assert [n.text for n in names("Kings of Leon American rock bands and the Royal Navy")] == [
        "Kings of Leon", "Royal Navy"]
    assert [n.text for n in names("He is an American politician.")] == ["American"]


def test_a_joiner_in_capitals_is_an_abbreviation_and_stays_a_name_word():
    assert [(n.text, n.words) for n in names("Ann Cole moved to LA and joined the LA Galaxy.")] == [
        ("Ann Cole", ("ann", "col")), ("LA", ("la",)), ("LA Galaxy", ("la", "galaxy"))]
    # a joiner in an ordinary name, or in a name written all in capitals, is still a joiner
    assert [n.words for n in names("Ludwig van Beethoven met Rosa La Rue at the BANK OF DALE.")] == [
        ("ludwig", "beethoven"), ("rosa", "rue"), ("bank", "dal")]
