import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def test_password_shorter_than_twelve_characters_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_password("Kx9#mQ2!vL4")
    assert [e.code for e in error.value.error_list] == ["password_too_short"]


def test_common_password_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_password("password1234")
    assert "password_too_common" in [e.code for e in error.value.error_list]


def test_long_passphrase_without_digits_or_symbols_is_accepted():
    validate_password("иртыш течёт через омск и павлодар к северу " * 3)


def test_twelve_lowercase_letters_are_enough_without_composition_rules():
    validate_password("seedprojects")
