"""The roadmaps part of "export my data": plans, history, item states, notes, check-ins."""

from roadmaps.models import Plan


def export_user_data(user) -> dict:
    plans = (
        Plan.objects.for_user(user)
        .select_related("transition")
        .prefetch_related("changes", "progress__item", "checkins__focus_items")
        .order_by("created_at", "id")
    )
    return {
        "plans": [
            {
                "transition": plan.transition.slug,
                "transition_title": plan.transition.title,
                "status": plan.status,
                "start_date": plan.start_date.isoformat(),
                "pace_months": plan.pace_months,
                "hours_per_week": plan.hours_per_week,
                "paused_on": plan.paused_on.isoformat() if plan.paused_on else None,
                "created_at": plan.created_at.isoformat(),
                "history": [
                    {
                        "kind": change.kind,
                        "effective_on": change.effective_on.isoformat(),
                        "from": change.from_value,
                        "to": change.to_value,
                        "recorded_at": change.created_at.isoformat(),
                    }
                    for change in plan.changes.all()
                ],
                "items": [
                    {
                        "item": progress.item.key,
                        "title": progress.item.title,
                        "kind": progress.item.kind,
                        "state": progress.state,
                        "done_at": progress.done_at.isoformat() if progress.done_at else None,
                        "done_on": progress.done_on.isoformat() if progress.done_on else None,
                        "planned_on": (
                            progress.planned_on.isoformat() if progress.planned_on else None
                        ),
                        "note": progress.note,
                        "evidence_url": progress.evidence_url,
                        "updated_at": progress.updated_at.isoformat(),
                    }
                    for progress in sorted(plan.progress.all(), key=lambda p: p.item_id)
                ],
                "checkins": [
                    {
                        "week": checkin.week.isoformat(),
                        "hours": str(checkin.hours),
                        "confidence": checkin.confidence,
                        "wins": checkin.wins,
                        "blockers": checkin.blockers,
                        "next_focus": checkin.next_focus,
                        "focus_items": [item.key for item in checkin.focus_items.all()],
                        "created_at": checkin.created_at.isoformat(),
                        "updated_at": checkin.updated_at.isoformat(),
                    }
                    for checkin in sorted(plan.checkins.all(), key=lambda c: c.week)
                ],
            }
            for plan in plans
        ]
    }
