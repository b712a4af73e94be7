"""Subcommands of `saferplaces crime`. Each module has `help`, `add_arguments(parser)` and
`run(options, out, err) -> int` (the exit code), and knows nothing about the dispatcher."""
