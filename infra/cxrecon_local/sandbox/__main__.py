"""`python -m cxrecon_local.sandbox`: run the sandbox until Ctrl-C."""

import argparse
import sys

from .cli import configure_parser, run


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m cxrecon_local.sandbox", description=__doc__)
    configure_parser(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
