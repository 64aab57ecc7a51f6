"""``flask --app app`` commands for the catalog: seed, export-oils, import-oils."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from oil_blends.storage.oils import all_entries, source_entries
from oil_blends.storage.seed import CatalogError, load_catalog, seed_if_new


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the shipped catalog into a database that has never been seeded."""
    if seed_if_new():
        click.echo("seeded the shipped catalog")
    else:
        click.echo("the database was already seeded; use import-oils to load entries again")


@click.command("export-oils")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@with_appcontext
def export_oils_command(file) -> None:
    """Write the catalog as JSON (the shape import-oils reads) to FILE, or standard output."""
    document = {"sources": source_entries(), "oils": all_entries()}
    json.dump(document, file, indent=2, ensure_ascii=False)
    file.write("\n")


@click.command("import-oils")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@with_appcontext
def import_oils_command(file) -> None:
    """Create or update oils from a JSON FILE ({"oils": [...]} or a list); every entry is validated first."""
    try:
        document = json.load(file)
    except ValueError as error:
        raise click.ClickException(f"{file.name}: not valid JSON: {error}") from None
    try:
        created, updated = load_catalog(document, author="import")
    except CatalogError as error:
        click.echo(f"{file.name}: nothing imported: {error}", err=True)
        sys.exit(2)
    click.echo(f"{created} oils created, {updated} updated")


catalog_commands = (seed_command, export_oils_command, import_oils_command)
