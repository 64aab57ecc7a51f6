"""The web pages the tests visit: each kind of page, with a result and a refusal."""

from __future__ import annotations

RESULT_PAGE = (
    "/?carrier=sweet-almond&amount=30&unit=mL&oils-0-oil=lavender&oils-0-parts=2&oils-1-oil=peppermint"
    "&oils-1-parts=1&strength=safe&person-conditions=neuropathy&person-conditions=diabetes&person-age=68"
)
REFUSED_PAGE = "/?carrier=jojoba&amount=4&unit=fl+oz&oils-0-oil=lavender&oils-0-parts=1&strength=percent&percent=5"
INVALID_PAGE = "/?carrier=jojoba&amount=abc&unit=mL&oils-0-oil=lavender&oils-0-parts=x&strength=percent&percent="
CHECKED_PAGE = (
    "/check?carrier=jojoba&amount=10&unit=mL&oils-0-oil=lavender&oils-0-drops=30&oils-1-oil=bergamot"
    "&oils-1-drops=6&person-sun=yes"
)
RECIPE_PAGE = "/recipes/neuropathy-foot-oil?amount=4&unit=fl+oz&person-age=72"
PAGES = ("/", "/check", "/recipes", "/recipes/neuropathy-foot-oil", "/oils", "/oils/bergamot")
EVERY_PAGE = (*PAGES, RESULT_PAGE, REFUSED_PAGE, INVALID_PAGE, CHECKED_PAGE, RECIPE_PAGE, "/oils?q=lav", "/nothing")
