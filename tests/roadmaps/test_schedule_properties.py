"""Invariants of a plan's schedule under any history, checked with hypothesis."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roadmaps.history import Change, replay
from roadmaps.schedule import PhaseSpec, build_schedule

START = date(2026, 3, 2)

phase_weeks = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6)
items_per_phase = st.integers(min_value=0, max_value=5)
event_kinds = st.sampled_from(["pace", "pause", "resume", "archive", "restore"])


def make_phases(weeks: list[int], per_phase: int) -> list[PhaseSpec]:
    ids = iter(range(1, 1000))
    return [PhaseSpec(n, w, [next(ids) for _ in range(per_phase)]) for n, w in enumerate(weeks)]


@st.composite
def histories(draw):
    """Events in date order (as members make them), each a few days to months apart."""
    day = START + timedelta(days=draw(st.integers(min_value=-30, max_value=60)))
    events = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        day += timedelta(days=draw(st.integers(min_value=0, max_value=200)))
        kind = draw(event_kinds)
        months = draw(st.integers(min_value=1, max_value=36)) if kind == "pace" else None
        events.append(Change(kind, day, months))
    return events


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    phase_weeks,
    items_per_phase,
    st.integers(min_value=1, max_value=36),
    histories(),
    st.integers(min_value=0, max_value=900),
)
def test_phases_are_ordered_and_every_item_falls_due_inside_its_phase(
    weeks, per_phase, pace, events, today_offset
):
    phases = make_phases(weeks, per_phase)
    today = START + timedelta(days=today_offset)
    schedule = build_schedule(
        START, pace, phases, actions={900: "quarter"}, changes=events, today=today
    )
    previous_end = None
    for phase in phases:
        dates = schedule.phases[phase.id]
        assert dates.start <= dates.end, "a phase ends before it starts"
        if previous_end is not None:
            assert dates.start == previous_end + timedelta(days=1), "phases overlap or leave a gap"
        previous_end = dates.end
        for item_id in phase.item_ids:
            assert dates.start <= schedule.items[item_id] <= dates.end
    assert schedule.phases[phases[0].id].start == START
    assert previous_end == schedule.end
    assert START <= schedule.items[900] <= schedule.end


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    phase_weeks,
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=36),
    histories(),
    st.integers(min_value=0, max_value=400),
)
def test_a_same_day_pause_and_resume_changes_nothing(weeks, per_phase, pace, events, offset):
    phases = make_phases(weeks, per_phase)
    day = START + timedelta(days=offset)
    today = day + timedelta(days=30)
    earlier = [e for e in events if e.on <= day]
    later = [e for e in events if e.on > day]
    assume(replay(START, pace, earlier, day).status == "active")  # a member can pause now
    plain = build_schedule(START, pace, phases, changes=earlier + later, today=today)
    blip = [Change("pause", day), Change("resume", day)]
    with_blip = build_schedule(START, pace, phases, changes=earlier + blip + later, today=today)
    assert with_blip.items == plain.items
    assert with_blip.phases == plain.phases
    assert with_blip.end == plain.end


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    phase_weeks,
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=36),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=1, max_value=120),
    st.sampled_from([("pause", "resume"), ("archive", "restore")]),
    st.integers(min_value=0, max_value=200),
)
def test_time_paused_or_left_never_counts_as_behind(
    weeks, per_phase, pace, stop_offset, stop_days, kinds, after
):
    """Items expected by a day after a stop = items expected that much earlier without it."""
    phases = make_phases(weeks, per_phase)
    stop = START + timedelta(days=stop_offset)
    back = stop + timedelta(days=stop_days)
    events = [Change(kinds[0], stop), Change(kinds[1], back)]
    today = back + timedelta(days=after)
    plain = build_schedule(START, pace, phases, today=today)
    stopped = build_schedule(START, pace, phases, changes=events, today=today)

    def expected(schedule, day):
        return sum(planned <= day for planned in schedule.items.values())

    for k in (0, after):
        assert expected(stopped, back + timedelta(days=k)) == expected(
            plain, stop + timedelta(days=k)
        )
    for j in range(0, stop_days, max(1, stop_days // 5)):
        assert expected(stopped, stop + timedelta(days=j)) <= expected(plain, stop)
    if stop < plain.end:
        assert stopped.end == plain.end + timedelta(days=stop_days)
    else:  # a stop after the plan's end moves nothing
        assert stopped.end == plain.end
