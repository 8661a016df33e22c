"""safe_next: a `next` field only ever leads to a page of this site."""

import pytest

from app.core.web import safe_next

FALLBACK = "/moderation/"


@pytest.mark.parametrize(
    "value",
    [
        "/",
        "/moderation/items/3",
        "/consultations/4?page=2#feedback",
        "/relecture/?q=caf%C3%A9",
    ],
)
def test_safe_next_keeps_a_path_of_this_site(value):
    assert safe_next(value, FALLBACK) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "moderation/items/3",
        "/moderation/\r\nSet-Cookie: a=b",
        "/moderation/\nLocation: https://evil.example/",
        "/moderation/\x00",
        "/moderation/\t",
        "/moderation/\x7f",
        " /moderation/",
        ["/moderation/"],
    ],
)
def test_safe_next_refuses_anything_that_could_leave_the_site(value):
    assert safe_next(value, FALLBACK) == FALLBACK
