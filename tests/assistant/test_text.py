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


def test_a_word_written_with_diacritics_matches_only_the_same_diacritics():
    vocab = load_vocabulary()
    # "cuối năm" (end of the year) folds to "cuoi nam" like "cưới" (to marry): not a wedding
    _, _, rules = vocab.expand("cuối năm em đi làm")
    assert "cưới" not in [r.phrase for r in rules]
    _, added, rules = vocab.expand("tụi em tính cưới")
    assert [r.phrase for r in rules] == ["cưới"]
    assert added == ["dang", "ky", "ket", "hon"]
    # written without diacritics, the folded form still matches (a plain keyboard)
    _, _, rules = vocab.expand("tui em tinh cuoi")
    assert [r.phrase for r in rules] == ["cưới"]


def test_old_and_new_tone_placement_are_the_same_word():
    from twotier.assistant.text import marked_words, same_word

    assert marked_words("hoà giải") == marked_words("hòa giải")
    assert marked_words("thuỷ") == marked_words("thủy")
    assert not same_word(marked_words("cuối")[0], marked_words("cưới")[0])
    assert same_word("cuoi", marked_words("cưới")[0])


def test_a_country_alone_is_not_read_into_hop_phap_or_cap_nhat():
    vocab = load_vocabulary()
    _, added, _ = vocab.expand("đăng ký cho hợp pháp, cập nhật thông tin")
    assert "ngoai" not in added
    _, added, _ = vocab.expand("chồng em là người Pháp")
    assert added[-3:] == ["to", "nuoc", "ngoai"]


def test_request_clause_only_after_a_background_of_something_done():
    from twotier.assistant.retrieval import request_clause

    assert (
        request_clause("Mẹ tôi mất rồi, giờ muốn cắt tên bà khỏi hộ khẩu") == "muốn cắt tên bà khỏi hộ khẩu"
    )
    assert request_clause("My father died; how do I remove his name") == "how do I remove his name"
    # no background: the whole question is the request
    assert request_clause("Tôi muốn xóa thế chấp sổ đỏ") == ""
    # a background that tells of nothing done is part of the request
    assert request_clause("Hai thửa đất liền nhau của tôi, tôi muốn gộp lại thành một sổ") == ""


def test_exchange_is_said_with_its_diacritics_not_as_doi_voi():
    from twotier.assistant.retrieval import says_exchange

    assert says_exchange("Căn cước hỏng, đi đổi thẻ ở đâu?")
    assert says_exchange("doi bang lai o to het han")
    assert says_exchange("I need to exchange my ID card")
    assert not says_exchange("thủ tục đối với hộ gia đình")
    assert not says_exchange("thu tuc doi voi ho gia dinh")
    assert not says_exchange("làm căn cước lần đầu")
