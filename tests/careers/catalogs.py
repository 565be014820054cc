"""Tiny catalogs for loader tests: fast to load, and every section has something in it."""

import re

DELETE = object()


def tiny_catalog():
    """A valid catalog: one AI role, one background, one transition with two phases."""
    return {
        "roles": [
            {
                "slug": "ml-engineer",
                "name": "ML Engineer",
                "kind": "ai_role",
                "summary": "Builds and ships models.",
                "what_they_do": "Trains models and puts them in production.",
                "required_background": ["Python", "Statistics"],
                "demand": "High.",
                "phd_usually_required": False,
                "focus_areas": ["Training", "Serving"],
                "salary_bands": [
                    {
                        "market": "UK",
                        "currency": "GBP",
                        "low": 60000,
                        "high": 90000,
                        "open_ended": False,
                        "basis": "base",
                        "year": 2024,
                        "note": "",
                        "source": None,
                    },
                    {
                        "market": "US",
                        "currency": "USD",
                        "low": None,
                        "high": None,
                        "open_ended": False,
                        "basis": "not_stated",
                        "year": None,
                        "note": "No figures yet.",
                        "source": None,
                    },
                ],
                "faqs": [{"question": "Is it coding?", "answer": "Mostly."}],
            },
            {
                "slug": "engineer",
                "name": "Software Engineer",
                "kind": "background",
                "summary": "",
                "what_they_do": "",
                "required_background": [],
                "demand": "",
                "phd_usually_required": True,
                "focus_areas": [],
                "salary_bands": [],
                "faqs": [],
            },
        ],
        "glossary": [
            {"slug": "llm", "term": "Large Language Model (LLM)", "definition": "A big model."}
        ],
        "faqs": [
            {"question": "Why AI?", "answer": "It is growing."},
            {"question": "Do I need a PhD?", "answer": "Rarely."},
        ],
        "transitions": [
            {
                "slug": "engineer-to-ml-engineer",
                "from_role": "engineer",
                "to_role": "ml-engineer",
                "title": "Software Engineer to ML Engineer",
                "difficulty": "moderate",
                "timeline_min_months": 6,
                "timeline_max_months": 12,
                "salary_change_min_pct": 10,
                "salary_change_max_pct": 30,
                "demand": "Strong.",
                "overview": "Learn the maths, then build.",
                "featured": True,
                "source_note": "",
                "transferable_skills": [
                    {"name": "Coding", "description": "You write code daily."},
                    {"name": "Testing", "description": "You test what you ship."},
                ],
                "skills_to_learn": [
                    {"name": "Statistics", "priority": "critical", "weeks": 4, "how_to_learn": "A"},
                    {"name": "MLOps", "priority": "important", "weeks": 3, "how_to_learn": "B"},
                    {"name": "Papers", "priority": "nice_to_have", "weeks": 2, "how_to_learn": ""},
                ],
                "phases": [
                    {
                        "title": "Foundations",
                        "weeks": 4,
                        "summary": "Learn the basics.",
                        "tasks": [
                            {"key": "learn-stats", "title": "Learn statistics"},
                            {"key": "learn-torch", "title": "Learn PyTorch"},
                        ],
                        "resources": [
                            {
                                "key": "stats-book",
                                "title": "A statistics book",
                                "resource_type": "book",
                                "url": "https://example.com/stats",
                            }
                        ],
                    },
                    {
                        "title": "Practice",
                        "weeks": 6,
                        "summary": "",
                        "tasks": [{"key": "build-model", "title": "Build a model"}],
                        "resources": [],
                    },
                ],
                "reality_check": {
                    "love": ["Research", "Impact"],
                    "miss": ["Shipping fast"],
                    "challenges": ["Maths"],
                },
                "action_plan": {
                    "week": [{"key": "enrol", "title": "Enrol in a course"}],
                    "month": [{"key": "finish-course", "title": "Finish the course"}],
                    "quarter": [{"key": "publish", "title": "Publish a project"}],
                },
                "faqs": [{"question": "How long?", "answer": "About a year."}],
            }
        ],
    }


def steps(path):
    """'transitions[0].phases[1].weeks' -> ['transitions', 0, 'phases', 1, 'weeks']."""
    return [int(s[1:-1]) if s.startswith("[") else s for s in re.findall(r"\[\d+\]|\w+", path)]


def edited(path, value, data=None):
    """The tiny catalog (or `data`) with the value at `path` set, or deleted with DELETE."""
    data = tiny_catalog() if data is None else data
    *parents, last = steps(path)
    target = data
    for step in parents:
        target = target[step]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return data
