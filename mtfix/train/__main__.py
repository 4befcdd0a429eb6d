"""``python -m mtfix.train``: ``mtfix train`` without the rest of mtfix's dependencies."""

import argparse
import sys

from mtfix.errors import MtfixError
from mtfix.train.command import add_train_arguments, run_train


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m mtfix.train", description=__doc__)
    add_train_arguments(parser)
    try:
        return run_train(parser.parse_args())
    except MtfixError as exc:
        print(f"mtfix train: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
