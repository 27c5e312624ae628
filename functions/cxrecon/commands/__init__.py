"""`cxrecon` subcommands, one module each. A module exposes `register(subparsers)`, which adds its
parser(s) and sets `func` to a callable taking the parsed arguments and returning the exit status.
`cxrecon.cli` discovers every module here, so adding a command touches nothing else."""
