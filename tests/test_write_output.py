"""core.commands.write_output: the one rule for a command's output file."""

import io

from saferplaces.core.commands import write_output


def test_writes_the_bytes_and_says_nothing(tmp_path):
    err = io.StringIO()
    target = tmp_path / "out.csv"
    assert write_output(str(target), b"a,b\n", err) is True
    assert target.read_bytes() == b"a,b\n" and err.getvalue() == ""


def test_an_unwritable_path_is_one_line_naming_it(tmp_path):
    err = io.StringIO()
    target = tmp_path / "missing-folder" / "out.pdf"
    assert write_output(str(target), b"%PDF", err) is False
    assert err.getvalue() == f"Cannot write {target}: No such file or directory"
    assert not target.exists()
