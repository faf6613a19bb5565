"""The negotiation role-play: its scenarios, role cards, issue matrix, zone of possible agreement and saved rounds.

Three tables feed it (``data/negotiation_issues.csv``, ``delegations.csv``, ``positions.csv``; how they are coded
is in ``data/NEGOTIATION.md``). Every issue has a scale from 0 to 4; each delegation's ``aim`` row gives where it
stood at the start (``stance``) and the range the course codes as acceptable to it (``stance_low`` to
``stance_high``). The scales and ranges are the course's teaching model, not facts.

**The issue matrix** (issues x delegations) shows each delegation's position: at the start its sourced stance;
then, round by round, the value it last proposed, accepted or countered with. A delegation that stated nothing
on an issue has a blank there, not a guess.

**The zone of possible agreement** of an issue is the overlap of the acceptable ranges of the delegations at the
table, that is, of every delegation with a range on that issue. It is recomputed after each recorded answer, by
four rules:

* proposing a value, accepting one, or countering with one: the delegation's position moves to that value, and
  its range stretches to include it (a delegation with no range yet joins the table at that value);
* rejecting a value inside its range: the range is cut back so that it stops short of the rejected value, on the
  side away from the delegation's position (a range of 1-3 with position 2 that rejects 3 becomes 1-2);
* rejecting a value outside its range changes nothing;
* an issue is **agreed** at a value when every delegation at the table has proposed or accepted that same
  proposal.

**Recorded rounds** (proposals, each with the delegations' answers) are plain data here: ``check_rounds`` reads
what a rounds file holds and keeps every usable proposal, ``rounds_json`` and ``rounds_csv`` write them. The file
itself (atomic writes under a lock, damaged copies set aside) is kept by ``widgets.negotiation.SavedRounds``.

>>> scenario = load_scenario("jan2022")
>>> scenario.delegation_names()["russia"]
'Russian Federation'
>>> zone_of_agreement(starting_standings(scenario), "enlargement") is None   # Russia's 3-4 against 0-2
True
>>> record = Proposal.new("jan2022", 1, "russia", "enlargement", 2, "A moratorium, no legal bar")
>>> record = record.answered("united_states", "accept").answered("nato", "counter", 1)
>>> standings = apply_rounds(scenario, [record])
>>> standings[("enlargement", "russia")]
Standing(position=2, low=2, high=4)
>>> standings[("enlargement", "nato")]
Standing(position=1, low=0, high=1)
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..data import DATA_DIR, DataError, Problem, keep_row_numbers, load_table, row_numbers
from ..errors import CourseError

SCENARIOS = {
    "jan2022": "January 2022: the week of talks",
    "peace_conference": "A peace conference",
}
SCALE = (0, 1, 2, 3, 4)
ROUNDS = (1, 2, 3)
ANSWERS = ("accept", "reject", "counter")
CARD_KINDS = ("aim", "red_line", "offer", "refused")  # the card's sections before the instructions
ROUNDS_FILE = "negotiation-rounds.json"
FILE_FORMAT = "natocourse negotiation rounds"


# ---------------------------------------------------------------- the scenario and its data rules

@dataclass(frozen=True)
class Scenario:
    """One scenario's issues, delegations and positions (rows of the three tables), checked together."""

    key: str
    issues: pd.DataFrame
    delegations: pd.DataFrame
    positions: pd.DataFrame

    @property
    def title(self) -> str:
        return SCENARIOS[self.key]

    def issue_labels(self) -> dict[str, str]:
        return dict(zip(self.issues["issue_id"], self.issues["label"]))

    def delegation_names(self) -> dict[str, str]:
        return dict(zip(self.delegations["delegation_id"], self.delegations["name"]))

    def short_names(self) -> dict[str, str]:
        """Names for a chart's columns: what comes before a bracket ("France and Germany")."""
        return {key: short_name(name) for key, name in self.delegation_names().items()}

    def scale(self, issue_id: str) -> dict[int, str]:
        """What 0 and 4 mean on an issue's scale (the middle values are in the issue's notes)."""
        row = self.issues.set_index("issue_id").loc[issue_id]
        return {0: row["low_end"], 4: row["high_end"]}


    def value_meanings(self, issue_id: str) -> dict[int, str]:
        """What each value 0-4 of an issue's scale means: the two ends, and the middle values its notes describe
        ("between the two ends" where they do not)."""
        row = self.issues.set_index("issue_id").loc[issue_id]
        notes = row["notes"] if isinstance(row["notes"], str) else ""
        middle = {int(n): text.strip() for n, text in _MIDDLE.findall(notes)}
        return {0: row["low_end"], **{n: middle.get(n, "between the two ends") for n in (1, 2, 3)},
                4: row["high_end"]}


_MIDDLE = re.compile(r"(?<![\d,-])([1-3]) = (.+?)(?=; [1-3] = |\.\s+[A-Z]|\.?$)")


def short_name(name: str) -> str:
    """A delegation's name without what its brackets add, and "People's Republic of China" as "China"."""
    short = name.split(" (")[0]
    return {"People's Republic of China": "China", "Russian Federation": "Russia"}.get(short, short)


def load_scenario(key: str, data_dir: Path | str = DATA_DIR) -> Scenario:
    """The scenario's rows of the three tables, after the schema's checks and this module's (``negotiation_problems``).

    A DataError names file, row and column of every problem found.
    """
    if key not in SCENARIOS:
        raise DataError([Problem("data/negotiation_issues.csv", f'there is no scenario "{key}" (the scenarios are '
                                                                f"{', '.join(SCENARIOS)})", column="scenario")])
    issues, delegations, positions = (load_table(name, data_dir)
                                      for name in ("negotiation_issues", "delegations", "positions"))
    problems = negotiation_problems(issues, delegations, positions, load_table("sources", data_dir))
    if problems:
        raise DataError(problems)
    return Scenario(key, *(_rows_of(frame, key) for frame in (issues, delegations, positions)))


def negotiation_problems(issues: pd.DataFrame, delegations: pd.DataFrame, positions: pd.DataFrame,
                         sources: pd.DataFrame) -> list[Problem]:
    """The rules of positions.csv that the schema cannot state (data.py checks keys of one column only).

    * its (scenario, delegation_id) and (scenario, issue_id) pairs exist in delegations.csv and
      negotiation_issues.csv: a delegation of one scenario cannot take a position in the other;
    * every aim row gives stance, stance_low and stance_high, with stance_low <= stance <= stance_high; no other
      row gives any of them; a delegation has at most one aim per issue;
    * instruction rows, and only they, give a round;
    * rows citing a source other than the five source documents give a date.
    """
    shown = "data/positions.csv"
    rows = row_numbers(positions)
    delegation_pairs = set(zip(delegations["scenario"], delegations["delegation_id"]))
    issue_pairs = set(zip(issues["scenario"], issues["issue_id"]))
    documents = set(sources.loc[sources["seed_file"].notna(), "source_id"])
    problems, aims = [], {}
    for number, row in zip(rows, positions.itertuples(index=False)):
        if (row.scenario, row.delegation_id) not in delegation_pairs:
            known = sorted(d for s, d in delegation_pairs if s == row.scenario)
            problems.append(Problem(shown, f'"{row.delegation_id}" is not a delegation of the scenario "{row.scenario}" '
                                           f"in data/delegations.csv (its delegations: {', '.join(known)})",
                                    number, "delegation_id"))
        if (row.scenario, row.issue_id) not in issue_pairs:
            known = sorted(i for s, i in issue_pairs if s == row.scenario)
            problems.append(Problem(shown, f'"{row.issue_id}" is not an issue of the scenario "{row.scenario}" '
                                           f"in data/negotiation_issues.csv (its issues: {', '.join(known)})",
                                    number, "issue_id"))
        coded = {column: getattr(row, column) for column in ("stance", "stance_low", "stance_high")}
        if row.kind == "aim":
            for column, value in coded.items():
                if pd.isna(value):
                    problems.append(Problem(shown, "is empty, but an aim row codes the position on the issue's "
                                                   "0-4 scale", number, column))
            if not any(pd.isna(v) for v in coded.values()) and not (
                    coded["stance_low"] <= coded["stance"] <= coded["stance_high"]):
                problems.append(Problem(shown, f'the range {coded["stance_low"]}-{coded["stance_high"]} does not '
                                               f'include the stance {coded["stance"]} (stance_low <= stance <= '
                                               "stance_high)", number, "stance"))
            key = (row.scenario, row.delegation_id, row.issue_id)
            if key in aims:
                problems.append(Problem(shown, f"is a second aim of {row.delegation_id} on {row.issue_id} "
                                               f"(the first is row {aims[key]})", number, "kind"))
            aims.setdefault(key, number)
        else:
            for column, value in coded.items():
                if not pd.isna(value):
                    problems.append(Problem(shown, f'gives a value, but only aim rows are coded (this row is '
                                                   f'"{row.kind}")', number, column))
        if (row.kind == "instruction") == pd.isna(row.round):
            problems.append(Problem(shown, "is empty, but an instruction row names its round (1-3)"
                                    if row.kind == "instruction" else
                                    f'gives a round, but only instruction rows do (this row is "{row.kind}")',
                                    number, "round"))
        if pd.isna(row.date) and row.source_id not in documents:
            problems.append(Problem(shown, "is empty, but a row citing an official statement or reporting gives "
                                           "the date of the statement", number, "date"))
    return problems


def _rows_of(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    rows = row_numbers(frame)
    picked = frame[frame["scenario"] == key]
    out = picked.reset_index(drop=True)
    keep_row_numbers(out, [rows[i] for i in picked.index])
    return out


# ---------------------------------------------------------------- role cards

@dataclass(frozen=True)
class CardLine:
    issue: str          # the issue's label
    text: str
    source_id: str
    quote: str | None
    date: str | None     # "17 December 2021", or None when the source gives no date
    stance: str | None   # aim rows: "position 4, acceptable 3-4"


@dataclass(frozen=True)
class RoleCard:
    scenario: str
    delegation_id: str
    name: str
    seat: str
    listens_to: str
    briefing: str
    source_id: str
    quote: str | None
    sections: dict[str, list[CardLine]]           # aim, red_line, offer, refused -> lines
    instructions: dict[int, list[CardLine]]       # round -> lines


SECTION_TITLES = {"aim": "Stated aims", "red_line": "Red lines", "offer": "What it offered or said it could accept",
                  "refused": "What it publicly refused"}


def role_card(scenario: Scenario, delegation_id: str) -> RoleCard:
    """The card of one delegation: where it sits, whom it listens to, its sourced positions and instructions."""
    delegation = scenario.delegations.set_index("delegation_id").loc[delegation_id]
    labels = scenario.issue_labels()
    order = {issue: n for n, issue in enumerate(scenario.issues["issue_id"])}
    own = scenario.positions[scenario.positions["delegation_id"] == delegation_id]
    own = own.assign(_order=own["issue_id"].map(order)).sort_values(["_order", "round"], kind="stable")
    sections: dict[str, list[CardLine]] = {kind: [] for kind in CARD_KINDS}
    instructions: dict[int, list[CardLine]] = {n: [] for n in ROUNDS}
    for row in own.itertuples(index=False):
        line = CardLine(issue=labels[row.issue_id], text=row.text, source_id=row.source_id,
                        quote=row.quote if isinstance(row.quote, str) else None,
                        date=_long_date(row.date),
                        stance=(f"position {row.stance}, acceptable {span(row.stance_low, row.stance_high)}"
                                if row.kind == "aim" else None))
        if row.kind == "instruction":
            instructions.setdefault(int(row.round), []).append(line)
        else:
            sections[row.kind].append(line)
    return RoleCard(scenario.key, delegation_id, delegation["name"], delegation["seat"], delegation["listens_to"],
                    delegation["briefing"], delegation["source_id"],
                    delegation["quote"] if isinstance(delegation["quote"], str) else None, sections, instructions)


def _long_date(value) -> str | None:
    if value is None or pd.isna(value):
        return None
    return f"{value.day} {value:%B %Y}"


def span(low, high) -> str:
    """A range on an issue's scale as it is written: "2" or "1-3"."""
    return f"{low}" if low == high else f"{low}-{high}"


# ---------------------------------------------------------------- standings, matrix and zone

@dataclass(frozen=True)
class Standing:
    """A delegation's position on one issue (None if it stated none) and the range it can accept."""

    position: int | None
    low: int
    high: int

    def stretched(self, value: int) -> "Standing":
        return Standing(value, min(self.low, value), max(self.high, value))

    def without(self, value: int) -> "Standing":
        """The range after rejecting ``value``: cut back to stop short of it, on the side away from the position."""
        if not self.low <= value <= self.high or self.position is None or value == self.position:
            return self
        if value > self.position:
            return Standing(self.position, self.low, value - 1)
        return Standing(self.position, value + 1, self.high)


def starting_standings(scenario: Scenario) -> dict[tuple[str, str], Standing]:
    """(issue_id, delegation_id) -> Standing, as coded in the aim rows."""
    aims = scenario.positions[scenario.positions["kind"] == "aim"]
    return {(row.issue_id, row.delegation_id): Standing(int(row.stance), int(row.stance_low), int(row.stance_high))
            for row in aims.itertuples(index=False)}


def apply_rounds(scenario: Scenario, proposals) -> dict[tuple[str, str], Standing]:
    """The standings after the recorded proposals and answers, in the order they were recorded (module docstring).

    Proposals on an issue or by a delegation the scenario does not have (the data changed since) are skipped;
    ``skipped_proposals`` lists them.
    """
    standings = starting_standings(scenario)
    issues, delegations = set(scenario.issues["issue_id"]), set(scenario.delegations["delegation_id"])
    for proposal in proposals:
        if proposal.scenario != scenario.key or proposal.issue not in issues or proposal.proposer not in delegations:
            continue
        _move(standings, proposal.issue, proposal.proposer, proposal.value)
        for delegation, response in proposal.responses.items():
            if delegation not in delegations or delegation == proposal.proposer:
                continue
            key = (proposal.issue, delegation)
            if response.answer == "accept":
                _move(standings, proposal.issue, delegation, proposal.value)
            elif response.answer == "counter":
                _move(standings, proposal.issue, delegation, response.value)
            elif key in standings:
                standings[key] = standings[key].without(proposal.value)
    return standings


def skipped_proposals(scenario: Scenario, proposals) -> list["Proposal"]:
    """Saved proposals that name an issue or a proposer this scenario's data no longer have."""
    issues, delegations = set(scenario.issues["issue_id"]), set(scenario.delegations["delegation_id"])
    return [p for p in proposals if p.scenario == scenario.key and (p.issue not in issues or p.proposer not in delegations)]


def _move(standings, issue: str, delegation: str, value: int) -> None:
    key = (issue, delegation)
    standings[key] = standings[key].stretched(value) if key in standings else Standing(value, value, value)


def issue_matrix(scenario: Scenario, standings: dict | None = None) -> pd.DataFrame:
    """Positions as a table: one row per issue (its label), one column per delegation (its short name); NA where
    a delegation stated no position."""
    standings = starting_standings(scenario) if standings is None else standings
    names = scenario.short_names()
    table = pd.DataFrame(index=list(scenario.issue_labels().values()), columns=list(names.values()), dtype="Int64")
    labels = scenario.issue_labels()
    for (issue, delegation), standing in standings.items():
        if issue in labels and delegation in names and standing.position is not None:
            table.loc[labels[issue], names[delegation]] = standing.position
    table.index.name, table.columns.name = "issue", "delegation"
    return table


def matrix_changes(scenario: Scenario, standings: dict) -> dict[tuple[str, str], int | None]:
    """(issue_id, delegation_id) -> the starting position, for every cell whose position has changed."""
    start = starting_standings(scenario)
    return {key: (start[key].position if key in start else None) for key, standing in standings.items()
            if key not in start or start[key].position != standing.position}


def zone_of_agreement(standings: dict, issue: str) -> tuple[int, int] | None:
    """The overlap (low, high) of the ranges of every delegation at the table on one issue; None if they do not
    all overlap, or if no delegation has a range there."""
    ranges = [s for (i, _), s in standings.items() if i == issue]
    if not ranges:
        return None
    low, high = max(s.low for s in ranges), min(s.high for s in ranges)
    return (low, high) if low <= high else None


def zones(scenario: Scenario, standings: dict | None = None) -> pd.DataFrame:
    """One row per issue: its label, the zone (low, high; NA if none), the delegations at the table, and the gap:
    the highest start of a range (``floor``, and whose ranges start there, ``floor_by``) and the lowest end
    (``ceiling``, ``ceiling_by``). The ranges overlap exactly when floor <= ceiling."""
    standings = starting_standings(scenario) if standings is None else standings
    names = scenario.short_names()
    order = list(names)
    rows = []
    for issue, label in scenario.issue_labels().items():
        at_table = sorted((d for (i, d) in standings if i == issue and d in names), key=order.index)
        ranges = {d: standings[(issue, d)] for d in at_table}
        floor = max((s.low for s in ranges.values()), default=pd.NA)
        ceiling = min((s.high for s in ranges.values()), default=pd.NA)
        zone = zone_of_agreement({(issue, d): s for d, s in ranges.items()}, issue)
        rows.append({"issue_id": issue, "issue": label, "low": zone[0] if zone else pd.NA,
                     "high": zone[1] if zone else pd.NA, "parties": at_table,
                     "floor": floor, "floor_by": [d for d, s in ranges.items() if s.low == floor],
                     "ceiling": ceiling, "ceiling_by": [d for d, s in ranges.items() if s.high == ceiling]})
    return pd.DataFrame(rows, columns=["issue_id", "issue", "low", "high", "parties", "floor", "floor_by", "ceiling",
                                       "ceiling_by"]).astype({"low": "Int64", "high": "Int64", "floor": "Int64",
                                                              "ceiling": "Int64"})


def gap_words(scenario: Scenario, row) -> str:
    """Why an issue has no zone, naming both sides: "Russia's range starts at 3; Ukraine's and the EU's end at 1"."""
    names = scenario.short_names()
    starts, ends = [names[d] for d in row.floor_by], [names[d] for d in row.ceiling_by]
    return (f"{_possessive(starts)} range{'s' if len(starts) > 1 else ''} start{'' if len(starts) > 1 else 's'} "
            f"at {row.floor}; {_possessive(ends)} end{'' if len(ends) > 1 else 's'} at {row.ceiling}")


def _possessive(names: list[str]) -> str:
    return _listed([the(f"{n}'" if n.endswith("s") else f"{n}'s") for n in names])


def the(name: str) -> str:
    """A delegation's name as it reads inside a sentence: "the United States", "Russia"."""
    return f"the {name}" if name.startswith(("United ", "European ", "African ")) else name


def zone_summary(scenario: Scenario, table: pd.DataFrame) -> str:
    """One sentence for a screen reader and for everyone: where the ranges overlap and where they do not."""
    overlap = [f"{row.issue} ({span(row.low, row.high)})" for row in table.itertuples() if not pd.isna(row.low)]
    apart = [f"{row.issue} ({gap_words(scenario, row)})"
             for row in table.itertuples() if pd.isna(row.low) and row.parties]
    parts = []
    if overlap:
        parts.append(f"The acceptable ranges overlap on {len(overlap)} of {len(table)} issues: {'; '.join(overlap)}.")
    if apart:
        parts.append(f"No overlap on {len(apart)} of {len(table)}: {'; '.join(apart)}.")
    return f"{scenario.title}. " + " ".join(parts)


def matrix_summary(scenario: Scenario, standings: dict) -> str:
    """One sentence: how many positions are coded, how many have moved since the start."""
    matrix = issue_matrix(scenario, standings)
    stated = int(matrix.notna().sum().sum())
    moved = len(matrix_changes(scenario, standings))
    blank = matrix.size - stated
    moves = "no position has moved yet" if not moved else f"{moved} position{'s' if moved != 1 else ''} moved since the start"
    return (f"{scenario.title}: {len(matrix)} issues x {len(matrix.columns)} delegations; {stated} positions stated "
            f"({blank} blank where a delegation stated none); {moves}. Scale 0-4 per issue: 0 and 4 are the two "
            "ends described under each issue.")


def agreements(scenario: Scenario, proposals) -> pd.DataFrame:
    """The issues the class agreed: the last proposal on each issue that every delegation at the table proposed or
    accepted (one row per issue, with the value, the round and the proposal's words)."""
    rows = {}
    standings = apply_rounds(scenario, proposals)
    labels = scenario.issue_labels()
    for proposal in proposals:
        if proposal.scenario != scenario.key or proposal.issue not in labels:
            continue
        at_table = {d for (i, d) in standings if i == proposal.issue}
        agreed = {proposal.proposer} | {d for d, r in proposal.responses.items() if r.answer == "accept"}
        if at_table and at_table <= agreed:
            rows[proposal.issue] = {"issue": labels[proposal.issue], "value": proposal.value,
                                    "round": proposal.round, "proposal": proposal.text}
    return pd.DataFrame(list(rows.values()), columns=["issue", "value", "round", "proposal"])


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


# ---------------------------------------------------------------- the real record, for the debrief

RECORD_WINDOWS = {  # what really happened: the scenario's talks, by date and kind of event
    "jan2022": ("2021-12-17", "2022-02-24"),
    "peace_conference": ("2022-02-28", None),
}
RECORD_TYPES = ("negotiation", "summit", "agreement", "ceasefire", "declaration", "military action")


def real_record(events: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The events of ``events.csv`` that the scenario plays out: talks, summits, agreements, ceasefires and
    declarations in the scenario's window (and, for January 2022, the invasion that ended it)."""
    first, last = RECORD_WINDOWS[scenario]
    picked = events[(events["date"] >= first) & (events["type"].isin(RECORD_TYPES))]
    if last:
        picked = picked[picked["date"] <= last]
    if scenario == "peace_conference":  # the talks about ending the war, not NATO's own summits or the CFE
        picked = picked[~picked["forum"].isin(["NATO summit", "NATO"]) & (picked["type"] != "military action")]
    return picked


# ---------------------------------------------------------------- who argues what

def question_grid(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims counted by contested question (rows) and perspective (columns); perspectives with no claim on any
    question are left out."""
    asked = claims[claims["question"].notna()]
    grid = pd.crosstab(asked["question"], asked["perspective"])
    order = asked["perspective"].value_counts().index
    return grid[order]


QUESTIONS = {
    "promise_1990": "Did the West promise in 1990 not to enlarge NATO?",
    "enlargement_caused_war": "Did NATO enlargement cause the war?",
    "talks_2021_22": "Were the 2021-22 talks serious, and could they have averted the war?",
    "peace_talks": "Should there be peace talks now, and on what terms?",
}


# ---------------------------------------------------------------- proposals and answers

@dataclass(frozen=True)
class Response:
    answer: str               # accept, reject or counter
    value: int | None = None  # the counter-proposal's value
    recorded: str = ""


@dataclass(frozen=True)
class Proposal:
    id: str
    scenario: str
    round: int
    proposer: str
    issue: str
    value: int
    text: str
    recorded: str
    responses: dict[str, Response] = field(default_factory=dict)

    @classmethod
    def new(cls, scenario: str, round_: int, proposer: str, issue: str, value: int, text: str = "") -> "Proposal":
        """A proposal as recorded now, with a fresh id; RoundsError if a value is out of bounds."""
        _check_value(value, "the proposed value")
        if round_ not in ROUNDS:
            raise RoundsError(f"The round must be one of {', '.join(map(str, ROUNDS))}, not {round_}.")
        return cls(f"p{_now():%Y%m%d%H%M%S}{secrets.token_hex(3)}", scenario, int(round_), proposer, issue,
                   int(value), text.strip(), _now().isoformat(timespec="seconds"))

    def answered(self, delegation: str, answer: str, value: int | None = None) -> "Proposal":
        """The proposal with one delegation's answer recorded (a later answer replaces an earlier one)."""
        if answer not in ANSWERS:
            raise RoundsError(f'An answer is one of {", ".join(ANSWERS)}, not "{answer}".')
        if answer == "counter":
            _check_value(value, "a counter-proposal")
        else:
            value = None
        if delegation == self.proposer:
            raise RoundsError("The proposing delegation does not answer its own proposal.")
        response = Response(answer, None if value is None else int(value), _now().isoformat(timespec="seconds"))
        return replace(self, responses={**self.responses, delegation: response})

    def as_json(self) -> dict:
        return {"id": self.id, "scenario": self.scenario, "round": self.round, "proposer": self.proposer,
                "issue": self.issue, "value": self.value, "text": self.text, "recorded": self.recorded,
                "responses": {d: {"answer": r.answer, "value": r.value, "recorded": r.recorded}
                              for d, r in self.responses.items()}}


class RoundsError(CourseError, ValueError):
    """A proposal or answer that cannot be recorded; the message says why in a sentence."""


def _check_value(value, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value not in SCALE:
        raise RoundsError(f"{what[0].upper()}{what[1:]} must be a whole number from 0 to 4, not {value!r}.")


def check_rounds(text: bytes | None) -> tuple[list[Proposal], str]:
    """The usable proposals in a rounds file's bytes, and what was wrong with the rest ("" if nothing).

    >>> proposals, damage = check_rounds(b'{"format": "natocourse negotiation rounds", "proposals": [{"id": 3}]}')
    >>> proposals, damage
    ([], 'proposal 1 is not a recorded proposal')
    >>> check_rounds(b"{ not json")[1]
    'it is not in the expected format: Expecting property name enclosed in double quotes'
    """
    if text is None:
        return [], ""
    try:
        raw = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        return [], "it is not text"
    except ValueError as err:
        return [], f"it is not in the expected format: {getattr(err, 'msg', err)}"
    except RecursionError:
        return [], "it is not in the expected format: nested too deeply"
    if not isinstance(raw, dict) or raw.get("format") != FILE_FORMAT or not isinstance(raw.get("proposals"), list):
        return [], "it is not a file of negotiation rounds"
    proposals, problems = [], []
    for number, entry in enumerate(raw["proposals"], start=1):
        proposal = _proposal_from(entry)
        if proposal is None:
            problems.append(f"proposal {number} is not a recorded proposal")
        else:
            proposals.append(proposal)
    more = f" and {len(problems) - 2} more" if len(problems) > 2 else ""
    return proposals, "; ".join(problems[:2]) + more


def _proposal_from(entry) -> Proposal | None:
    def whole(value, allowed) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value in allowed

    if not isinstance(entry, dict):
        return None
    strings = ("id", "scenario", "proposer", "issue", "text", "recorded")
    if not all(isinstance(entry.get(key), str) for key in strings) or entry["scenario"] not in SCENARIOS:
        return None
    if not whole(entry.get("round"), ROUNDS) or not whole(entry.get("value"), SCALE):
        return None
    responses = entry.get("responses", {})
    if not isinstance(responses, dict):
        return None
    kept = {}
    for delegation, response in responses.items():
        if not isinstance(response, dict) or response.get("answer") not in ANSWERS:
            return None
        value = response.get("value")
        if (response["answer"] == "counter") != whole(value, SCALE) or not (value is None or whole(value, SCALE)):
            return None
        kept[delegation] = Response(response["answer"], value, str(response.get("recorded", "")))
    return Proposal(**{key: entry[key] for key in strings}, round=entry["round"], value=entry["value"],
                    responses=kept)


def rounds_json(proposals) -> str:
    """The text of a rounds file holding ``proposals`` (in the order they were recorded)."""
    ordered = sorted(proposals, key=lambda p: (p.recorded, p.id))
    return json.dumps({"format": FILE_FORMAT, "version": 1, "proposals": [p.as_json() for p in ordered]},
                      indent=1, ensure_ascii=False)


EXPORT_COLUMNS = ["scenario", "round", "proposal_id", "recorded", "proposer", "issue_id", "issue", "value",
                  "proposal", "delegation", "answer", "counter_value", "answered"]


def rounds_table(scenario: Scenario, proposals) -> pd.DataFrame:
    """One row per proposal and answer (a proposal not yet answered has one row with no answer): the export."""
    labels, names = scenario.issue_labels(), scenario.delegation_names()
    rows = []
    for p in proposals:
        common = {"scenario": p.scenario, "round": p.round, "proposal_id": p.id, "recorded": p.recorded,
                  "proposer": names.get(p.proposer, p.proposer), "issue_id": p.issue,
                  "issue": labels.get(p.issue, p.issue), "value": p.value, "proposal": p.text}
        answers = p.responses.items() or [(None, None)]
        for delegation, response in answers:
            rows.append({**common, "delegation": names.get(delegation, delegation) if delegation else "",
                         "answer": response.answer if response else "",
                         "counter_value": response.value if response and response.value is not None else "",
                         "answered": response.recorded if response else ""})
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def rounds_csv(scenario: Scenario, proposals) -> str:
    """The rounds as CSV text (one row per answer), for a spreadsheet."""
    buffer = io.StringIO()
    rounds_table(scenario, proposals).to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


def _now() -> dt.datetime:
    return dt.datetime.now()
