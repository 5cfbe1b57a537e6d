"""`upright screen`, `upright plan`, `upright script` as a person or a script uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from upright.catalog import Catalog
from upright.cli import app as cli

runner = CliRunner()


def write_answers(tmp_path: Path, catalog: Catalog, yes: set[str] = frozenset(), **extra: Any) -> str:  # type: ignore[assignment]
    data = {"answers": {q.id: q.id in yes for q in catalog.screening}, **extra}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def flat(output: str) -> str:
    """Rich wraps long lines at the terminal width; compare words, not line breaks."""
    return " ".join(output.split())


def run_json(*args: str) -> Any:
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_screen_from_a_file_gives_outcome_and_reasons(tmp_path: Path, catalog: Catalog) -> None:
    path = write_answers(
        tmp_path, catalog, {"night-pain"}, cleared_by_clinician=True, conditions=["knee-pain"]
    )
    data = run_json("screen", "--answers", path)
    assert data["outcome"] == "see_clinician_soon"
    assert data["reasons"] == ["Pain that wakes you at night should be checked by a doctor soon."]
    assert data["can_start_session"] is True
    assert data["conditions"] == ["knee-pain"]
    assert data["findings"][0]["source"]


def test_screen_emergency_says_no_session(tmp_path: Path, catalog: Catalog) -> None:
    path = write_answers(tmp_path, catalog, {"chest-pain-now"}, cleared_by_clinician=True)
    result = runner.invoke(cli, ["screen", "--answers", path])
    assert result.exit_code == 0
    assert "for an ambulance" in flat(result.stdout)
    assert "No session can start" in flat(result.stdout)
    assert run_json("screen", "--answers", path)["can_start_session"] is False


def test_screen_accepts_yes_and_no_words_and_stdin(catalog: Catalog) -> None:
    data = {"answers": {q.id: "no" for q in catalog.screening}, "cleared_by_clinician": "yes"}
    result = runner.invoke(cli, ["screen", "--answers", "-", "--json"], input=json.dumps(data))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome"] == "ok"


def test_screen_asks_interactively_without_answers(catalog: Catalog) -> None:
    n = len([q for q in catalog.screening if q.follows is None])  # follow-ups only after a yes
    replies = (
        ["n"] * n + ["n"] + ["y"] + ["n"] * (len(catalog.conditions) - 1) + [""]
    )  # clearance no, first condition yes, pain skipped
    result = runner.invoke(cli, ["screen", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["outcome"] == "ok"
    assert data["cleared_by_clinician"] is False
    assert data["conditions"] == [next(iter(catalog.conditions))]
    assert data["reminders"]  # not cleared: the reminder every session reads out


def test_screen_bad_file_names_the_field(tmp_path: Path, catalog: Catalog) -> None:
    missing = runner.invoke(cli, ["screen", "--answers", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "answers" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["screen", "--answers", str(broken)])
    assert result.exit_code == 1 and "not valid JSON" in flat(result.output)
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"answers": {"night-pain": False}}), encoding="utf-8")
    result = runner.invoke(cli, ["screen", "--answers", str(partial)])
    assert result.exit_code == 1 and "answers.chest-pain-now" in flat(result.output)


def test_plan_json_has_the_documented_shape(catalog: Catalog) -> None:
    data = run_json("plan", "--equipment", "band,mat", "--condition", "knee-pain", "--minutes", "12")
    assert {"items", "excluded", "minutes", "notes"} <= data.keys()
    assert isinstance(data["minutes"], float) and data["minutes"] <= 12
    for item in data["items"]:
        assert {"exercise", "dose", "reason"} <= item.keys()
        assert item["dose"]["handout"] and item["dose"]["text"]
    for x in data["excluded"]:
        assert {"exercise", "reason"} <= x.keys()
    assert {"childs-pose", "cat-camel", "bird-dog"} <= {x["exercise"] for x in data["excluded"]}
    assert data["inputs"]["equipment"] == ["mat", "resistance-band"]


def test_plan_from_a_template_for_work(catalog: Catalog) -> None:
    data = run_json("plan", "--from", "workday-microbreaks", "--setting", "work", "--minutes", "10")
    assert data["template"] == "workday-microbreaks"
    assert [i["exercise"] for i in data["items"]] == list(catalog.template("workday-microbreaks").items)


def test_plan_for_people_prints_a_table(catalog: Catalog) -> None:
    result = runner.invoke(cli, ["plan", "--condition", "knee-pain", "--equipment", "mat"])
    assert result.exit_code == 0, result.output
    assert "Left out" in result.stdout and "knee pain" in flat(result.stdout)


def test_plan_bad_input_names_the_field() -> None:
    for args, field in (
        (["--condition", "bad-knee"], "condition"),
        (["--equipment", "rope"], "equipment"),
        (["--minutes", "0"], "minutes"),
        (["--minutes", "-3"], "minutes"),
        (["--focus", "cardio"], "focus"),
        (["--setting", "gym"], "setting"),
        (["--from", "nope"], "template"),
    ):
        result = runner.invoke(cli, ["plan", *args])
        assert result.exit_code == 1, args
        assert f"{field}:" in flat(result.output), (args, result.output)


def test_plan_minutes_in_words_is_our_own_message_and_exit_1() -> None:
    result = runner.invoke(cli, ["plan", "--minutes", "five"])
    assert result.exit_code == 1
    assert "minutes: give the minutes as a number, like 15" in flat(result.output)
    result = runner.invoke(cli, ["plan", "--minutes", "7.5", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["inputs"]["minutes"] == 7.5


def test_screen_interactive_enter_is_not_a_no_for_conditions(catalog: Catalog) -> None:
    """Pressing Enter on "I have knee pain." asks again; it never counts as a no."""
    n = len([q for q in catalog.screening if q.follows is None])
    replies = ["n"] * n + ["y"] + ["", "y"] + ["n"] * (len(catalog.conditions) - 1) + [""]
    result = runner.invoke(cli, ["screen", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["conditions"] == [next(iter(catalog.conditions))]


def test_script_refuses_an_exercise_the_screening_rules_out(tmp_path: Path, catalog: Catalog) -> None:
    path = write_answers(tmp_path, catalog, cleared_by_clinician=True, conditions=["knee-pain"])
    result = runner.invoke(cli, ["script", "upper-back-program", "--answers", path])
    assert result.exit_code == 1
    assert "Child's pose does not suit you" in flat(result.output)


def test_script_from_a_plan_file(tmp_path: Path) -> None:
    plan = run_json("plan", "--minutes", "6")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    data = run_json("script", str(path))
    assert data["total_seconds"] == sum(s["seconds"] for s in data["steps"])
    assert data["total_seconds"] == plan["seconds"]
    assert data["steps"][-1]["kind"] == "pain-check"
    assert [s["exercise"] for s in data["steps"] if s["kind"] == "exercise"] == [
        i["exercise"] for i in plan["items"]
    ]


def test_script_from_a_program_id_and_a_program_json(tmp_path: Path) -> None:
    by_id = run_json("script", "healthy-upper-back")
    program = run_json("program", "healthy-upper-back")
    path = tmp_path / "program.json"
    path.write_text(json.dumps(program), encoding="utf-8")
    from_json = run_json("script", str(path))
    assert by_id["total_seconds"] == from_json["total_seconds"]
    assert by_id["title"] == program["title"]


def test_script_for_people_shows_total(catalog: Catalog) -> None:
    result = runner.invoke(cli, ["script", "posture-and-neck-stretches"])
    assert result.exit_code == 0, result.output
    assert "Total:" in result.stdout


def test_script_refuses_after_a_blocking_screening(tmp_path: Path, catalog: Catalog) -> None:
    path = write_answers(tmp_path, catalog, {"pain-stops-moving"}, cleared_by_clinician=True)
    result = runner.invoke(cli, ["script", "healthy-upper-back", "--answers", path])
    assert result.exit_code == 1
    text = flat(result.output)
    assert "Get medical care" in text
    assert "seek_care_now" not in text  # people read sentences, not internal codes


def test_script_reads_the_clearance_reminder(tmp_path: Path, catalog: Catalog) -> None:
    path = write_answers(tmp_path, catalog, cleared_by_clinician=False)
    data = run_json("script", "healthy-upper-back", "--answers", path)
    assert data["screened"] is True and data["reminders"]
    assert data["reminders"][0] in data["steps"][1]["say"]


def test_script_bad_input(tmp_path: Path) -> None:
    assert runner.invoke(cli, ["script", "no-such-program"]).exit_code == 1
    assert runner.invoke(cli, ["script", str(tmp_path / "missing.json")]).exit_code == 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"items": [{"exercise": "chin-tuck", "dose": {"reps": 50}}]}), encoding="utf-8")
    result = runner.invoke(cli, ["script", str(bad)])
    assert result.exit_code == 1 and "items[0].dose.reps" in flat(result.output)


def test_screen_stops_at_the_first_emergency_answer(catalog: Catalog) -> None:
    """The next prompt after a "yes" to chest pain is the stop, not the 20 other questions."""
    result = runner.invoke(cli, ["screen"], input="n\ny\n")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert catalog.screening[1].question in out
    assert catalog.screening[2].question not in out
    assert re.search(r"Call \d+ now for an ambulance", out) and "No session can start" in out


def test_screen_asks_a_doctor_check_only_after_a_yes_and_no_keeps_the_flag(catalog: Catalog) -> None:
    order = [q for q in catalog.screening if q.follows is None]
    before = order[: [q.id for q in order].index("injury")]
    replies = ["n"] * len(before) + ["y", "n"]  # injury yes; "Has a doctor checked ...?" no
    result = runner.invoke(cli, ["screen", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    assert "Has a doctor checked this pain since it began?" in result.stdout
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["outcome"] == "seek_care_now"


def test_screen_asks_the_heart_questions_again_for_pain_in_the_chest(catalog: Catalog) -> None:
    top = [q for q in catalog.screening if q.follows is None]
    chest_number = 1 + ["neck", "upper-back", "mid-back", "low-back", "left-shoulder", "right-shoulder",
                        "left-arm", "right-arm", "chest"].index("chest")  # fmt: skip
    replies = ["n"] * len(top) + ["y"] + ["n"] * len(catalog.conditions) + ["5", str(chest_number), "y"]
    result = runner.invoke(cli, ["screen", "--json"], input="\n".join(replies) + "\n")
    assert result.exit_code == 0, result.output
    assert "Please answer the heart questions again" in flat(result.stdout)
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["outcome"] == "emergency"  # "yes" to chest pain now, asked again


def test_screen_questions_json_lists_every_question_in_order(catalog: Catalog) -> None:
    data = run_json("screen", "--questions")
    assert [q["id"] for q in data] == [q.id for q in catalog.screening]
    groups = {"heart", "severe-pain", "nerves", "injury", "infection", "cancer", "organs",
              "not-improving", "worse-or-new", "dizziness"}  # fmt: skip
    for item in data:
        assert set(item) == {"id", "text", "group", "outcome", "follows"} and item["group"] in groups
    follows = {q["id"]: q["follows"] for q in data}
    assert follows["injury-checked"] == "injury" and follows["injury"] is None
