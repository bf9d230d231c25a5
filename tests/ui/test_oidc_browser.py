"""A real browser logs in with the organisation's account: "Log in with Example Org" on kickcoach's login page,
sign in at the local OpenID provider (``tests.support.oidc_provider``, loopback), and land in the app as the
account with that email. Then a person the organisation knows but kickcoach does not sees why not."""

import pytest

from tests.support.web import serve

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings, oidc_provider):
    return settings.model_copy(update=oidc_provider.settings())


@pytest.fixture
def served(services, people, oidc_provider):
    from kickcoach.people.accounts import Accounts

    Accounts(services.storage).set_email("tom", "tom@example.org")
    oidc_provider.add_user("tom@example.org", "tom-at-the-org", name="Tom Baker")
    oidc_provider.add_user("stranger@example.org", "stranger-at-the-org", name="Stranger")
    with serve(services) as ui:
        yield ui


def _sign_in_at_the_provider(page, url, provider, email, password):
    page.context.clear_cookies()
    page.goto(url)
    page.wait_for_selector("#login-oidc")
    assert page.locator("#login-oidc").inner_text() == "Log in with Example Org"
    page.locator("#login-oidc").click()
    page.wait_for_selector("#op-email")
    assert page.url.startswith(provider.issuer + "/authorize?")  # the organisation's page, not kickcoach's
    page.locator("#op-email").fill(email)
    page.locator("#op-password").fill(password)
    page.locator("#op-submit").click()


def test_log_in_with_the_organisation_lands_in_the_app_as_that_person(served, page, oidc_provider, tmp_path):
    _sign_in_at_the_provider(page, served.url, oidc_provider, "tom@example.org", "tom-at-the-org")
    page.wait_for_function("() => (document.querySelector('#kick-who') || {innerText: ''}).innerText.includes('Logged in as')",
                           timeout=60000)
    assert page.url == served.url  # back at the app's root
    who = page.locator("#kick-who").inner_text()
    assert "Logged in as tom (pair demo, partner B)" in who
    page.screenshot(path=str(tmp_path / "oidc-logged-in.png"), full_page=True)
    page.locator("#kick-logout").click()  # a password-free login logs out like any other
    page.wait_for_selector("#login-oidc", timeout=30000)


def test_someone_without_an_account_is_told_so(served, page, oidc_provider):
    _sign_in_at_the_provider(page, served.url, oidc_provider, "stranger@example.org", "stranger-at-the-org")
    page.wait_for_selector("#login-note", timeout=30000)
    assert "No kickcoach account has the email stranger@example.org" in page.locator("#login-note").inner_text()
    assert "Logged in as" not in page.locator("body").inner_text()
    page.locator("#login-oidc").click()  # the page's links still lead back to the organisation's login
    page.wait_for_selector("#op-email")
