"""Normalisation and vocabulary (pure)."""

from twotier.assistant.text import is_english, load_vocabulary, with_pairs, words


def test_words_fold_diacritics_and_case():
    assert words("SỔ ĐỎ bị mất") == ["so", "do", "bi", "mat"]
    assert with_pairs(["dang", "ky"]) == ["dang", "ky", "dang_ky"]


def test_vocabulary_maps_everyday_words_to_official_terms():
    toks, added, rules = load_vocabulary().expand("sổ đỏ bị cháy")
    assert toks == ["so", "do", "bi", "chay"]
    assert "chung" in added
    assert "quyen" in added
    assert [r.phrase for r in rules][:1] == ["sổ đỏ"]


def test_english_is_told_from_unaccented_vietnamese():
    assert is_english("How do I register my baby's birth?")
    assert not is_english("can giay to gi de lam so do")
    assert not is_english("làm giấy khai sinh")
