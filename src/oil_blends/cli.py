"""``oil-blends``: calculate blends and scale recipes from the command line.

Uses the shipped catalog and recipes; the same request and response documents as the JSON API.
Exit status 0 for a recipe, 2 for a refused or invalid request.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from oil_blends import strict_json
from oil_blends.calculator import calculate_document
from oil_blends.catalog import shipped_oils
from oil_blends.engine.model import ALLERGIES, CONDITIONS, SKIN_TYPES, USES
from oil_blends.engine.recipes import RecipeError, load_recipes
from oil_blends.problems import Problem, invalid_request

EXIT_OK = 0
EXIT_REFUSED = 2


class CliError(Exception):
    """A command-line mistake, reported like an invalid request."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def _add_person_and_conventions(parser: argparse.ArgumentParser) -> None:
    person = parser.add_argument_group("the person")
    person.add_argument("--age", metavar="YEARS", help="age in years (0.5 = six months)")
    person.add_argument("--pregnant", action="store_true", default=None)
    person.add_argument("--skin", metavar="SKIN", help=" | ".join(SKIN_TYPES))
    person.add_argument("--condition", action="append", metavar="CONDITION",
                        help="repeatable: " + ", ".join(CONDITIONS))
    person.add_argument("--allergy", action="append", metavar="ALLERGY",
                        help="repeatable: " + ", ".join(ALLERGIES))
    sun = person.add_mutually_exclusive_group()
    sun.add_argument("--sun", dest="sun_exposure", action="store_true", default=None,
                     help="the oiled skin will see sun or UV (the default assumption)")
    sun.add_argument("--no-sun", dest="sun_exposure", action="store_false",
                     help="the oiled skin stays out of sun and UV for 18 hours")
    conventions = parser.add_argument_group("conventions")
    conventions.add_argument("--drops-per-ml", metavar="N", help="your dropper (standard 20)")
    conventions.add_argument("--teaspoon", metavar="SYSTEM", help="metric (5 mL, default) | us")
    parser.add_argument("--on-limit", metavar="ACTION",
                        help="reject (default) or cap a dilution above a limit")
    parser.add_argument("--amount-of", metavar="WHAT",
                        help="the amount is the finished blend (default) or the carrier you have")
    parser.add_argument("--json", action="store_true", help="print the API's JSON instead of a table")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oil-blends", description="Massage-oil blends in whole drops, with safety warnings.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    calc = commands.add_parser("calc", help="calculate a blend", description="Calculate a blend in whole drops.")
    calc.add_argument("--request", metavar="FILE", help="the API's request JSON from FILE, or - for standard input")
    calc.add_argument("--carrier", help="carrier oil slug, e.g. sweet-almond")
    calc.add_argument("--amount", help="batch size with its unit, e.g. '30 mL', '1 fl oz', '2 tbsp'")
    calc.add_argument("--dilution", help="'2%%', '2', '1 drop per teaspoon', '12 drops per fl oz'")
    calc.add_argument("--oil", action="append", metavar="SLUG[:PARTS]", help="repeatable, e.g. lavender:2")
    calc.add_argument("--use", metavar="USE", help=" | ".join(USES))
    _add_person_and_conventions(calc)

    recipes = commands.add_parser("recipes", help="list or scale the shipped recipes")
    recipes.add_argument("slug", nargs="?", help="a recipe to scale; omit to list them")
    recipes.add_argument("--amount", help="scale to this batch size, e.g. '4 fl oz'")
    _add_person_and_conventions(recipes)
    return parser


def _oil_parts(spec: str) -> dict[str, Any]:
    slug, separator, parts = spec.partition(":")
    return {"oil": slug.strip(), "parts": parts.strip()} if separator else {"oil": slug.strip()}


def _profile(args: argparse.Namespace) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    if args.age is not None:
        profile["age_years"] = args.age
    if args.pregnant:
        profile["pregnant"] = True
    if args.skin:
        profile["skin"] = args.skin
    if args.condition:
        profile["conditions"] = args.condition
    if args.allergy:
        profile["allergies"] = args.allergy
    if args.sun_exposure is not None:
        profile["sun_exposure"] = args.sun_exposure
    return profile


def _conventions(args: argparse.Namespace) -> dict[str, Any]:
    conventions: dict[str, Any] = {}
    if args.drops_per_ml is not None:
        conventions["drops_per_ml"] = args.drops_per_ml
    if args.teaspoon:
        conventions["teaspoon"] = args.teaspoon
    return conventions


def _read_request(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request is not UTF-8 text", title="Malformed JSON") from None
    except OSError as error:
        raise CliError(f"cannot read the request file {source!r}: {error.strerror}") from None
    try:
        return strict_json.loads(text)
    except ValueError as error:
        raise Problem(400, f"the request is not valid JSON: {error}", title="Malformed JSON") from None


def calc_request(args: argparse.Namespace) -> Any:
    """The request document: from --request, or built from the flags that mirror its fields."""
    if args.request:
        return _read_request(args.request)
    document: dict[str, Any] = {}
    if args.carrier is not None:
        document["carrier"] = args.carrier
    if args.amount is not None:
        document["amount"] = args.amount
    if args.dilution is not None:
        document["dilution"] = args.dilution
    if args.oil:
        document["oils"] = [_oil_parts(spec) for spec in args.oil]
    for key in ("use", "on_limit", "amount_of"):
        if getattr(args, key):
            document[key] = getattr(args, key)
    if profile := _profile(args):
        document["profile"] = profile
    if conventions := _conventions(args):
        document["conventions"] = conventions
    return document


def _num(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}"


def render_blend(result: dict[str, Any], title: str | None = None) -> str:
    """A readable recipe card for a terminal."""
    dilution = result["dilution"]
    carrier = result["carrier"]
    lines = []
    if title:
        lines.append(title)
    lines.append(
        f"{result['amount']['text']} ({_num(result['blend_ml'])} mL blend) at {_num(dilution['actual_percent'])} %"
        f" = {_num(dilution['drops_per_tsp'], 1)} drops per teaspoon of carrier"
        f"  [maximum {dilution['max_percent']:g} %: {', '.join(dilution['limited_by'])}]"
    )
    lines.append("")
    width = max([len("essential oil"), *(len(o["name"]) for o in result["essential_oils"])])
    lines.append(f"  {'essential oil':<{width}}  {'parts':>5}  {'drops':>5}  {'mL':>7}  {'%':>6}")
    for item in result["essential_oils"]:
        lines.append(
            f"  {item['name']:<{width}}  {item['parts']:>5g}  {item['drops']:>5}  {_num(item['ml']):>7}"
            f"  {_num(item['percent']):>6}"
        )
    total_ml = sum(item["ml"] for item in result["essential_oils"])
    lines.append(
        f"  {'total':<{width}}  {'':>5}  {result['total_drops']:>5}  {_num(total_ml):>7}"
        f"  {_num(dilution['actual_percent']):>6}"
    )
    lines.append(f"  carrier: {carrier['name']} {_num(carrier['ml'])} mL")
    if result["capped"]:
        lines.append(f"  capped: asked for {dilution['requested_percent']:g} %, lowered to fit every limit")
    if result["warnings"]:
        lines.append("")
        lines.append("Warnings:")
        for warning in result["warnings"]:
            lines.append(f"  [{warning['severity']}] {warning['code']}: {warning['message']}")
    return "\n".join(lines)


def render_problem(problem: dict[str, Any]) -> str:
    lines = [f"oil-blends: {problem['title'].lower()}: {problem['detail']}"]
    for warning in problem.get("warnings", []):
        if warning["severity"] != "danger":
            lines.append(f"  [{warning['severity']}] {warning['code']}: {warning['message']}")
    return "\n".join(lines)


def _recipes_command(args: argparse.Namespace) -> tuple[dict[str, Any] | list, str]:
    try:
        recipes = load_recipes()
    except RecipeError as error:
        raise CliError(str(error)) from None
    if not args.slug:
        listing = [recipe.summary() for recipe in recipes.values()]
        text = "\n".join(f"{r['slug']:<28} {r['name']} ({r['amount']}, {r['dilution'] or 'maximum'})" for r in listing)
        return listing, text
    recipe = recipes.get(args.slug)
    if recipe is None:
        raise CliError(f"unknown recipe {args.slug!r}; recipes: {', '.join(recipes)}")
    profile = _profile(args)
    document = recipe.request_document(
        amount=args.amount,
        profile=profile or None,
        conventions=_conventions(args) or None,
        on_limit=args.on_limit,
        amount_of=args.amount_of,
    )
    result = calculate_document(document, shipped_oils())
    return result, render_blend(result, f"{recipe.name}: {recipe.description}")


def run(argv: Sequence[str] | None = None) -> tuple[int, str, str]:
    """Run the command; return (exit status, standard output, standard error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        if args.command == "calc":
            result = calculate_document(calc_request(args), shipped_oils())
            text = render_blend(result)
        else:
            result, text = _recipes_command(args)
    except CliError as error:
        problem = invalid_request({"arguments": [str(error)]}, status=400)
        return _refusal(problem, as_json)
    except Problem as problem:
        return _refusal(problem, as_json)
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0), "", ""
    return EXIT_OK, (json.dumps(result, indent=2, ensure_ascii=False) if as_json else text) + "\n", ""


def _refusal(problem: Problem, as_json: bool) -> tuple[int, str, str]:
    document = problem.to_dict()
    if as_json:
        return EXIT_REFUSED, json.dumps(document, indent=2, ensure_ascii=False) + "\n", ""
    return EXIT_REFUSED, "", render_problem(document) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    status, out, err = run(argv)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
