"""Reflow (WCAG 1.4.10, 1.4.4): a page at 320 CSS px must not scroll sideways under any of the
product's text sizes and contrasts, nor with the browser's own text at 200 % on top of them.

The settings only put classes on <html> (`text-large contrast-high`), and the browser's text
size only changes the root font size, so one page already open is measured in every
combination by switching those in place: no page is fetched again per combination.
"""

from __future__ import annotations

from itertools import product

from playwright.sync_api import Page

from assistant.prefs import CONTRASTS, TEXT_SIZES

# (text size, contrast, browser text %): the whole matrix, the product's own settings first.
MATRIX = [
    {"size": size, "contrast": contrast, "zoom": zoom}
    for zoom, size, contrast in product((100, 200), TEXT_SIZES, CONTRASTS)
]

# For each combination: the document's width, and when it is too wide the elements that stick
# out furthest (what to fix). The browser's text at 200 % doubles the default font size, which
# the product's own size class then scales: as 200 % in the browser's settings does.
MEASURE = """(matrix) => {
  const root = document.documentElement;
  const before = {classes: root.className, font: root.style.fontSize};
  const wide = [];
  for (const combo of matrix) {
    root.style.fontSize = '';
    root.className = before.classes.split(' ').filter(c => !/^(text|contrast)-/.test(c))
      .concat(['text-' + combo.size, 'contrast-' + combo.contrast]).join(' ');
    if (combo.zoom !== 100) {
      root.style.fontSize = (parseFloat(getComputedStyle(root).fontSize) * combo.zoom / 100) + 'px';
    }
    const width = root.scrollWidth;
    if (width > window.innerWidth) {
      const culprits = [...document.querySelectorAll('body *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5
                     && !e.closest('.visually-hidden, .skip-link'))
        .map(e => `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || '').trim().slice(0, 30)}"`
                  + ` ${Math.round(e.getBoundingClientRect().right)}px`);
      wide.push({...combo, width, culprits: culprits.slice(-4)});
    }
  }
  root.className = before.classes;
  root.style.fontSize = before.font;
  return wide;
}"""


def sideways(page: Page) -> list[str]:
    """Every combination in which the page, as it is now, is wider than the window."""
    return [
        f"text {w['size']}, contrast {w['contrast']}, browser text {w['zoom']} %: "
        f"{w['width']} px wide: {'; '.join(w['culprits'])}"
        for w in page.evaluate(MEASURE, MATRIX)
    ]
