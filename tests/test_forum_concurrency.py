"""The forum's limits under submissions sent at the same moment (issue 17, "checked and counted
atomically"): threads, each on its own database connection, released together by a barrier.

Run on PostgreSQL (CI's second leg), where connections really run at once; SQLite serialises
writers on one file, and its in-memory test database is not shared between threads.
"""

import threading

import pytest
from django.db import connection, connections

from wagtail_ar.models import ForumCounter, ForumUsedToken

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
    ),
]

THREADS = 8


def at_once(function):
    """``function()`` called in THREADS threads released at the same moment; their results."""
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(index):
        try:
            barrier.wait()
            results[index] = function()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_last_slots_of_a_rate_limit_are_taken_once_each():
    results = at_once(lambda: ForumCounter.take("client:race", 3, 3600))
    assert results.count(True) == 3, results
    assert ForumCounter.objects.get(key="client:race").count == 3


def test_a_fill_time_token_sent_twice_at_once_serves_once():
    results = at_once(lambda: ForumUsedToken.use("nonce-race"))
    assert results.count(True) == 1, results
