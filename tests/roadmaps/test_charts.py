from datetime import date, timedelta
from decimal import Decimal

from roadmaps.charts import HEIGHT, LEFT, NARROW, PLOT_H, PLOT_W, TOP, burn_up, hours_per_week

START = date(2027, 1, 4)  # a Monday


def test_burn_up_for_a_known_plan():
    # Four items, one planned at the end of each of four weeks; two done in week one.
    planned = [START + timedelta(days=6 + 7 * n) for n in range(4)]
    done = [START + timedelta(days=1), START + timedelta(days=2)]
    chart = burn_up(START, START + timedelta(days=27), planned, done, START + timedelta(days=9))
    assert [r.planned for r in chart.rows] == [25, 50, 75, 100]
    assert [r.actual for r in chart.rows] == [50, 50, None, None]
    assert [r.label for r in chart.rows] == ["2027-W01", "2027-W02", "2027-W03", "2027-W04"]
    x = [LEFT + PLOT_W * i / 3 for i in range(4)]
    y = [TOP + PLOT_H * (1 - s) for s in (0.25, 0.5, 0.75, 1.0)]
    expected = " ".join(f"{round(a, 1)},{round(b, 1)}" for a, b in zip(x, y, strict=True))
    assert chart.planned_points == expected
    assert chart.actual_points == f"{round(x[0], 1)},{y[1]} {round(x[1], 1)},{y[1]}"
    assert chart.today_x == round(LEFT + PLOT_W * (9 / 7) / 3, 1)  # between weeks 2 and 3
    assert (chart.planned_now, chart.actual_now) == (50, 50)


def test_burn_up_marks_no_today_outside_the_plan():
    chart = burn_up(START, START + timedelta(days=27), [START], [], START - timedelta(days=30))
    assert chart.today_x is None and chart.actual_points == ""


def test_hours_per_week_bars_scale_to_the_largest_week():
    hours = {START: Decimal("10"), START + timedelta(weeks=2): Decimal("5.5")}
    chart = hours_per_week(START, START + timedelta(weeks=3), hours, target=8)
    assert chart.total == Decimal("15.5") and chart.weeks_with_checkins == 2
    assert chart.max_hours == Decimal(10)
    assert [b.row.week for b in chart.bars] == [START, START + timedelta(weeks=2)]
    assert chart.bars[0].height == PLOT_H and chart.bars[0].y == TOP
    assert chart.bars[1].height == round(PLOT_H * 0.55, 1)
    assert chart.target_y == round(TOP + PLOT_H * (1 - 0.8), 1)
    assert [r.hours for r in chart.rows] == [Decimal("10"), None, Decimal("5.5"), None]
    assert HEIGHT > chart.bars[1].y > TOP


def test_date_labels_count_back_from_the_last_week_which_ends_at_the_plot_edge():
    # 50 weeks: a phone's drawing labels every 16th week counted back from the last (week 49);
    # the last label is drawn ending at the right edge, the others centred on their week.
    end = START + timedelta(weeks=50) - timedelta(days=1)
    narrow = burn_up(START, end, [end], [], START, width=NARROW)
    assert [t.label for t in narrow.x_ticks] == [
        f"{START + timedelta(weeks=i):%-d %b}" for i in (1, 17, 33, 49)
    ]
    assert [t.anchor for t in narrow.x_ticks] == ["middle", "middle", "middle", "end"]
    assert narrow.x_ticks[-1].position == NARROW - 12  # the plot's right edge
    wide = burn_up(START, end, [end], [], START)
    assert len(wide.x_ticks) == 7 and wide.x_ticks[-1].anchor == "end"


def test_the_hours_chart_ends_its_last_label_at_the_plot_edge():
    today = START + timedelta(weeks=21)
    chart = hours_per_week(START, today, {START: Decimal(4)}, 6, width=NARROW)
    assert [t.anchor for t in chart.x_ticks][-1] == "end"
    assert chart.x_ticks[-1].position == NARROW - 12
    assert chart.x_ticks[-1].label == f"{today:%-d %b}"
    assert {t.anchor for t in chart.x_ticks[:-1]} == {"middle"}
