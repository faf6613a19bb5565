"""Content of the real glossary: every term the lessons use can be looked up, and no definition hides whose claim it is.

The lessons (notebooks 00-06) send students to the glossary for every technical word they use. Each pair below
is (what a student would type in the glossary search, the entry that search must list). Removing or renaming
an entry makes its test fail.
"""
import re

import pytest

from natocourse.data import load_table
from natocourse.glossary import search_glossary

LESSON_TERMS = [
    # 00 Start here and 01 Enlargement timeline
    ("realist", "Realism (political realism)"),
    ("liberal institutionalis", "Liberal institutionalism"),
    ("North Atlantic Treaty", "North Atlantic Treaty (Washington Treaty, 1949)"),
    ("accession", "Accession (joining NATO)"),
    ("Two-plus-Four", "Two-plus-Four Treaty (1990)"),
    ("Warsaw Pact", "Warsaw Pact"),
    ("Cold War", "Cold War"),
    ("USSR", "Soviet Union (USSR)"),
    ("exclave", "Exclave"),
    ("open door", "Open door policy (NATO enlargement)"),
    ("Membership Action Plan", "Membership Action Plan (MAP)"),
    ("Bucharest", "Bucharest Summit Declaration (2008)"),
    ("balance of threat", "Balance of threat"),
    ("sovereign", "Sovereignty and territorial integrity"),
    ("neutral", "Neutrality (non-alignment)"),
    ("annexation", "Annexation"),
    ("Crimea", "Annexation of Crimea (2014)"),
    ("Article 5", "Collective defence (Article 5)"),
    # 02 The security dilemma
    ("security dilemma", "Security dilemma"),
    ("anarchy", "Anarchy (international system)"),
    ("doubly stable", "Jervis's four worlds"),
    ("spiral model", "Spiral model"),
    ("deterrence model", "Deterrence model"),
    ("reassurance", "Reassurance"),
    ("game theory", "Game theory"),
    ("payoff", "Payoff (game theory)"),
    ("Nash equilibrium", "Nash equilibrium"),
    ("best reply", "Best reply (best response)"),
    ("Prisoner's Dilemma", "Prisoner's Dilemma"),
    ("Stag Hunt", "Stag Hunt"),
    ("Chicken", "Chicken (game)"),
    ("Harmony", "Harmony (game)"),
    ("offence-defence", "Offence-defence balance"),
    ("deterrence", "Deterrence"),
    ("offensive realism", "Offensive realism"),
    # 03 Arms races
    ("repeated", "Repeated game (iterated game)"),
    ("tit for tat", "Tit for tat"),
    ("noise", "Noise (in repeated games)"),
    ("generous tit for tat", "Generous tit for tat"),
    ("grim trigger", "Grim trigger"),
    ("misperception", "Misperception"),
    ("arms race", "Arms race"),
    ("Richardson", "Richardson's arms-race model"),
    ("differential equation", "Differential equation"),
    ("phase plane", "Phase plane"),
    ("Correlates of War", "Correlates of War project"),
    ("arms control", "Arms control"),
    ("hotline", "Confidence- and security-building measures (CSBMs)"),
    # 04 Diplomacy, 1990-2021
    ("sanctions", "Sanctions"),
    ("ceasefire", "Ceasefire"),
    ("OSCE", "OSCE (Organization for Security and Co-operation in Europe)"),
    ("NATO-Russia Council", "NATO-Russia Council"),
    ("Normandy format", "Normandy format"),
    ("Trilateral Contact Group", "Trilateral Contact Group"),
    ("Minsk", "Minsk agreements"),
    ("crisis management", "Crisis management"),
    ("backchannel", "Backchannel diplomacy"),
    ("structural realis", "Structural realism (neorealism)"),
    ("multilateral", "Multilateral diplomacy"),
    ("partnership for peace", "Partnership for Peace (PfP)"),
    ("separatist", "Donbas and the separatist 'republics'"),
    # 05 War and peace talks
    ("full-scale invasion", "Full-scale invasion (2022)"),
    ("international peace conference", "International peace conference"),
    ("freeze", "Frozen conflict"),
    ("security guarantee", "Security guarantee"),
    ("veto", "Veto (UN Security Council)"),
    # 06 Negotiation
    ("BATNA", "BATNA (best alternative to a negotiated agreement)"),
    ("red line", "Red line"),
    ("zone of possible agreement", "Zone of possible agreement"),
    ("credible commitment", "Credible commitment"),
    ("mediation", "Mediation"),
]

# Wording that states a claim without saying whose it is; each was replaced by named people, governments or texts.
UNATTRIBUTED = ["many scholars", "many other scholars", "many writers", "some realists", "some western writers",
                "some scholars", "critics warn", "critics say", "critics of the idea", "critics, including",
                "its supporters", "its defenders", "others criticise", "most western governments",
                "writers disagree", "liberal thinkers", "experts say", "experts argue", "many analysts",
                "observers say", "it is widely believed"]


@pytest.fixture(scope="module")
def glossary():
    return load_table("glossary")


@pytest.mark.parametrize("typed, entry", LESSON_TERMS, ids=[typed for typed, _ in LESSON_TERMS])
def test_a_student_who_searches_a_lesson_term_finds_its_entry(glossary, typed, entry):
    found = search_glossary(glossary, typed)["term"].tolist()
    assert entry in found, f"searching {typed!r} lists {found[:6]}, not {entry!r}"


def test_the_term_list_names_each_entry_once():
    entries = [entry for _, entry in LESSON_TERMS]
    assert len(entries) == len(set(entries))


@pytest.mark.parametrize("phrase", UNATTRIBUTED)
def test_no_definition_leaves_a_claim_unattributed(glossary, phrase):
    hits = glossary.loc[glossary["definition"].str.lower().str.contains(phrase, regex=False), "term_id"].tolist()
    assert not hits, f"{phrase!r} in {hits}: name who says so"


def test_definitions_do_not_lean_on_unnamed_majorities(glossary):
    """'many ...', 'some ...' or 'most ...' before a group that argues must come with a named example."""
    pattern = re.compile(r"\b(many|some|most)\s+(other\s+)?(scholars|writers|experts|critics|analysts|realists|"
                         r"observers|historians|governments)\b(?![^.;]*\b(such as|among them|including|like)\b)",
                         re.IGNORECASE)
    hits = [(row.term_id, m.group(0)) for row in glossary.itertuples() for m in pattern.finditer(row.definition)]
    assert not hits, hits
