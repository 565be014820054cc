"""The catalog schema: every rule, each with a minimal bad catalog and its exact message.

These checks need no database: validate() runs before the loader writes anything.
"""

import copy
import json

import pytest

from careers.catalog import loader, schema
from careers.catalog.loader import CatalogError, read_catalog
from careers.catalog.schema import validate
from careers.models import FAQ, GlossaryTerm, Role, SalaryBand, SkillToLearn, Transition
from tests.careers.catalogs import DELETE, edited, tiny_catalog

R = ' (role "ml-engineer")'
B = ' (role "engineer")'
T = ' (transition "engineer-to-ml-engineer")'
G = ' (glossary term "llm")'


def problems(data):
    with pytest.raises(CatalogError) as error:
        validate(data)
    return error.value.problems


def test_the_tiny_catalog_and_the_shipped_catalog_are_valid():
    assert validate(tiny_catalog()) is None
    assert validate(read_catalog()) is None


@pytest.mark.parametrize(
    "path, value, problem",
    [
        # whole numbers: a string, a bool, a fraction or null is not one
        ("transitions[0].phases[1].weeks", "12", f'transitions[0].phases[1].weeks{T}: expected a whole number, got the string "12"'),
        ("transitions[0].phases[1].weeks", True, f"transitions[0].phases[1].weeks{T}: expected a whole number, got true"),
        ("transitions[0].phases[1].weeks", 1.5, f"transitions[0].phases[1].weeks{T}: expected a whole number, got the number 1.5"),
        ("transitions[0].phases[1].weeks", None, f"transitions[0].phases[1].weeks{T}: expected a whole number, got null"),
        ("transitions[0].phases[1].weeks", 0, f"transitions[0].phases[1].weeks{T}: must be at least 1, got 0"),
        ("transitions[0].phases[1].weeks", 32768, f"transitions[0].phases[1].weeks{T}: must be at most 32767, got 32768"),
        ("transitions[0].skills_to_learn[2].weeks", 0, f"transitions[0].skills_to_learn[2].weeks{T}: must be at least 1, got 0"),
        ("transitions[0].timeline_min_months", 0, f"transitions[0].timeline_min_months{T}: must be at least 1, got 0"),
        ("transitions[0].timeline_max_months", "12", f'transitions[0].timeline_max_months{T}: expected a whole number, got the string "12"'),
        ("transitions[0].salary_change_min_pct", "10%", f'transitions[0].salary_change_min_pct{T}: expected a whole number or null, got the string "10%"'),
        ("transitions[0].salary_change_max_pct", -32769, f"transitions[0].salary_change_max_pct{T}: must be at least -32768, got -32769"),
        ("roles[0].salary_bands[0].low", "60000", f'roles[0].salary_bands[0].low{R}: expected a whole number or null, got the string "60000"'),
        ("roles[0].salary_bands[0].low", False, f"roles[0].salary_bands[0].low{R}: expected a whole number or null, got false"),
        ("roles[0].salary_bands[0].low", -1, f"roles[0].salary_bands[0].low{R}: must be at least 0, got -1"),
        ("roles[0].salary_bands[0].high", 2147483648, f"roles[0].salary_bands[0].high{R}: must be at most 2147483647, got 2147483648"),
        ("roles[0].salary_bands[0].year", 1899, f"roles[0].salary_bands[0].year{R}: must be at least 1900, got 1899"),
        ("roles[0].salary_bands[0].year", 2101, f"roles[0].salary_bands[0].year{R}: must be at most 2100, got 2101"),
        # booleans: only true and false
        ("roles[0].phd_usually_required", "false", f'roles[0].phd_usually_required{R}: expected true or false, got the string "false"'),
        ("roles[0].phd_usually_required", 0, f"roles[0].phd_usually_required{R}: expected true or false, got the number 0"),
        ("transitions[0].featured", None, f"transitions[0].featured{T}: expected true or false, got null"),
        ("roles[0].salary_bands[1].open_ended", "no", f'roles[0].salary_bands[1].open_ended{R}: expected true or false, got the string "no"'),
        # strings
        ("roles[1].name", None, f"roles[1].name{B}: expected a string, got null"),
        ("roles[1].name", 5, f"roles[1].name{B}: expected a string, got the number 5"),
        ("roles[1].name", " ", f"roles[1].name{B}: must not be empty"),
        ("roles[1].name", "x" * 121, f"roles[1].name{B}: is 121 characters long; the most is 120"),
        ("roles[1].summary", "x" * 301, f"roles[1].summary{B}: is 301 characters long; the most is 300"),
        ("roles[0].salary_bands[0].source", "bls", f"roles[0].salary_bands[0].source{R}: no source has the slug \"bls\""),
        ("roles[0].salary_bands[0].source", "A survey", f"roles[0].salary_bands[0].source{R}: the string \"A survey\" is not a slug (letters, digits, hyphens and underscores)"),
        ("transitions[0].figures_source", "bls", f"transitions[0].figures_source{T}: no source has the slug \"bls\""),
        ("transitions[0].sources", ["bls"], f"transitions[0].sources[0]{T}: no source has the slug \"bls\""),
        ("roles[0].what_they_do", ["Trains"], f"roles[0].what_they_do{R}: expected a string, got a list"),
        ("transitions[0].phases[0].title", {}, f"transitions[0].phases[0].title{T}: expected a string, got an object"),
        ("transitions[0].reality_check.love[1]", "", f"transitions[0].reality_check.love[1]{T}: must not be empty"),
        ("faqs[1].answer", "", "faqs[1].answer: must not be empty"),
        ("glossary[0].definition", "", f"glossary[0].definition{G}: must not be empty"),
        # lists of strings
        ("roles[0].focus_areas", "Training", f'roles[0].focus_areas{R}: expected a list, got the string "Training"'),
        ("roles[0].focus_areas[1]", 3, f"roles[0].focus_areas[1]{R}: expected a string, got the number 3"),
        ("roles[0].required_background[0]", "", f"roles[0].required_background[0]{R}: must not be empty"),
        ("glossary[0].match_words", "LLM", f'glossary[0].match_words{G}: expected a list or null, got the string "LLM"'),
        ("glossary[0].match_words", [""], f"glossary[0].match_words[0]{G}: must not be empty"),
        # choices
        ("roles[0].kind", "AI role", f'roles[0].kind{R}: expected one of "ai_role", "background", got the string "AI role"'),
        ("roles[0].kind", None, f'roles[0].kind{R}: expected one of "ai_role", "background", got null'),
        ("roles[0].salary_bands[0].currency", "usd", f'roles[0].salary_bands[0].currency{R}: expected one of "USD", "GBP", "EUR", got the string "usd"'),
        ("roles[0].salary_bands[0].basis", "gross", f'roles[0].salary_bands[0].basis{R}: expected one of "total_compensation", "base", "cash", "not_stated", got the string "gross"'),
        ("transitions[0].difficulty", "hard", f'transitions[0].difficulty{T}: expected one of "easier", "moderate", "challenging", got the string "hard"'),
        ("transitions[0].skills_to_learn[0].priority", 1, f'transitions[0].skills_to_learn[0].priority{T}: expected one of "critical", "important", "nice_to_have", got the number 1'),
        ("transitions[0].phases[0].resources[0].resource_type", "video", f'transitions[0].phases[0].resources[0].resource_type{T}: expected one of "course", "book", "docs", "community", "dataset", "event", "programme", "platform", "job_board", "other", got the string "video"'),
        ("transitions[0].phases[0].resources[0].resource_type", DELETE, f'transitions[0].phases[0].resources[0]{T}: missing the key "resource_type"'),
        ("transitions[0].phases[1].tasks[0].resource_type", "", f'transitions[0].phases[1].tasks[0].resource_type{T}: expected one of "course", "book", "docs", "community", "dataset", "event", "programme", "platform", "job_board", "other", got the string ""'),
        ("transitions[0].action_plan.soon", [], f'transitions[0].action_plan{T}: unknown key "soon"'),
        ("transitions[0].action_plan.quarter", DELETE, f'transitions[0].action_plan{T}: missing the key "quarter"'),
        ("transitions[0].reality_check.challenge", ["Maths"], f'transitions[0].reality_check{T}: unknown key "challenge" (did you mean "challenges"?)'),
        # slugs, keys and addresses
        ("roles[0].slug", "ML Engineer", 'roles[0].slug (role "ML Engineer"): the string "ML Engineer" is not a slug (letters, digits, hyphens and underscores)'),
        ("roles[0].slug", 7, "roles[0].slug: expected a string, got the number 7"),
        ("roles[0].slug", "", 'roles[0].slug (role ""): the string "" is not a slug (letters, digits, hyphens and underscores)'),
        ("transitions[0].phases[0].tasks[1].key", "learn torch", f'transitions[0].phases[0].tasks[1].key{T}: the string "learn torch" is not a slug (letters, digits, hyphens and underscores)'),
        ("transitions[0].phases[0].tasks[1].key", "k" * 81, f"transitions[0].phases[0].tasks[1].key{T}: is 81 characters long; the most is 80"),
        ("transitions[0].from_role", "Engineer!", f'transitions[0].from_role{T}: the string "Engineer!" is not a slug (letters, digits, hyphens and underscores)'),
        ("transitions[0].phases[0].resources[0].url", "example.com/stats", f'transitions[0].phases[0].resources[0].url{T}: expected an http:// or https:// address, got the string "example.com/stats"'),
        ("transitions[0].phases[0].resources[0].url", "https://", f'transitions[0].phases[0].resources[0].url{T}: expected an http:// or https:// address, got the string "https://"'),
        ("transitions[0].phases[0].resources[0].url", "https://a b", f'transitions[0].phases[0].resources[0].url{T}: expected an http:// or https:// address, got the string "https://a b"'),
        ("transitions[0].phases[0].resources[0].url", "https://e.com/" + "x" * 487, f"transitions[0].phases[0].resources[0].url{T}: is 501 characters long; the most is 500"),
        # keys: missing, unknown (with a suggestion when one is close), given twice
        ("roles[0].demand", DELETE, f'roles[0]{R}: missing the key "demand"'),
        ("roles[0].demmand", "", f'roles[0]{R}: unknown key "demmand" (did you mean "demand"?)'),
        ("roles[0].zzz", "", f'roles[0]{R}: unknown key "zzz"'),
        ("transitions[0].faqs[0].question", DELETE, f'transitions[0].faqs[0]{T}: missing the key "question"'),
        ("roles[0].salary_bands[0].currrency", "GBP", f'roles[0].salary_bands[0]{R}: unknown key "currrency" (did you mean "currency"?)'),
        ("glossary[0].slug", DELETE, 'glossary[0]: missing the key "slug"'),
        ("extras", {}, 'catalog: unknown key "extras"'),
        ("faqs", DELETE, 'catalog: missing the key "faqs"'),
        ("roles[1]", [], "roles[1]: expected an object, got a list"),
        # rules across one object's values
        ("transitions[0].timeline_max_months", 5, f"transitions[0].timeline_max_months{T}: must not be below timeline_min_months (6), got 5"),
        ("transitions[0].salary_change_max_pct", 9, f"transitions[0].salary_change_max_pct{T}: must not be below salary_change_min_pct (10), got 9"),
        ("roles[0].salary_bands[0].high", 59999, f"roles[0].salary_bands[0].high{R}: must not be below low (60000), got 59999"),
        ("roles[0].salary_bands[1].open_ended", True, f"roles[0].salary_bands[1].high{R}: must be a number when open_ended is true"),
        # rules across the catalog
        ("transitions[0].from_role", "nurse", f'transitions[0].from_role{T}: no role has the slug "nurse"'),
        ("transitions[0].to_role", "data-scientist", f'transitions[0].to_role{T}: no role has the slug "data-scientist"'),
        ("transitions[0].from_role", "ml-engineer", f'transitions[0].from_role{T}: "ml-engineer" is a role of kind "ai_role", not "background"'),
        ("transitions[0].to_role", "engineer", f'transitions[0].to_role{T}: "engineer" is a role of kind "background", not "ai_role"'),
        ("transitions[0].action_plan.month[0].key", "learn-torch", f'transitions[0].action_plan.month[0].key{T}: the item key "learn-torch" is already used at transitions[0].phases[0].tasks[1]'),
        ("transitions[0].phases[1].tasks[0].key", "stats-book", f'transitions[0].phases[1].tasks[0].key{T}: the item key "stats-book" is already used at transitions[0].phases[0].resources[0]'),
        ("transitions[0].phases[0].resources[0].key", "learn-stats", f'transitions[0].phases[0].resources[0].key{T}: the item key "learn-stats" is already used at transitions[0].phases[0].tasks[0]'),
        ("transitions[0].action_plan.quarter[0].key", "finish-course", f'transitions[0].action_plan.quarter[0].key{T}: the item key "finish-course" is already used at transitions[0].action_plan.month[0]'),
    ],
)  # fmt: skip
def test_each_rule_names_the_place_and_the_reason(path, value, problem):
    assert problems(edited(path, value)) == [problem]


@pytest.mark.parametrize(
    "path, value",
    [
        ("transitions[0].phases[1].weeks", 1),
        ("transitions[0].phases[1].weeks", 32767),
        ("transitions[0].timeline_max_months", 6),  # equal to the minimum
        ("transitions[0].salary_change_min_pct", None),
        ("transitions[0].salary_change_max_pct", 10),
        ("transitions[0].salary_change_max_pct", None),
        ("roles[0].salary_bands[0].low", 0),
        ("roles[0].salary_bands[0].low", 90000),  # equal to high
        ("roles[0].salary_bands[0].high", 2147483647),
        ("roles[0].salary_bands[0].low", None),
        ("roles[0].salary_bands[0].high", None),
        ("roles[0].salary_bands[0].open_ended", True),  # it has a high figure
        ("roles[0].salary_bands[0].year", 1900),
        ("roles[0].salary_bands[0].year", 2100),
        ("roles[0].salary_bands[0].note", ""),
        ("roles[1].name", "x" * 120),
        ("roles[0].summary", "x" * 300),
        ("glossary[0].match_words", None),
        ("glossary[0].match_words", ["LLM", "LLMs"]),
        ("transitions[0].phases[0].resources[0].url", ""),
        ("transitions[0].phases[0].resources[0].url", DELETE),
        ("transitions[0].phases[0].resources[0].url", "http://example.com"),
        ("transitions[0].phases[0].resources[0].url", "https://e.com/" + "x" * 486),
        ("transitions[0].phases[1].tasks[0].url", "https://example.com"),
        ("transitions[0].action_plan.week[0].resource_type", "course"),
        ("transitions[0].phases[0].tasks[1].key", "Key_2-b"),
        ("transitions[0].phases[0].tasks[1].key", "k" * 80),
    ],
)
def test_values_at_the_edges_of_the_rules_are_accepted(path, value):
    assert validate(edited(path, value)) is None


def test_the_message_lists_every_problem():
    data = edited("roles[0].phd_usually_required", "false")
    edited("transitions[0].phases[1].weeks", "12", data)
    edited("transitions[0].overveiw", "", data)
    with pytest.raises(CatalogError) as error:
        validate(data)
    assert str(error.value) == (
        "3 problems:\n"
        f'  - roles[0].phd_usually_required{R}: expected true or false, got the string "false"\n'
        f'  - transitions[0]{T}: unknown key "overveiw" (did you mean "overview"?)\n'
        f'  - transitions[0].phases[1].weeks{T}: expected a whole number, got the string "12"'
    )


def test_one_problem_is_the_whole_message():
    with pytest.raises(CatalogError) as error:
        validate(edited("faqs[0].question", ""))
    assert str(error.value) == "faqs[0].question: must not be empty"
    assert isinstance(error.value, ValueError)


def test_every_problem_in_one_object_is_reported():
    data = edited("roles[1].kind", "role")
    edited("roles[1].name", "", data)
    edited("roles[1].demand", DELETE, data)
    edited("roles[1].extra", 1, data)
    assert problems(data) == [
        f'roles[1]{B}: missing the key "demand"',
        f'roles[1]{B}: unknown key "extra"',
        f"roles[1].name{B}: must not be empty",
        f'roles[1].kind{B}: expected one of "ai_role", "background", got the string "role"',
    ]


def test_every_bad_item_in_a_list_is_reported():
    data = edited("roles[0].focus_areas", [1, "ok", None])
    assert problems(data) == [
        f"roles[0].focus_areas[0]{R}: expected a string, got the number 1",
        f"roles[0].focus_areas[2]{R}: expected a string, got null",
    ]


def test_both_range_rules_of_a_transition_are_reported():
    data = edited("transitions[0].timeline_max_months", 1)
    edited("transitions[0].salary_change_max_pct", -1, data)
    assert problems(data) == [
        f"transitions[0].timeline_max_months{T}: must not be below timeline_min_months (6), got 1",
        f"transitions[0].salary_change_max_pct{T}: must not be below salary_change_min_pct (10), got -1",
    ]


def test_an_open_ended_band_without_figures_breaks_both_band_rules_once():
    data = edited("roles[0].salary_bands[0].open_ended", True)
    edited("roles[0].salary_bands[0].high", None, data)
    assert problems(data) == [
        f"roles[0].salary_bands[0].high{R}: must be a number when open_ended is true"
    ]
    edited("roles[0].salary_bands[0].low", None, data)
    assert problems(data) == [
        f"roles[0].salary_bands[0].high{R}: must be a number when open_ended is true"
    ]


def test_object_rules_wait_for_good_values_but_other_objects_are_still_checked():
    data = edited("transitions[0].timeline_max_months", 1)
    edited("transitions[0].timeline_min_months", "6", data)  # max < min cannot be compared
    edited("roles[0].salary_bands[0].high", 1, data)
    assert problems(data) == [
        f"roles[0].salary_bands[0].high{R}: must not be below low (60000), got 1",
        f'transitions[0].timeline_min_months{T}: expected a whole number, got the string "6"',
    ]


def test_range_rules_do_not_stop_the_checks_across_the_catalog():
    data = edited("transitions[0].timeline_max_months", 1)
    edited("transitions[0].to_role", "nobody", data)
    assert problems(data) == [
        f"transitions[0].timeline_max_months{T}: must not be below timeline_min_months (6), got 1",
        f'transitions[0].to_role{T}: no role has the slug "nobody"',
    ]


def test_checks_across_the_catalog_wait_until_every_value_is_good():
    data = edited("transitions[0].to_role", "nobody")
    edited("faqs[0].answer", None, data)
    assert problems(data) == ["faqs[0].answer: expected a string, got null"]


def test_the_catalog_must_be_an_object():
    assert problems([]) == ["catalog: expected an object, got a list"]
    assert problems(None) == ["catalog: expected an object, got null"]


def second_transition(data, **changes):
    """Another transition, a copy of the first with new slug (and whatever else is given)."""
    copied = copy.deepcopy(data["transitions"][0])
    copied.update(slug="engineer-to-researcher", **changes)
    data["transitions"].append(copied)
    return data


def second_ai_role(data):
    role = copy.deepcopy(data["roles"][0])
    role.update(slug="researcher", name="Researcher")
    data["roles"].append(role)
    return data


def test_two_transitions_may_not_share_a_slug_or_a_pair_of_roles():
    data = second_transition(second_ai_role(tiny_catalog()))
    assert problems(data) == [
        'transitions[1] (transition "engineer-to-researcher"): transitions[0] already goes '
        'from "engineer" to "ml-engineer"'
    ]
    data["transitions"][1].update(slug="engineer-to-ml-engineer", to_role="researcher")
    assert problems(data) == [
        f"transitions[1].slug{T}: transitions[0] already has this slug",
    ]


def test_item_keys_are_unique_within_a_transition_only():
    data = second_transition(second_ai_role(tiny_catalog()), to_role="researcher")
    assert validate(data) is None


def test_two_roles_may_not_share_a_slug():
    data = tiny_catalog()
    data["roles"].append(dict(data["roles"][0], name="Another"))
    assert problems(data) == [f"roles[2].slug{R}: roles[0] already has this slug"]


def test_duplicate_slugs_are_reported_for_each_repeat():
    data = tiny_catalog()
    term = data["glossary"][0]
    data["glossary"] += [dict(term, term="Another"), dict(term, slug="ml"), dict(term)]
    assert problems(data) == [
        'glossary[1].slug (glossary term "llm"): glossary[0] already has this slug',
        'glossary[3].slug (glossary term "llm"): glossary[0] already has this slug',
    ]


def test_a_duplicate_key_is_reported_for_each_repeat():
    data = tiny_catalog()
    tasks = data["transitions"][0]["phases"][1]["tasks"]
    tasks += [dict(tasks[0]), {"key": "other", "title": "Other"}, dict(tasks[0])]
    assert problems(data) == [
        f'transitions[0].phases[1].tasks[1].key{T}: the item key "build-model" is already used '
        "at transitions[0].phases[1].tasks[0]",
        f'transitions[0].phases[1].tasks[3].key{T}: the item key "build-model" is already used '
        "at transitions[0].phases[1].tasks[0]",
    ]


def test_both_ends_of_a_transition_are_checked():
    data = edited("transitions[0].from_role", "ml-engineer")
    edited("transitions[0].to_role", "engineer", data)
    assert problems(data) == [
        f'transitions[0].from_role{T}: "ml-engineer" is a role of kind "ai_role", not "background"',
        f'transitions[0].to_role{T}: "engineer" is a role of kind "background", not "ai_role"',
    ]


@pytest.mark.parametrize(
    "value, shown",
    [
        ("a" * 40, '"' + "a" * 40 + '"'),
        ("a" * 41, '"' + "a" * 37 + '..."'),
        ("é", '"é"'),
    ],
)
def test_long_strings_are_cut_short_in_messages(value, shown):
    assert problems(edited("transitions[0].phases[1].weeks", value)) == [
        f"transitions[0].phases[1].weeks{T}: expected a whole number, got the string {shown}"
    ]


def test_a_value_json_cannot_hold_is_named_by_its_type():
    assert problems(edited("roles[0].focus_areas", ("a",))) == [
        f"roles[0].focus_areas{R}: expected a list, got a Python tuple"
    ]


# --- reading the file ----------------------------------------------------------------------


def test_invalid_json_gives_the_line_and_column(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text('{"roles": [\n  1,\n  2,]}', encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        read_catalog(path)
    assert error.value.problems == ["invalid JSON at line 3, column 5: Expecting value"]
    assert isinstance(error.value.__cause__, json.JSONDecodeError)


def test_a_key_given_twice_in_the_file_is_reported_where_it_is(tmp_path):
    text = json.dumps(tiny_catalog()).replace('"weeks": 6', '"weeks": 6, "weeks": "6"')
    text = text.replace('"faqs": []', '"faqs": [], "faqs": [], "faqs": []')
    path = tmp_path / "catalog.json"
    path.write_text(text, encoding="utf-8")
    data = read_catalog(path)
    assert data["transitions"][0]["phases"][1]["weeks"] == "6"
    assert problems(data) == [
        f'roles[1]{B}: the key "faqs" is given more than once',
        f'transitions[0].phases[1]{T}: the key "weeks" is given more than once',
        f'transitions[0].phases[1].weeks{T}: expected a whole number, got the string "6"',
    ]


def test_reading_a_valid_file_gives_its_data(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(tiny_catalog()), encoding="utf-8")
    data = read_catalog(path)
    assert data == tiny_catalog()
    assert data["roles"][0].repeated == ()
    assert validate(data) is None


# --- the schema mirrors the models ---------------------------------------------------------


def test_the_schema_choices_are_the_models_choices():
    assert tuple(loader.Status.values) == schema.STATUSES
    assert tuple(Role.Kind.values) == schema.ROLE_KINDS
    assert tuple(SalaryBand.Currency.values) == schema.CURRENCIES
    assert tuple(SalaryBand.Basis.values) == schema.BASES
    assert tuple(Transition.Difficulty.values) == schema.DIFFICULTIES
    assert tuple(loader.RoadmapItem.ResourceType.values) == schema.RESOURCE_TYPES
    assert tuple(loader.RoadmapItem.Horizon.values) == schema.HORIZONS
    assert tuple(loader.PRIORITIES) == schema.PRIORITIES
    assert list(loader.PRIORITIES.values()) == SkillToLearn.Priority.values
    assert tuple(loader.REALITY_KINDS) == schema.REALITY_SECTIONS


TRANSITION_FIELDS = schema.TRANSITION.fields
PHASE_FIELDS = schema.PHASE.fields


@pytest.mark.parametrize(
    "spec, model, name",
    [
        (schema.ROLE.fields["slug"], Role, "slug"),
        (schema.ROLE.fields["name"], Role, "name"),
        (schema.ROLE.fields["summary"], Role, "summary"),
        (schema.SALARY_BAND.fields["market"], SalaryBand, "market"),
        (schema.SALARY_BAND.fields["note"], SalaryBand, "note"),
        (schema.SOURCE.fields["slug"], loader.Source, "slug"),
        (schema.SOURCE.fields["name"], loader.Source, "name"),
        (schema.SOURCE.fields["title"], loader.Source, "title"),
        (schema.SOURCE.fields["url"], loader.Source, "url"),
        (TRANSITION_FIELDS["slug"], Transition, "slug"),
        (TRANSITION_FIELDS["title"], Transition, "title"),
        (TRANSITION_FIELDS["transferable_skills"].item.fields["name"], loader.TransferableSkill, "name"),
        (TRANSITION_FIELDS["skills_to_learn"].item.fields["name"], SkillToLearn, "name"),
        (TRANSITION_FIELDS["reality_check"].fields["love"].item, loader.RealityCheckItem, "text"),
        (TRANSITION_FIELDS["faqs"].item.fields["question"], FAQ, "question"),
        (PHASE_FIELDS["title"], loader.Phase, "title"),
        (schema.TASK.fields["key"], loader.RoadmapItem, "key"),
        (schema.TASK.fields["title"], loader.RoadmapItem, "title"),
        (schema.TASK.fields["url"], loader.RoadmapItem, "url"),
        (schema.GLOSSARY_TERM.fields["slug"], GlossaryTerm, "slug"),
        (schema.GLOSSARY_TERM.fields["term"], GlossaryTerm, "term"),
    ],
)  # fmt: skip
def test_the_schema_string_sizes_are_the_model_field_sizes(spec, model, name):
    assert spec.max_length == model._meta.get_field(name).max_length


# --- where a problem is in the file ---------------------------------------------------------


def test_value_lines_gives_the_line_of_every_value():
    text = '{\n  "a": [1,\n    {"b": "x\\n y", "c": null}],\n  "d": {}\n}\n'
    assert schema.value_lines(text) == {
        "": 1,
        "a": 2,
        "a[0]": 2,
        "a[1]": 3,
        "a[1].b": 3,
        "a[1].c": 3,
        "d": 4,
    }


def test_a_file_with_problems_names_the_line_of_each(tmp_path):
    data = edited("transitions[0].phases[1].weeks", "12")
    del data["roles"][1]["demand"]
    data["glossary"][0]["defintion"] = "typo"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    lines = path.read_text().splitlines()
    role_line = lines.index('      "slug": "engineer",')  # the line before: its "{"
    term_line = lines.index('      "slug": "llm",')
    weeks_line = [n for n, line in enumerate(lines, 1) if line.strip() == '"weeks": "12",']
    assert len(weeks_line) == 1
    weeks_line = weeks_line[0]
    with pytest.raises(CatalogError) as error:
        loader.read_checked_catalog(path)
    assert error.value.problems == [
        f'line {role_line}: roles[1]{B}: missing the key "demand"',
        f'line {term_line}: glossary[0]{G}: unknown key "defintion" (did you mean "definition"?)',
        f"line {weeks_line}: transitions[0].phases[1].weeks{T}: expected a whole number, got the "
        'string "12"',
    ]
    assert [p.path for p in error.value.problems] == [
        "roles[1]",
        "glossary[0]",
        "transitions[0].phases[1].weeks",
    ]


@pytest.mark.parametrize("path", ["roles[0].status", "transitions[0].status"])
def test_a_status_is_draft_or_published(path):
    where = R if path.startswith("roles") else T
    assert problems(edited(path, "hidden")) == [
        f'{path}{where}: expected one of "draft", "published", got the string "hidden"'
    ]
    assert validate(edited(path, "draft")) is None


@pytest.mark.parametrize(
    "path", ["transitions[0].phases[0].archived", "transitions[0].action_plan.week[0].archived"]
)
def test_archived_is_true_or_false(path):
    assert problems(edited(path, "yes")) == [
        f'{path}{T}: expected true or false, got the string "yes"'
    ]
    assert validate(edited(path, True)) is None
