"""Whether a meeting was quorate. Pure functions on plain values, no ORM.

A body's quorum rule is either a number ("at least 5 voting seats represented") or a
fraction of its voting seats ("at least one third"), rounded up: a third of 14 seats is 5,
because 4 would be less than a third. A seat is represented when its holder was present or
a named substitute stood in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PRESENT = "present"
SUBSTITUTE = "substitute"
REPRESENTED = (PRESENT, SUBSTITUTE)


@dataclass(frozen=True)
class QuorumRule:
    """`number` seats, or `number`/`of` of the voting seats when `of` is given."""

    number: int
    of: int | None = None

    def __str__(self) -> str:
        if self.of is None:
            seats = "seat" if self.number == 1 else "seats"
            return f"at least {self.number} voting {seats} represented"
        return f"at least {self.number}/{self.of} of the voting seats represented"


@dataclass(frozen=True)
class QuorumResult:
    voting_seats: int
    represented: int
    needed: int

    @property
    def quorate(self) -> bool:
        return self.represented >= self.needed


def seats_needed(rule: QuorumRule, voting_seats: int) -> int:
    """How many voting seats must be represented for a quorum."""
    if rule.of is None:
        return rule.number
    return -(-voting_seats * rule.number // rule.of)  # ceiling, in whole numbers


def quorum(rule: QuorumRule, voting_statuses: Iterable[str]) -> QuorumResult:
    """The quorum of a meeting from the attendance status of each voting seat."""
    statuses = list(voting_statuses)
    represented = sum(1 for status in statuses if status in REPRESENTED)
    return QuorumResult(voting_seats=len(statuses), represented=represented,
                        needed=seats_needed(rule, len(statuses)))
