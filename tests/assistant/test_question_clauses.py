"""The clause rules of the assistant's retrieval (pure functions, no database)."""

from __future__ import annotations

from twotier.assistant.retrieval import first_step, qualifier_words, says_wrong, without_purpose
from twotier.assistant.text import load_vocabulary


def test_a_purpose_clause_is_found_after_a_request_only():
    q = "Tôi có miếng đất trồng cây lâu năm, muốn chuyển lên đất ở để xây nhà thì xin phép ở đâu?"
    assert "xây nhà" not in without_purpose(q)
    assert "xin phép" in without_purpose(q)
    # after a question word the words after "để" are the request itself
    assert without_purpose("Cần giấy tờ gì để làm căn cước?") == "Cần giấy tờ gì để làm căn cước?"
    assert without_purpose("Ba mẹ tôi để lại căn nhà cho anh em") == "Ba mẹ tôi để lại căn nhà cho anh em"


def test_the_first_of_two_steps_asked_in_order():
    q = "Ông nội mất, gia đình muốn làm giấy báo tử và sau đó xóa hộ khẩu, trước hết phải làm gì?"
    assert first_step(q) == "muốn làm giấy báo tử"
    assert first_step("Muốn làm giấy báo tử và sau đó xóa hộ khẩu") == ""


def test_a_paper_said_to_be_wrong():
    assert says_wrong(["giay", "khai", "sinh", "sai", "ngay", "sinh"], [], "")
    assert not says_wrong(["o", "sai", "gon"], [], "")
    assert not says_wrong(["can", "bo", "lam", "sai"], [], "")
    assert says_wrong([], [], "my name is wrong on the card")


def test_qualifiers_are_read_in_the_first_case_of_a_name():
    name = "Giao đất, chuyển mục đích sử dụng đất; giao đất và giao rừng; gia hạn khi hết thời hạn"
    assert qualifier_words(name) == ["giao", "dat", "chuyen", "muc", "dich", "su", "dung", "dat"]
    assert "thoi" not in qualifier_words("Gia hạn thời hạn sử dụng")
    assert "thoi" in qualifier_words("Thôi hưởng trợ cấp")


def test_an_age_selects_the_identity_card_only_in_an_identity_question():
    vocab = load_vocabulary()
    _, added, _ = vocab.expand("làm căn cước cho con 6 tuổi")
    assert "duoi" in added
    _, added, _ = vocab.expand("đổi căn cước khi đủ 40 tuổi")
    assert "doi" in added
    assert "14" not in added
    _, added, _ = vocab.expand("mẹ tôi 82 tuổi xin trợ cấp")
    assert "14" not in added
