"""``oil-blends``: calculate blends, scale recipes and look up oils and sources from the command line.

Uses the shipped catalog and recipes; the same request and response documents as the JSON API.
Exit status 0 for an answer, 2 for a refused or invalid request; ``check``: 0 safe, 2 not safe, 1 invalid input.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from oil_blends.documents import strict_json
from oil_blends.documents.calculator import (
    calculate_document,
    check_document,
    nest_flat_fields,
    recipe_error,
    recipe_errors,
    recipe_request,
)
from oil_blends.documents.catalog import (
    SOURCE_FIELDS,
    catalog_document,
    rules_document,
    shipped_oils,
    source_citation,
    source_registry,
)
from oil_blends.documents.problems import Problem, invalid_request
from oil_blends.documents.recipes import Recipe, RecipeError, load_recipes_collecting
from oil_blends.documents.search import CatalogIndex
from oil_blends.documents.wording import ALLERGEN_WORDS, CONTRAINDICATION_WORDS, error_lines, in_words
from oil_blends.engine import suggest_slugs
from oil_blends.engine.model import ALLERGIES, CONDITIONS, SKIN_TYPES, USES

EXIT_OK = 0
EXIT_INVALID = 1  # check: the input could not be read (calc reports it with EXIT_REFUSED)
EXIT_REFUSED = 2  # also check's "not safe"
KINDS = ("carrier", "essential")

# calc's flags that set a request field: not to be mixed with --request (dest -> the flag as typed)
BLEND_FLAGS = {
    "carrier": "--carrier",
    "amount": "--amount",
    "dilution": "--dilution",
    "oil": "--oil",
    "use": "--use",
    "age": "--age",
    "pregnant": "--pregnant",
    "skin": "--skin",
    "condition": "--condition",
    "allergy": "--allergy",
    "sun_exposure": "--sun/--no-sun",
    "drops_per_ml": "--drops-per-ml",
    "teaspoon": "--teaspoon",
    "on_limit": "--on-limit",
    "amount_of": "--amount-of",
}

RECIPES_EPILOG = """\
Without SLUG: lists every recipe that can be used; a recipe file that cannot (unreadable, an unknown oil,
an unsafe dilution) is reported on standard error, one line each, and the exit status is still 0 as long
as the folder could be listed (2 when it cannot). With SLUG: the recipe scaled to --amount and --use and
for the person described by the flags, who is added to the recipe's own profile (the strictest wins:
conditions and allergies united, the stricter skin, pregnant if either says so, of two ages the one with
the lower maximum); exit status 2 for a refused blend or a recipe that cannot be used, with the reason."""


class CliError(Exception):
    """A command-line mistake, reported like an invalid request."""


class _GivenOnce(argparse.Action):
    """A flag that takes one value: given twice it is refused, as the API refuses a repeated query parameter
    (``--age 2 --age 70`` must not quietly calculate for one of them)."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_given", set())
        if option_string is not None and self.dest in given:
            parser.error(f"{option_string} was given twice; give it once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """argparse, with every mistake a :class:`CliError`, no abbreviated flags (``--js`` is not ``--json``) and
    single-valued flags given once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "allow_abbrev": False})
        self.register("action", None, _GivenOnce)
        self.register("action", "store", _GivenOnce)

    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def _add_blend_flags(parser: argparse.ArgumentParser) -> None:
    _add_person_flags(parser)
    parser.add_argument("--on-limit", metavar="ACTION", help="reject (default) or cap a dilution above a limit")
    parser.add_argument(
        "--amount-of", metavar="WHAT", help="the amount is the finished blend (default) or the carrier you have"
    )
    _add_json_flag(parser)


def _add_person_flags(parser: argparse.ArgumentParser) -> None:
    """--use, the person and the measuring conventions (calc, recipes and check)."""
    parser.add_argument("--use", metavar="USE", help=" | ".join(USES))
    person = parser.add_argument_group("the person")
    person.add_argument("--age", metavar="YEARS", help="age in years (0.5 = six months)")
    person.add_argument("--pregnant", action="store_true", default=None)
    person.add_argument("--skin", metavar="SKIN", help=" | ".join(SKIN_TYPES))
    person.add_argument(
        "--condition", action="append", metavar="CONDITION", help="repeatable: " + ", ".join(CONDITIONS)
    )
    person.add_argument("--allergy", action="append", metavar="ALLERGY", help="repeatable: " + ", ".join(ALLERGIES))
    sun = person.add_mutually_exclusive_group()
    sun.add_argument(
        "--sun",
        dest="sun_exposure",
        action="store_true",
        default=None,
        help="the oiled skin will see sun or UV (the default assumption)",
    )
    sun.add_argument(
        "--no-sun",
        dest="sun_exposure",
        action="store_false",
        help="the oiled skin stays out of sun and UV for 18 hours",
    )
    conventions = parser.add_argument_group("conventions")
    conventions.add_argument("--drops-per-ml", metavar="N", help="your dropper (standard 20)")
    conventions.add_argument("--teaspoon", metavar="SYSTEM", help="metric (5 mL, default) | us")


def _add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the API's JSON instead of text")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oil-blends", description="Massage-oil blends in whole drops, with safety warnings.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    calc = commands.add_parser("calc", help="calculate a blend", description="Calculate a blend in whole drops.")
    calc.add_argument(
        "--request",
        metavar="FILE",
        help="the API's request JSON from FILE, or - for standard input (no other blend flags)",
    )
    calc.add_argument("--carrier", help="carrier oil slug, e.g. sweet-almond")
    calc.add_argument("--amount", help="batch size with its unit, e.g. '30 mL', '1 fl oz', '2 tbsp'")
    calc.add_argument("--dilution", help="'2%%', '2', '1 drop per teaspoon', '12 drops per fl oz'")
    calc.add_argument("--oil", action="append", metavar="SLUG[:PARTS]", help="repeatable, e.g. lavender:2")
    _add_blend_flags(calc)

    check = commands.add_parser(
        "check",
        help="check a blend you already made",
        description="Check a blend already made: its strength against every limit for the use and the person, "
        "every warning, and when it is too strong, how much carrier to add or how many drops to use next time. "
        "Exit status 0 when it is safe, 2 when it is not, 1 when the input cannot be read.",
    )
    check.add_argument("--carrier", help="the carrier oil's slug, e.g. jojoba")
    check.add_argument("--amount", help="the carrier you used, with its unit, e.g. '30 mL', '2 fl oz'")
    check.add_argument("--oil", action="append", metavar="SLUG:DROPS", help="repeatable, e.g. lavender:12")
    _add_person_flags(check)
    _add_json_flag(check)
    check.set_defaults(on_limit=None, amount_of=None)

    recipes = commands.add_parser(
        "recipes",
        help="list or scale the shipped recipes",
        epilog=RECIPES_EPILOG,
        description="List the shipped recipes, or scale one to a batch, a use and a person.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    recipes.add_argument("slug", nargs="?", help="a recipe to scale; omit to list them")
    recipes.add_argument("--amount", help="scale to this batch size, e.g. '4 fl oz'")
    _add_blend_flags(recipes)

    oils = commands.add_parser(
        "oils",
        help="list, search or look up catalog oils",
        description="Without QUERY: every oil. QUERY that is an oil's slug: that oil's safety data in words. "
        "Any other QUERY: the oils whose slug, name or botanical name contain it.",
    )
    oils.add_argument("query", nargs="?", metavar="QUERY", help="an oil's slug, or words to search for")
    oils.add_argument("--kind", choices=KINDS, help="only carrier or only essential oils")
    _add_json_flag(oils)

    sources = commands.add_parser("sources", help="list the sources the safety data cites, or show one")
    sources.add_argument("key", nargs="?", metavar="KEY", help="a source key, e.g. TY")
    _add_json_flag(sources)
    return parser


# --- calc -----------------------------------------------------------------------------------------


def _oil_parts(spec: str) -> dict[str, Any]:
    slug, separator, parts = spec.partition(":")
    return {"oil": slug.strip(), "parts": parts.strip()} if separator else {"oil": slug.strip()}


def flat_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The request fields the flags set, flat (None where a flag was not given)."""
    return {
        "carrier": getattr(args, "carrier", None),
        "amount": args.amount,
        "dilution": getattr(args, "dilution", None),
        "oils": [_oil_parts(spec) for spec in args.oil] if getattr(args, "oil", None) else None,
        "use": args.use or None,
        "on_limit": args.on_limit or None,
        "amount_of": args.amount_of or None,
        "age_years": args.age,
        "pregnant": args.pregnant or None,
        "skin": args.skin or None,
        "conditions": args.condition or None,
        "allergies": args.allergy or None,
        "sun_exposure": args.sun_exposure,
        "drops_per_ml": args.drops_per_ml,
        "teaspoon": args.teaspoon or None,
    }


def _read_request(source: str) -> Any:
    """The request document, read as the API reads a body: bytes, in UTF-8, -16 or -32, a BOM allowed."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as error:
        raise CliError(f"cannot read the request file {source!r}: {error.strerror}") from None
    if not data.strip():
        raise Problem(
            400, "the request is empty; give a JSON object with carrier, amount and oils", title="Empty request"
        )
    try:
        return strict_json.loads(data)
    except ValueError as error:
        raise Problem(400, f"the request is not valid JSON: {error}", title="Malformed JSON") from None


def calc_request(args: argparse.Namespace) -> Any:
    """The request document: from --request, or built from the flags that mirror its fields."""
    if args.request:
        conflicting = [flag for dest, flag in BLEND_FLAGS.items() if getattr(args, dest, None) not in (None, [])]
        if conflicting:
            raise CliError(
                f"--request cannot be combined with {', '.join(conflicting)}: "
                "give those fields in the request document instead"
            )
        return _read_request(args.request)
    return nest_flat_fields(flat_fields(args))


# --- check ---------------------------------------------------------------------------------------


def _oil_drops(spec: str) -> dict[str, Any]:
    slug, _, drops = spec.partition(":")
    try:
        count = int(drops.strip())
    except ValueError:
        raise CliError(f"--oil {spec}: give the oil and its drops as SLUG:DROPS, e.g. lavender:12") from None
    return {"oil": slug.strip(), "drops": count}


def check_request(args: argparse.Namespace) -> dict[str, Any]:
    """The check document built from the flags."""
    flat = flat_fields(args)
    flat["oils"] = [_oil_drops(spec) for spec in args.oil] if args.oil else None
    return nest_flat_fields(flat)


def _check_command(args: argparse.Namespace) -> tuple[int, Answer]:
    result = check_document(check_request(args), shipped_oils())
    return (EXIT_OK if result["safe"] else EXIT_REFUSED), Answer(result, render_check(result))


def render_check(result: dict[str, Any]) -> str:
    """A blend already made, checked, for a terminal: the oils, the strength against the maximum, every
    warning and the remedy."""
    dilution = result["dilution"]
    carrier = result["carrier"]
    amount = result["amount"]["text"]
    in_ml = "" if amount.endswith("mL") else f" ({_num(carrier['ml'])} mL)"
    lines = [
        f"{amount} of {carrier['name']}{in_ml} + {result['total_drops']} drops of essential oil"
        f" = {_num(result['blend_ml'])} mL blend at {_num(dilution['percent'])} %"
        f" = {_num(dilution['drops_per_tsp'], 1)} drops per teaspoon of carrier",
        _limit_line(dilution),
        _conventions_line(result),
        "",
    ]
    width = max([len("essential oil"), *(len(o["name"]) for o in result["essential_oils"])])
    lines.append(f"  {'essential oil':<{width}}  {'drops':>5}  {'mL':>7}  {'%':>6}  {'max %':>6}")
    for item in result["essential_oils"]:
        maximum = "" if item["max_percent"] is None else f"{item['max_percent']:g}"
        lines.append(
            f"  {item['name']:<{width}}  {item['drops']:>5}  {_num(item['ml']):>7}  {_num(item['percent']):>6}"
            f"  {maximum:>6}"
        )
    lines.append(
        f"  {'total':<{width}}  {result['total_drops']:>5}  {_num(result['essential_oil_ml']):>7}"
        f"  {_num(dilution['percent']):>6}  {dilution['allowed_percent']:>6g}"
    )
    lines += ["", result["message"]]
    if result["warnings"]:
        lines += ["", "Warnings:"]
        lines += [f"  [{w['severity']}] {w['code']}: {w['message']}" for w in result["warnings"]]
    if result["remedy"]:
        lines += ["", "What to do:"]
        lines += [f"  {advice}" for advice in result["remedy"]["advice"]]
    return "\n".join(lines)


# --- rendering --------------------------------------------------------------------------------------


def _num(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}"


def rule_labels() -> dict[str, str]:
    """Each dilution rule's id and its label in words (``rules.toml``)."""
    return {rule["id"]: rule.get("label") or rule["id"] for rule in rules_document()["rules"]}


def _limit_line(dilution: Mapping[str, Any]) -> str:
    labels = rule_labels()
    reasons = "; ".join(labels.get(rule_id, rule_id) for rule_id in dilution["limited_by"])
    return f"Maximum {dilution['max_percent']:g} %, set by: {reasons or 'the use'}"


def _conventions_line(result: Mapping[str, Any]) -> str:
    conventions = result["conventions"]
    system = "US" if conventions["teaspoon"] == "us" else "metric"
    own = [
        f"{item['name']} {item['drops_per_ml']:g}"
        for item in result["essential_oils"]
        if item.get("drops_per_ml") not in (None, conventions["drops_per_ml"])
    ]
    own_text = f" ({', '.join(own)} drops per mL by their own measure)" if own else ""
    return (
        f"Measured with {conventions['drops_per_ml']:g} drops per mL{own_text} and a {system} teaspoon"
        f" of {conventions['teaspoon_ml']:.3g} mL"
    )


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
    )
    lines.append(_limit_line(dilution))
    lines.append(_conventions_line(result))
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


def render_problem(problem: dict[str, Any], flags: bool = False) -> str:
    """A problem document in a person's words: each field error named as a person (or the flag) would."""
    errors = problem.get("errors")
    if errors:
        lines = error_lines(errors, flags)
        if len(lines) == 1:
            return f"oil-blends: {lines[0]}"
        return "\n".join(["oil-blends: the request is not valid:", *(f"  {line}" for line in lines)])
    lines = [f"oil-blends: {problem['title'].lower()}: {problem['detail']}"]
    for warning in problem.get("warnings", []):
        if warning["severity"] != "danger":
            lines.append(f"  [{warning['severity']}] {warning['code']}: {warning['message']}")
    return "\n".join(lines)


def _not_found(detail: str) -> Problem:
    return Problem(404, detail, title="Not found")


class Answer:
    """What a command prints: the JSON document, its text, and notes for standard error."""

    def __init__(self, document: Any, text: str, notes: Sequence[str] = ()):
        self.document = document
        self.text = text
        self.notes = list(notes)


# --- recipes ------------------------------------------------------------------------------------------


def _recipes_command(args: argparse.Namespace) -> Answer:
    try:
        recipes, unreadable = load_recipes_collecting()
    except RecipeError as error:
        raise CliError(str(error)) from None
    catalog = shipped_oils()
    if not args.slug:
        invalid = {**unreadable, **recipe_errors(recipes, catalog)}
        listing = [recipe.summary() for slug, recipe in recipes.items() if slug not in invalid]
        text = "\n".join(f"{r['slug']:<28} {r['name']} ({r['amount']}, {r['dilution'] or 'maximum'})" for r in listing)
        notes = [f"oil-blends: invalid recipe: {invalid[slug]}" for slug in sorted(invalid)]
        return Answer(listing, text, notes)
    recipe = recipes.get(args.slug)
    error = unreadable.get(args.slug) or (recipe_error(recipe, catalog) if recipe else None)
    if error is not None:
        raise Problem(422, str(error), title="Invalid recipe")
    if recipe is None:
        known = sorted([*recipes, *unreadable])
        close = difflib.get_close_matches(args.slug, known, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else f"recipes: {', '.join(known)}"
        raise _not_found(f"unknown recipe {args.slug!r}; {hint}")
    return _scaled_recipe(recipe, args)


def _scaled_recipe(recipe: Recipe, args: argparse.Namespace) -> Answer:
    result = calculate_document(recipe_request(recipe, flat_fields(args)), shipped_oils())
    return Answer(result, render_blend(result, f"{recipe.name}: {recipe.description}"))


# --- oils ---------------------------------------------------------------------------------------------


def catalog_entries() -> list[dict[str, Any]]:
    return list(catalog_document()["oils"])


def catalog_index() -> CatalogIndex:
    """The shipped catalog in the index ``GET /api/v1/oils`` searches: the same oils, in the same (name) order."""
    return CatalogIndex(catalog_entries())


def _registry() -> dict[str, dict[str, Any]]:
    """The source registry, or nothing while it cannot be read (then sources show as their keys)."""
    try:
        return source_registry()
    except (OSError, ValueError):
        return {}


def resolved_sources(keys: Sequence[str]) -> list[dict[str, Any]]:
    """Source keys as ``{key, title, publisher, url, citation}`` objects (None where the key is not known)."""
    registry = _registry()
    return [{"key": key, **{name: (registry.get(key) or {}).get(name) for name in SOURCE_FIELDS}} for key in keys]


def _source_line(source: Mapping[str, Any]) -> str:
    known = any(source.get(name) for name in SOURCE_FIELDS)
    return f"{source['key']}: {source_citation(source)}" if known else str(source["key"])


def _oils_command(args: argparse.Namespace) -> Answer:
    index = catalog_index()
    query = (args.query or "").strip()
    exact = next((entry for entry in index.entries if entry["slug"] == query), None)
    if exact is not None and args.kind in (None, exact["kind"]):
        document = {**exact, "sources": resolved_sources(exact.get("sources") or [])}
        return Answer(document, render_oil(document))
    found = [index.entries[position] for position in index.select(args.kind, query or None)]
    if not found:
        suggestions = suggest_slugs(query, shipped_oils(), args.kind)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; `oil-blends oils` lists them all"
        kind = f"{args.kind} " if args.kind else ""
        raise _not_found(f"no {kind}oil matches {query!r}{hint}")
    width = max(len(entry["slug"]) for entry in found)
    name_width = max(len(entry["name"]) for entry in found)
    text = "\n".join(
        f"{e['slug']:<{width}}  {e['name']:<{name_width}}  {e['kind']:<9}  {e.get('botanical_name') or ''}".rstrip()
        for e in found
    )
    return Answer(found, text)


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def render_oil(entry: Mapping[str, Any]) -> str:
    """One oil's safety data in words."""
    essential = entry["kind"] == "essential"
    lines = [f"{entry['name']} ({entry['slug']})"]
    if entry.get("description"):
        lines.append(entry["description"])
    lines.append("")
    rows: list[tuple[str, str]] = [
        ("kind", "essential oil" if essential else "carrier oil"),
        ("botanical name", entry.get("botanical_name") or "not given"),
        ("variant", entry.get("variant") or "none"),
    ]
    if essential or entry.get("max_dermal_percent") is not None:
        maximum = entry.get("max_dermal_percent")
        if maximum is None:
            rows.append(("maximum on skin", "no oil-specific maximum: the person's and the use's limits apply"))
        else:
            reason = entry.get("max_dermal_reason")
            rows.append(("maximum on skin", f"{maximum:g} % of the blend" + (f"; why: {reason}" if reason else "")))
    phototoxic = entry.get("phototoxic_max_percent")
    if phototoxic is not None:
        rows.append(
            (
                "phototoxic",
                f"at most {phototoxic:g} % of the blend when the oiled skin may see sun or UV within 18 hours",
            )
        )
    elif essential:
        rows.append(("phototoxic", "no"))
    never = [in_words(code, CONTRAINDICATION_WORDS) for code in entry.get("contraindications") or ()]
    rows.append(("not for", "; ".join(never) or "no one known"))
    care = [in_words(code, CONTRAINDICATION_WORDS) for code in entry.get("cautions") or ()]
    if care:
        rows.append(("take care with", "; ".join(care)))
    allergens = [in_words(code, ALLERGEN_WORDS) for code in entry.get("allergens") or ()]
    rows.append(("allergens", "; ".join(allergens) or "none known"))
    if essential:
        rows.append(("skin sensitizer", _yes_no(entry.get("sensitizer"))))
    shelf = entry.get("shelf_life_months")
    shelf_text = f"use within {shelf} months" if shelf else "shelf life not given"
    rows.append(("oxidizes", f"{_yes_no(entry.get('oxidizes'))}; {shelf_text}"))
    drops = entry.get("drops_per_ml")
    rows.append(
        (
            "drop size",
            f"{drops:g} drops per mL (measured for this oil)"
            if drops is not None
            else "20 drops per mL (the standard dropper; not measured for this oil)",
        )
    )
    comedogenic = entry.get("comedogenic")
    if comedogenic is not None or not essential:
        rows.append(("comedogenic rating", f"{comedogenic} of 5" if comedogenic is not None else "not rated"))
    solid = entry.get("solid_below_c")
    if solid is not None:
        rows.append(("solid", f"below {solid:g} °C"))
    width = max(len(label) for label, _ in rows)
    lines += [f"  {label + ':':<{width + 1}} {value}" for label, value in rows]
    sources = entry.get("sources") or []
    if sources:
        lines.append("")
        lines.append("Sources:")
        lines += [f"  {_source_line(source)}" for source in sources]
    return "\n".join(lines)


# --- sources ------------------------------------------------------------------------------------------


def _sources_command(args: argparse.Namespace) -> Answer:
    registry = _registry()
    if not registry:
        raise CliError("the source registry (data/sources.toml) cannot be read")
    if not args.key:
        listing = [{"key": key, **entry} for key, entry in registry.items()]
        width = max(len(key) for key in registry)
        return Answer(listing, "\n".join(f"{s['key']:<{width}}  {source_citation(s)}" for s in listing))
    by_lower = {key.lower(): key for key in registry}
    key = args.key if args.key in registry else by_lower.get(args.key.lower())
    if key is None:
        close = difflib.get_close_matches(args.key, list(registry), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `oil-blends sources` lists them all"
        raise _not_found(f"unknown source {args.key!r}{hint}")
    source = {"key": key, **registry[key]}
    rows = [(name, source.get(name)) for name in ("title", "publisher", "url", "citation") if source.get(name)]
    text = "\n".join([key, *(f"  {name + ':':<10} {value}" for name, value in rows)])
    return Answer(source, text)


# --- running --------------------------------------------------------------------------------------------


COMMANDS = {"recipes": _recipes_command, "oils": _oils_command, "sources": _sources_command}


def run(argv: Sequence[str] | None = None) -> tuple[int, str, str]:
    """Run the command; return (exit status, standard output, standard error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    flags = True  # field errors are named by the flags that set them, unless the request came from a file
    try:
        args = build_parser().parse_args(argv)
        flags = not getattr(args, "request", None)
        status = EXIT_OK
        if args.command == "calc":
            result = calculate_document(calc_request(args), shipped_oils())
            answer = Answer(result, render_blend(result))
        elif args.command == "check":
            status, answer = _check_command(args)
        else:
            answer = COMMANDS[args.command](args)
    except CliError as error:
        if as_json:
            return _refusal(invalid_request({"arguments": [str(error)]}, status=400), as_json, flags, argv)
        return _refused_status(argv), "", f"oil-blends: {error}\n"
    except Problem as problem:
        return _refusal(problem, as_json, flags, argv)
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0), "", ""
    out = json.dumps(answer.document, indent=2, ensure_ascii=False) if as_json else answer.text
    return status, out + "\n", "".join(f"{note}\n" for note in answer.notes)


def _refused_status(argv: Sequence[str]) -> int:
    """check tells bad input (1) from a blend that is not safe (2); the other commands answer 2 for both."""
    return EXIT_INVALID if argv[:1] == ["check"] else EXIT_REFUSED


def _refusal(problem: Problem, as_json: bool, flags: bool, argv: Sequence[str] = ()) -> tuple[int, str, str]:
    document = problem.to_dict()
    if as_json:
        return _refused_status(argv), json.dumps(document, indent=2, ensure_ascii=False) + "\n", ""
    return _refused_status(argv), "", render_problem(document, flags) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    status, out, err = run(argv)
    sys.stdout.write(out)
    sys.stderr.write(err)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
