"""The schedule is pure: fixed dates in, dates out."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.schedule import Change, PhaseSpec, add_months, build_schedule

SEED_PHASES = [
    PhaseSpec(1, 12, [11, 12, 13, 14]),
    PhaseSpec(2, 10, [21, 22]),
    PhaseSpec(3, 8, [31]),
    PhaseSpec(4, 6, [41, 42, 43]),
]


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 21), 12) == date(2027, 11, 21)
    assert add_months(date(2027, 12, 15), 3) == date(2028, 3, 15)


def test_seed_phases_fill_a_twelve_month_plan_in_proportion():
    s = build_schedule(date(2027, 1, 1), 12, SEED_PHASES)
    assert s.end == date(2028, 1, 1)
    # 365 days split 12:10:8:6: boundaries fall on days 121, 223 and 304 (floored), and the
    # last phase runs to the end date itself.
    assert s.phases[1].start == date(2027, 1, 1)
    assert s.phases[1].end == date(2027, 5, 1)  # day 121 is the next phase's first day
    assert s.phases[2].start == date(2027, 5, 2)
    assert s.phases[4].end == date(2028, 1, 1)
    lengths = [(s.phases[p.id].end - s.phases[p.id].start).days + 1 for p in SEED_PHASES]
    assert lengths == [121, 102, 81, 62]


def test_items_are_spread_across_their_phase_in_order():
    s = build_schedule(date(2027, 1, 1), 12, SEED_PHASES)
    dates = [s.items[i] for i in (11, 12, 13, 14)]
    assert dates == sorted(dates)
    assert len(set(dates)) == 4
    assert all(s.phases[1].start <= d <= s.phases[1].end for d in dates)


def test_action_items_fall_due_after_7_30_and_90_days():
    s = build_schedule(
        date(2027, 1, 1), 12, SEED_PHASES, actions={91: "week", 92: "month", 93: "quarter"}
    )
    assert s.items[91] == date(2027, 1, 8)
    assert s.items[92] == date(2027, 1, 31)
    assert s.items[93] == date(2027, 4, 1)


def test_a_pause_moves_everything_after_it_by_its_length():
    start = date(2027, 1, 1)
    plain = build_schedule(start, 12, SEED_PHASES, actions={93: "quarter"})
    paused = build_schedule(
        start,
        12,
        SEED_PHASES,
        actions={93: "quarter"},
        changes=[Change("pause", date(2027, 2, 1)), Change("resume", date(2027, 3, 3))],
    )
    assert paused.end == plain.end + timedelta(days=30)
    assert paused.paused_days == 30
    assert paused.items[11] == plain.items[11]  # before the pause
    assert paused.items[41] == plain.items[41] + timedelta(days=30)
    assert paused.items[93] == plain.items[93] + timedelta(days=30)


def test_a_running_pause_holds_the_rest_until_today():
    start = date(2027, 1, 1)
    plain = build_schedule(start, 12, SEED_PHASES)
    s = build_schedule(
        start, 12, SEED_PHASES, changes=[Change("pause", date(2027, 2, 1))], today=date(2027, 2, 11)
    )
    assert s.end == plain.end + timedelta(days=10)


def test_a_pace_change_keeps_the_past_and_restretches_the_rest():
    start = date(2027, 1, 1)
    plain = build_schedule(start, 12, SEED_PHASES)
    s = build_schedule(start, 12, SEED_PHASES, changes=[Change("pace", date(2027, 3, 1), 15)])
    assert s.end == date(2028, 4, 1)
    assert s.items[11] == plain.items[11]  # planned before the change
    assert s.phases[4].start > plain.phases[4].start


def test_done_items_keep_their_dates():
    start = date(2027, 1, 1)
    s = build_schedule(
        start,
        12,
        SEED_PHASES,
        changes=[Change("pace", date(2027, 1, 10), 9)],
        fixed={42: date(2027, 1, 5)},
    )
    assert s.items[42] == date(2027, 1, 5)


def test_a_year_boundary_and_leap_day_are_handled():
    s = build_schedule(date(2027, 12, 20), 14, SEED_PHASES)
    assert s.end == date(2029, 2, 20)
    assert s.phases[1].start == date(2027, 12, 20)


# --- properties ---------------------------------------------------------------------------

phase_lists = st.lists(
    st.tuples(st.integers(1, 16), st.integers(0, 6)), min_size=1, max_size=6
).map(
    lambda specs: [
        PhaseSpec(n, weeks, [n * 100 + i for i in range(items)])
        for n, (weeks, items) in enumerate(specs, start=1)
    ]
)
starts = st.dates(date(2024, 1, 1), date(2030, 12, 31))
paces = st.integers(6, 24)


def changes_after(start):
    kinds = st.sampled_from(["pace", "pause", "resume"])
    return st.lists(st.tuples(kinds, st.integers(0, 400), st.integers(6, 24)), max_size=5).map(
        lambda raw: [
            Change(kind, start + timedelta(days=offset), pace if kind == "pace" else None)
            for kind, offset, pace in sorted(raw, key=lambda r: r[1])
        ]
    )


@settings(max_examples=200, deadline=None)
@given(start=starts, pace=paces, phases=phase_lists)
def test_phases_are_contiguous_and_the_plan_ends_at_start_plus_pace(start, pace, phases):
    s = build_schedule(start, pace, phases)
    assert s.end == add_months(start, pace)
    spans = [s.phases[p.id] for p in phases]
    assert spans[0].start == start
    assert spans[-1].end == s.end
    for before, after in zip(spans, spans[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)  # no gap, no overlap
    for span in spans:
        assert span.start <= span.end


@settings(max_examples=200, deadline=None)
@given(start=starts, pace=paces, phases=phase_lists)
def test_every_item_date_is_inside_its_phase_and_in_order(start, pace, phases):
    s = build_schedule(start, pace, phases)
    for phase in phases:
        span = s.phases[phase.id]
        dates = [s.items[i] for i in phase.item_ids]
        assert all(span.start <= d <= span.end for d in dates)
        assert dates == sorted(dates)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), start=starts, pace=paces, phases=phase_lists)
def test_replanning_never_moves_a_done_item_and_keeps_phases_contiguous(data, start, pace, phases):
    changes = data.draw(changes_after(start))
    today = start + timedelta(days=data.draw(st.integers(0, 500)))
    before = build_schedule(start, pace, phases, today=today)
    item_ids = [i for p in phases for i in p.item_ids]
    done = data.draw(st.lists(st.sampled_from(item_ids), unique=True)) if item_ids else []
    fixed = {i: before.items[i] for i in done}
    after = build_schedule(start, pace, phases, changes=changes, today=today, fixed=fixed)
    for item_id, day in fixed.items():
        assert after.items[item_id] == day
    spans = [after.phases[p.id] for p in phases]
    assert spans[0].start == start
    assert spans[-1].end == after.end
    for a, b in zip(spans, spans[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)
    assert after.end >= start
