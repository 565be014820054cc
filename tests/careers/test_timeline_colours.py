"""The transition page's phase timeline tells phases apart by two alternating colours: each
must stand at least 3:1 against the other and against the page and card behind it (WCAG 1.4.11,
non-text contrast), in the light and the dark scheme."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()


def scheme(dark: bool) -> dict[str, str]:
    light_root = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    dark_start = CSS.index("@media (prefers-color-scheme: dark)")
    dark_root = CSS[dark_start : CSS.index("}", dark_start)]
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", light_root))
    if dark:
        colours.update(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", dark_root))
    return colours


def luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_worked_out_as_wcag_does():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_timeline_colours_stand_apart_from_each_other_and_the_page(dark):
    colours = scheme(dark)
    a, b = colours["seg-a"], colours["seg-b"]
    assert colours["bg"] != scheme(not dark)["bg"]  # the two schemes were both read
    assert contrast(a, b) >= 3, (a, b)
    for behind in (colours["bg"], colours["surface"]):
        assert contrast(a, behind) >= 3, (a, behind)
        assert contrast(b, behind) >= 3, (b, behind)
