"""`make audit`'s judgement of Lighthouse runs (tools/audit.py): the median of each category
over several runs, against the thresholds."""

from pathlib import Path

from tools import audit


def scores(perf, a11y=100, bp=100, seo=100):
    return {"performance": perf, "accessibility": a11y, "best-practices": bp, "seo": seo}


def fake_runs(monkeypatch, results):
    calls = []

    def run(url, cookie, out):
        calls.append(out.name)
        return results[len(calls) - 1]

    monkeypatch.setattr(audit, "lighthouse", run)
    return calls


def test_each_category_is_judged_on_its_median_over_the_runs(monkeypatch, tmp_path):
    runs = [
        {"scores": scores(96, 98), "failing": ["perf: tbt (260 ms)"]},
        {"scores": scores(99, 100), "failing": ["perf: tbt (120 ms)"]},
        {"scores": scores(98, 97), "failing": ["perf: tbt (170 ms)"]},
    ]
    calls = fake_runs(monkeypatch, runs)
    result = audit.lighthouse_median("http://x/", None, tmp_path / "lh-plan", 3)
    assert calls == ["lh-plan-0.json", "lh-plan-1.json", "lh-plan-2.json"]
    assert result["scores"] == scores(98, 98)
    assert result["failing"] == ["perf: tbt (170 ms)"]  # the run whose performance is the median
    assert result["runs"] == [r["scores"] for r in runs]
    assert audit.lighthouse_shortfalls(result) == []


def test_a_median_below_a_threshold_fails_and_says_which(monkeypatch, tmp_path):
    fake_runs(
        monkeypatch,
        [{"scores": scores(97, bp=96), "failing": []}, {"scores": scores(99), "failing": []}]
        + [{"scores": scores(95, bp=100, seo=92), "failing": []}],
    )
    result = audit.lighthouse_median("http://x/", None, Path(tmp_path / "lh"), 3)
    assert result["scores"] == scores(97, bp=100, seo=100)
    assert audit.lighthouse_shortfalls(result) == ["perf 97 < 98"]


def test_a_failed_run_fails_the_page(monkeypatch, tmp_path):
    fake_runs(
        monkeypatch,
        [{"scores": scores(100), "failing": []}, {"problem": "lighthouse exited 1: NO_FCP"}],
    )
    result = audit.lighthouse_median("http://x/", None, tmp_path / "lh", 2)
    assert result["problem"] == "lighthouse exited 1: NO_FCP"
    assert audit.lighthouse_shortfalls(result) == ["Lighthouse run failed"]
