"""Adviser-report commentary: the template is written once and never over; what the analyst
writes is read back; a file that cannot be read is named with the reason, not fatal."""

import datetime as dt
from pathlib import Path

from pipelines.lib.kpi.targets import load_plans
from pipelines.lib.publish.commentary import Action, commentary_file, load_commentary

PLAN = load_plans()["local_plan_2022"]
DAY = dt.date(2024, 3, 31)


def test_template_written_once_and_kept(tmp_path: Path) -> None:
    path = commentary_file(tmp_path, "992", DAY)
    assert path == tmp_path / "commentary" / "992" / "adviser-report-2024-03-31.yaml"
    first = load_commentary(path, PLAN, "992", DAY)
    assert first.created and first.problem is None and first.summary == ""
    text = path.read_text(encoding="utf-8")
    assert all(f"  {area}:" in text for area in PLAN.areas)
    # The analyst writes; the next run reads it and leaves the file as it is.
    written = text.replace('summary: ""', 'summary: "Steady progress at the front door."', 1)
    written = written.replace(
        "  mash_responses:\n",
        "  mash_responses:\n"
        "    commentary: 'Contacts <b>decided</b> faster since the rota changed.'\n"
        "    actions:\n"
        "      - {action: Review MASH rota, owner: Head of MASH, due: 2024-05-31}\n"
        "    contributions: Police attendance at strategy discussions\n",
        1,
    ).replace('    commentary: ""\n    actions: []\n    contributions: ""\n', "", 1)
    path.write_text(written, encoding="utf-8")
    again = load_commentary(path, PLAN, "992", DAY)
    assert not again.created and again.problem is None
    assert again.summary == "Steady progress at the front door."
    notes = again.for_area("mash_responses")
    assert notes.commentary == "Contacts <b>decided</b> faster since the rota changed."
    assert notes.actions == (Action("Review MASH rota", "Head of MASH", dt.date(2024, 5, 31)),)
    assert notes.contributions == "Police attendance at strategy discussions"
    assert again.for_area("homeless_16_17").commentary == ""
    assert path.read_text(encoding="utf-8") == written


def test_a_file_that_cannot_be_read_is_named_not_fatal(tmp_path: Path) -> None:
    path = commentary_file(tmp_path, "992", DAY)
    path.parent.mkdir(parents=True)
    for text, reason in (
        ("areas:\n  front_door: {commentary: x}\n", "front_door are not areas of local_plan_2022"),
        ("areas:\n  mash_responses:\n    actions: [{owner: A}]\n", "action 1 needs"),
        ("summary: [unclosed\n", "not valid YAML"),
        (
            "areas:\n  mash_responses:\n    actions: [{action: a, due: soon}]\n",
            "due must be a date",
        ),
    ):
        path.write_text(text, encoding="utf-8")
        loaded = load_commentary(path, PLAN, "992", DAY)
        assert loaded.problem is not None and reason in loaded.problem, loaded.problem
        assert str(path) in loaded.problem
        assert path.read_text(encoding="utf-8") == text  # left for the analyst to mend
