"""The one force resolver for every crime command: a police.uk name ('West Yorkshire Police')
or its police.uk id ('west-yorkshire'), any letter case, or a force name found in the imported
data. Anything else is refused with the list of forces that have data."""

from __future__ import annotations

from saferplaces.crime import formats


class UnknownForce(ValueError):
    """The text names no police.uk force and no force with imported data."""


def forces_present() -> list[str]:
    """Names of the forces with any imported police.uk data, sorted."""
    from saferplaces.crime.models import CrimeImport

    return sorted(set(CrimeImport.objects.values_list("force", flat=True)))


def resolve_force(text: str) -> str:
    """The force name as police.uk writes it in its files; UnknownForce otherwise."""
    name = formats.force_by_name_or_slug(text)
    if name is not None:
        return name
    present = forces_present()
    wanted = text.strip().lower()
    for force in present:
        if force.lower() == wanted:
            return force
    listed = ", ".join(present) if present else "none yet (saferplaces crime import)"
    raise UnknownForce(f"Unknown force {text!r}: give its police.uk name or id (e.g. "
                       f"'West Midlands Police' or west-midlands). Forces with data: {listed}.")
