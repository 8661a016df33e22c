"""The footer's display and language switches, and the login page, send the browser back to
the page it came from (`next`), and never off the site nor to a broken address."""

import pytest

from tests.conftest import post_form

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/accessibility\r\nSet-Cookie: a=b",
    "/accessibility\x00",
]


@pytest.mark.parametrize("next_", OFF_SITE)
@pytest.mark.parametrize("url", ["/display/easy-read", "/language/en"])
def test_footer_switch_never_leaves_the_site(client, url, next_):
    response = post_form(client, url, {"next": next_}, get_url="/accessibility")
    assert response.status_code == 303
    assert response.location == "/"


@pytest.mark.parametrize("url", ["/display/easy-read", "/language/en"])
def test_footer_switch_goes_back_to_the_page(client, url):
    response = post_form(client, url, {"next": "/accessibility?x=1"}, get_url="/accessibility")
    assert response.status_code == 303
    assert response.location == "/accessibility?x=1"
