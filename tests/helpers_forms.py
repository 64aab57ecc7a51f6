"""What a browser sends for a form on a page, read from the page's HTML (the web tests submit forms with it)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict


def form_values(page: BeautifulSoup | str, selector: str) -> MultiDict:
    """The form's inputs, checked boxes, chosen options and text areas, as a browser would send them."""
    soup = BeautifulSoup(page, "html.parser") if isinstance(page, str) else page
    form = soup.select_one(selector)
    assert form is not None, f"no {selector} on the page"
    values: MultiDict = MultiDict()
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name:
            continue
        if element.name == "input":
            kind = element.get("type", "text")
            if kind in ("checkbox", "radio"):
                if element.has_attr("checked"):
                    values.add(name, element.get("value", "on"))
            elif kind not in ("submit", "button"):
                values.add(name, element.get("value", ""))
        elif element.name == "select":
            option = element.find("option", selected=True) or element.find("option")
            values.add(name, option.get("value", option.get_text()))
        else:
            text = element.get_text()  # a browser drops the newline that starts a text area
            values.add(name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n"))
    return values
