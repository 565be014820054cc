"""The mail queue (django-mailer) and its worker: queued with the change, delivered once,
refused mail kept and retried with back-off."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import OperationalError, transaction
from mailer.models import Message, MessageLog

from accounts.mail import MailWorker
from tests.mailtools import LOCMEM, QUEUE, SMTP, closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    settings.EMAIL_BACKEND = QUEUE
    settings.MAILER_EMAIL_BACKEND = LOCMEM
    return settings


@pytest.fixture
def refusing_server(queue):
    queue.MAILER_EMAIL_BACKEND = SMTP
    queue.EMAIL_HOST, queue.EMAIL_PORT = "127.0.0.1", closed_port()
    queue.EMAIL_USE_TLS = queue.EMAIL_USE_SSL = False
    return queue


def mail_to(address: str, subject: str = "Hello") -> None:
    send_mail(subject, "Body text.", None, [address])


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def worker(**kwargs) -> MailWorker:
    kwargs.setdefault("clock", Clock())
    kwargs.setdefault("sleep", lambda seconds: None)
    return MailWorker(**kwargs)


def deliver_once() -> str:
    out = StringIO()
    call_command("mail_worker", "--once", stdout=out)
    return out.getvalue()


def test_send_mail_writes_to_the_queue_and_sends_nothing(queue):
    mail_to("ada@example.com")
    [queued] = Message.objects.all()
    assert queued.to_addresses == ["ada@example.com"]
    assert queued.subject == "Hello"
    assert mail.outbox == []


def test_queued_mail_is_rolled_back_with_its_transaction(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_to("ada@example.com")
        raise RuntimeError("the change that caused the mail failed")
    assert not Message.objects.exists()


def test_the_worker_delivers_each_message_once_and_empties_the_queue(queue):
    mail_to("ada@example.com", "One")
    mail_to("grace@example.com", "Two")
    assert deliver_once() == "0 messages left in the queue, 0 deferred.\n"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("ada@example.com", "One"),
        ("grace@example.com", "Two"),
    ]
    deliver_once()
    assert len(mail.outbox) == 2
    assert MessageLog.objects.filter(result="1").count() == 2


def test_refused_mail_is_deferred_and_kept(refusing_server):
    mail_to("ada@example.com")
    assert deliver_once() == "1 message left in the queue, 1 deferred.\n"
    [kept] = Message.objects.deferred()
    assert kept.to_addresses == ["ada@example.com"]
    assert "refused" in MessageLog.objects.get().log_message.lower()


def test_deferred_mail_is_retried_after_growing_waits_then_delivered(refusing_server):
    clock = Clock()
    w = worker(clock=clock, first_wait=30, longest_wait=900)
    mail_to("ada@example.com")
    w.run_pass()  # refused: deferred, first retry in 30 s
    assert (w.wait, w.retry_at) == (30, 30)
    clock.now = 29
    w.run_pass()  # too early: not tried
    assert MessageLog.objects.count() == 1
    clock.now = 30
    w.run_pass()  # tried, refused again: wait doubles
    assert MessageLog.objects.count() == 2
    assert (w.wait, w.retry_at) == (60, 90)

    refusing_server.MAILER_EMAIL_BACKEND = LOCMEM  # the server is back
    clock.now = 89
    w.run_pass()
    assert mail.outbox == []
    clock.now = 90
    w.run_pass()
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert not Message.objects.exists()
    assert (w.wait, w.retry_at) == (0, 0)


def test_the_wait_never_grows_past_the_longest(refusing_server):
    clock = Clock()
    w = worker(clock=clock, first_wait=30, longest_wait=100)
    mail_to("ada@example.com")
    waits = []
    for _ in range(5):
        clock.now = w.retry_at
        w.run_pass()
        waits.append(w.wait)
    assert waits == [30, 60, 100, 100, 100]
    assert Message.objects.deferred().count() == 1  # kept, however long the outage


def test_new_mail_is_tried_at_once_even_while_deferred_mail_waits(refusing_server):
    clock = Clock()
    w = worker(clock=clock)
    mail_to("ada@example.com")
    w.run_pass()
    refusing_server.MAILER_EMAIL_BACKEND = LOCMEM
    mail_to("grace@example.com")
    clock.now = 5
    w.run_pass()
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]
    assert Message.objects.deferred().count() == 1  # still waiting for its retry


def test_a_pass_stops_after_a_few_refusals(refusing_server):
    for n in range(5):
        mail_to(f"member-{n}@example.com")
    worker().run_pass()
    assert Message.objects.deferred().count() == refusing_server.MAILER_EMAIL_MAX_DEFERRED == 3
    assert Message.objects.non_deferred().count() == 2


def test_the_worker_outlives_a_database_outage(queue, monkeypatch, caplog):
    passes = []

    def flaky_pass(self, **kwargs):
        passes.append(1)
        if len(passes) == 1:
            raise OperationalError("connection refused")

    monkeypatch.setattr(MailWorker, "run_pass", flaky_pass)
    slept = []
    with caplog.at_level(logging.WARNING, logger="accounts.mail"):
        worker(sleep=slept.append, poll=5, first_wait=30).run(passes=2)
    assert len(passes) == 2
    assert slept == [30, 5]
    assert "Mail queue unreachable (connection refused)" in caplog.text


class BrokenBackend(BaseEmailBackend):
    """Fails on one recipient with an error that is not an SMTP or socket error."""

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["broken@example.com"]:
                raise ValueError("cannot encode this message")
            mail.outbox.append(message)
        return len(messages)


def test_a_message_that_cannot_be_sent_is_deferred_and_does_not_stop_the_queue(queue, caplog):
    queue.MAILER_EMAIL_BACKEND = "tests.test_mail_queue.BrokenBackend"
    mail_to("broken@example.com", "First")
    mail_to("ada@example.com", "Second")
    with caplog.at_level(logging.ERROR, logger="accounts.mail"):
        assert deliver_once() == "1 message left in the queue, 1 deferred.\n"
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    [kept] = Message.objects.deferred()
    assert kept.to_addresses == ["broken@example.com"]
    assert "cannot encode this message" in MessageLog.objects.get(result="3").log_message
    assert "could not be sent; deferred" in caplog.text
