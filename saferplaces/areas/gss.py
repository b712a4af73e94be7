"""ONS GSS codes: a letter for the nation (E, W, S, N) or K for a UK- or GB-wide area, then
eight digits, e.g. E05014838 (a ward) or E01010520 (an LSOA)."""

from __future__ import annotations

import re

# Written for both Python's re and pyarrow's RE2 (the crime importer checks columns with it).
GSS_PATTERN = r"^[EWSNK][0-9]{8}$"
GSS_HINT = "a GSS code is a letter E, W, S, N or K and 8 digits, e.g. E05014838"

_GSS_CODE = re.compile(GSS_PATTERN)


def is_gss_code(text: str) -> bool:
    """Whether ``text`` is written as a GSS code (no spaces, capital letter)."""
    return bool(_GSS_CODE.match(text))
