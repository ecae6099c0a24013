"""One attacker cannot lock everyone out: failures lock the (username, address) pair, and the
username from every address only after more of them; the address comes from X-Forwarded-For
only through a trusted proxy."""

from collections.abc import Callable

import pytest
from django.test import override_settings

from cophub.accounts.models import User
from tests.conftest import PASSWORD

from .sign_in_pages import sign_in

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"  # one address for everyone, as behind a reverse proxy or an office NAT
ELSEWHERE = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user(username="alice")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user(username="bob")


def fail(username: str, times: int, **where: str) -> list[int]:
    return [sign_in(username, "wrong", **where).status for _ in range(times)]


def test_five_failures_lock_that_user_at_that_address_and_nobody_else(
    alice: User, bob: User
) -> None:
    assert fail("alice", 5, address=OFFICE) == [200, 200, 200, 200, 429]
    assert sign_in("alice", PASSWORD, address=OFFICE).status == 429
    colleague = sign_in("bob", PASSWORD, address=OFFICE)
    assert (colleague.status, colleague.signed_in) == (302, True)


def test_the_locked_user_still_signs_in_from_another_address(alice: User) -> None:
    fail("alice", 5, address=OFFICE)
    elsewhere = sign_in("alice", PASSWORD, address=ELSEWHERE)
    assert (elsewhere.status, elsewhere.signed_in) == (302, True)


def test_twenty_failures_from_many_addresses_lock_the_username_everywhere(
    alice: User, bob: User
) -> None:
    statuses = []
    for host in range(1, 6):  # 4 failures from each of 5 addresses: no pair reaches 5
        statuses += fail("alice", 4, address=f"203.0.113.{host}")
    assert statuses == [200] * 19 + [429]
    locked = sign_in("alice", PASSWORD, address=ELSEWHERE)
    assert (locked.status, locked.signed_in) == (429, False)
    assert sign_in("bob", PASSWORD, address="203.0.113.1").signed_in


def test_below_the_username_limit_the_right_password_still_works(alice: User) -> None:
    for host in range(1, 5):
        assert fail("alice", 4, address=f"203.0.113.{host}") == [200, 200, 200, 200]
    assert sign_in("alice", PASSWORD, address=ELSEWHERE).signed_in  # 16 failures < 20


@override_settings(COPHUB_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(
    alice: User, bob: User
) -> None:
    # The client's own part of the header (left) proves nothing: the right-most address that
    # is not one of our proxies is the client.
    chain = "203.0.113.99, 198.51.100.7, 10.0.0.1"
    assert fail("alice", 5, address=PROXY, forwarded=chain)[-1] == 429
    assert sign_in("alice", PASSWORD, address=PROXY, forwarded="198.51.100.7").status == 429
    assert sign_in("alice", PASSWORD, address=PROXY, forwarded="198.51.100.8").signed_in
    assert sign_in("bob", PASSWORD, address=PROXY, forwarded="198.51.100.7").signed_in


def test_without_trusted_proxies_x_forwarded_for_is_ignored(alice: User) -> None:
    attacker = "203.0.113.66"
    for fake in range(5):  # a new made-up address each time does not escape the lock…
        sign_in("alice", "wrong", address=attacker, forwarded=f"192.0.2.{100 + fake}")
    assert sign_in("alice", PASSWORD, address=attacker, forwarded="192.0.2.200").status == 429
    # …and claiming alice's address did not lock her out there.
    assert sign_in("alice", PASSWORD, address="192.0.2.100").signed_in


@override_settings(COPHUB_TRUSTED_PROXIES=["10.0.0.0/24"])
def test_a_client_that_is_not_a_trusted_proxy_cannot_forward(alice: User) -> None:
    attacker = "203.0.113.66"
    for fake in range(5):
        sign_in("alice", "wrong", address=attacker, forwarded=f"192.0.2.{100 + fake}")
    assert sign_in("alice", PASSWORD, address=attacker, forwarded="192.0.2.200").status == 429
    assert sign_in("alice", PASSWORD, address=PROXY, forwarded="192.0.2.100").signed_in
