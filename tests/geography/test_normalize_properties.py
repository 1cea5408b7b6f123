"""Bad input never crashes the normaliser or the resolver (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twotier.geography.normalize import MAX_TOKENS, fold, name_key, tokenize
from twotier.geography.resolver import STATUSES

pytestmark = pytest.mark.django_db

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
address_like = st.lists(
    st.one_of(
        st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", min_size=1, max_size=20),
        st.sampled_from(
            ["P.", "Q.", "TP.HCM", "Phường", "Quận", "Xã", "Huyện", "Tỉnh", ",", ", ", "  ", "TX.", "F.", "-"]
        ),
        st.integers(min_value=0, max_value=30).map(str),
    ),
    max_size=12,
).map("".join)


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_tokenize_never_raises_and_bounds_its_output(text):
    tokens = tokenize(text)

    assert len(tokens.plain) == len(tokens.accented) == len(tokens.segment) <= MAX_TOKENS
    assert all(word and word == word.lower() for word in tokens.plain)
    assert all(word.isascii() or not word.isalpha() or fold(word) == word for word in tokens.plain)
    assert list(tokens.segment) == sorted(tokens.segment)


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_name_key_is_lower_case_letters_and_digits(text):
    key = name_key(text)

    assert key == key.lower()
    assert all(ch.isalnum() for ch in key)


@given(st.one_of(st.text(), address_like))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_resolver_answers_every_string(resolver, text):
    result = resolver.resolve(text)

    assert result.status in STATUSES
    assert result.input == text
    if result.status == "not_found":
        assert result.commune_code is None
        assert result.candidates == ()
    else:
        assert result.commune_code == result.candidates[0].commune_code
        assert result.candidates[0].default is True


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x" * 10_000,
        "".join(chr(c) for c in range(0, 32)) * 50,
        "\ud800\udfff broken surrogates",
        "Phường\u200b Tân\u00ad Định, Quận 1, TP.HCM",
        "🙂" * 3000,
        ",,,,,;;;;||||" * 500,
        "Tỉnh Bình Dương",
        "221B Baker Street, London NW1 6XE, United Kingdom",
    ],
)
def test_bad_input_is_not_found_or_resolved_never_a_crash(resolver, text):
    result = resolver.resolve(text)

    assert result.status in STATUSES


def test_ten_kilobytes_of_noise_is_not_found(resolver):
    noise = "".join(chr(0x20 + (i * 7919) % 0x5E) for i in range(10_240))

    assert resolver.resolve(noise).status == "not_found"


def test_invisible_characters_inside_words_are_ignored(resolver):
    assert resolver.resolve("Phường\u200b Tân\u00adĐịnh, Quận 1, TP.HCM").commune_code == "26737"


def test_control_characters_separate_words(resolver):
    assert resolver.resolve("P.4\x00Q.8\x07TP.HCM").commune_code == "27418"


def test_non_string_is_a_clear_error():
    with pytest.raises(TypeError, match="address must be a string"):
        tokenize(None)  # type: ignore[arg-type]
