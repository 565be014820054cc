"""The one replay of a plan's history: each rule, with fixed dates."""

from datetime import date, timedelta

from roadmaps.history import LEFT, PAUSED, Change, PaceChange, Stop, replay

START = date(2026, 1, 5)  # a Monday
TODAY = date(2026, 6, 1)


def d(days: int) -> date:
    return START + timedelta(days=days)


def test_no_history_runs_from_the_start_at_its_pace():
    history = replay(START, 12, [], TODAY)
    assert history.status == "active"
    assert history.steps == ()
    assert history.pace == 12
    assert history.stopped_days == 0
    assert history.spans() == []
    assert not history.is_stopped(d(0))


def test_a_pause_stops_the_days_until_the_resume():
    history = replay(START, 12, [Change("pause", d(10)), Change("resume", d(24))], TODAY)
    assert history.stops == [Stop(d(10), d(24), PAUSED)]
    assert history.stopped_days == 14
    assert history.spans() == [(d(10), d(23))]
    assert history.is_stopped(d(10)) and history.is_stopped(d(23))
    assert not history.is_stopped(d(9)) and not history.is_stopped(d(24))
    assert history.status == "active"


def test_a_running_pause_stops_until_today():
    history = replay(START, 12, [Change("pause", d(10))], d(30))
    assert history.stops == [Stop(d(10), d(30), PAUSED, running=True)]
    assert history.status == PAUSED
    assert history.stopped_days == 20


def test_a_same_day_pause_and_resume_stops_nothing():
    history = replay(START, 12, [Change("pause", d(10)), Change("resume", d(10))], TODAY)
    assert history.stops == []
    assert history.spans() == []


def test_a_pause_before_the_start_stops_nothing_and_one_across_it_only_from_the_start():
    before = replay(START, 12, [Change("pause", d(-20)), Change("resume", d(-5))], TODAY)
    assert before.stops == []
    across = replay(START, 12, [Change("pause", d(-20)), Change("resume", d(5))], TODAY)
    assert across.stops == [Stop(START, d(5), PAUSED)]


def test_leaving_and_restoring_stops_the_clock_like_a_pause():
    history = replay(START, 12, [Change("archive", d(30)), Change("restore", d(90))], TODAY)
    assert history.stops == [Stop(d(30), d(90), LEFT)]
    assert history.stopped_days == 60
    assert history.status == "active"


def test_leaving_a_paused_plan_ends_the_pause_and_starts_the_leave():
    events = [Change("pause", d(10)), Change("archive", d(15)), Change("restore", d(40))]
    history = replay(START, 12, events, TODAY)
    assert history.stops == [Stop(d(10), d(15), PAUSED), Stop(d(15), d(40), LEFT)]
    assert history.stopped_days == 30


def test_impossible_events_are_ignored():
    events = [
        Change("resume", d(5)),  # not paused
        Change("restore", d(6)),  # never left
        Change("pause", d(10)),
        Change("pause", d(12)),  # already paused
        Change("pace", d(13), 9),  # no pace change while paused
        Change("resume", d(20)),
    ]
    history = replay(START, 12, events, TODAY)
    assert history.steps == (Stop(d(10), d(20), PAUSED),)
    assert history.pace == 12


def test_pace_changes_take_effect_in_order_and_not_before_the_start():
    events = [Change("pace", d(-3), 10), Change("pace", d(40), 14)]
    history = replay(START, 12, events, TODAY)
    assert history.pace_changes == [PaceChange(START, 10), PaceChange(d(40), 14)]
    assert history.pace == 14
    assert replay(START, 12, [Change("pace", d(40), None)], TODAY).pace == 12


def test_steps_keep_the_order_things_happened():
    events = [Change("pause", d(10)), Change("resume", d(12)), Change("pace", d(20), 9)]
    history = replay(START, 12, events, TODAY)
    assert history.steps == (Stop(d(10), d(12), PAUSED), PaceChange(d(20), 9))
    assert Stop(d(10), d(12), PAUSED).last == d(11)


def test_a_still_running_stop_that_began_today_stops_nothing_yet():
    history = replay(START, 12, [Change("pause", TODAY)], TODAY)
    assert history.stops == []
    assert history.status == PAUSED
