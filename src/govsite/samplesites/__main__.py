"""`python -m govsite.samplesites generate DIR | serve DIR`: the generated sites from a shell.

Not the product's command line (the crawler team wires `govsite samplesites`);
a thin shell over `generate_sample`, `generate_site` and `serve`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govsite.samplesites.generate import benchmark_spec, default_specs, generate_sample
from govsite.samplesites.server import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govsite.samplesites", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the default sample (3 sites) or the benchmark site")
    gen.add_argument("root", type=Path)
    gen.add_argument("--benchmark", type=int, metavar="URLS", help="one site of about URLS URLs instead")
    srv = sub.add_parser("serve", help="serve a generated sample on 127.0.0.1 until Ctrl-C")
    srv.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        specs = [benchmark_spec(args.benchmark)] if args.benchmark else default_specs()
        for truth in generate_sample(args.root, specs):
            print(f"{truth.slug}\t{truth.site}\t{truth.url_count} URLs\t{sum(truth.counts().values())} findings")
        return 0
    return serve(args.root)


if __name__ == "__main__":
    sys.exit(main())
