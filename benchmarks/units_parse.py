"""How long parsing an amount string takes: pint 0.25 directly versus oil_blends.documents.units (memoised).

Run: python benchmarks/units_parse.py
"""

from __future__ import annotations

import statistics
import time

from oil_blends.documents.units import parse_amount, parse_volume, registry

AMOUNTS = ["30 mL", "1 fl oz", "2 tbsp", "4 fl oz", "600 drops", "0.5 cup", "1 gallon", "15 cL"]
# The same amounts as pint must be given them ("1 fl oz" means femtolitre x ounce to pint).
PINT_SPELLINGS = ["30 mL", "1 floz", "2 tbsp", "4 floz", "600 drop", "0.5 cup", "1 gallon", "15 cL"]
ROUNDS = 2000


def per_call_us(function, values, rounds):
    """Median over 5 runs of the mean microseconds per call."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            for value in values:
                function(value)
        runs.append((time.perf_counter() - start) / (rounds * len(values)) * 1e6)
    return statistics.median(runs)


def main() -> None:
    ureg = registry()
    ureg.Quantity("30 mL")  # warm pint's own caches as far as they go
    pint_us = per_call_us(lambda text: ureg.Quantity(text).to("mL"), PINT_SPELLINGS, ROUNDS // 10)
    parse_volume.cache_clear()
    start = time.perf_counter()
    for text in AMOUNTS:
        parse_amount(text)
    first_us = (time.perf_counter() - start) / len(AMOUNTS) * 1e6
    repeat_us = per_call_us(parse_amount, AMOUNTS, ROUNDS)
    print(f"strings: {', '.join(AMOUNTS)}")
    print(f"pint Quantity(text).to('mL'), every call:      {pint_us:9.2f} us per string")
    print(f"oil_blends parse_amount, first sight (mixed):  {first_us:9.2f} us per string")
    print(f"oil_blends parse_amount, repeated string:      {repeat_us:9.2f} us per string")
    print(f"speed-up on a repeated string: {pint_us / repeat_us:.0f}x")


if __name__ == "__main__":
    main()
