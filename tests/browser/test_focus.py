"""WCAG 1.4.11: the keyboard focus ring contrasts at least 3:1 with the background it is drawn on."""
import pytest

from reports.models import Edition
from tests.accessibility_results import record
from tests.factories import make_edition, make_track_year

# For the focused element: its outline colour, the first opaque background just outside the ring
# (the ring is drawn outside the element, so its own background does not count), and their ratio.
FOCUS_CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const el = document.activeElement;
  const style = getComputedStyle(el);
  // What lies just outside the ring (not the DOM parent: the skip link floats over the header).
  const rect = el.getBoundingClientRect();
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) + 2;
  const x = rect.left - reach >= 0 ? rect.left - reach : rect.right + reach;
  const stack = document.elementsFromPoint(x, rect.top + rect.height / 2).filter(n => n !== el && !el.contains(n));
  let bg = 'rgb(255, 255, 255)';
  for (const node of stack) {
    const b = getComputedStyle(node).backgroundColor;
    const parts = rgb(b);
    if (parts.length === 3 || (parts.length === 4 && parts[3] > 0)) { bg = b; break; }
  }
  const [l1, l2] = [lum(rgb(style.outlineColor)), lum(rgb(bg))].sort((a, b) => b - a);
  return {element: el.outerHTML.slice(0, 60), outline: style.outlineStyle, ratio: (l1 + 0.05) / (l2 + 0.05)};
}"""


@pytest.mark.django_db(transaction=True)
def test_focus_ring_contrasts_3_to_1_on_header_cover_and_page(_live_server_plain_http, live_server, page_at):
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, number="1.1", report_text="<p>Over de Rechtenverkenner.</p>")
    page = page_at(1280)

    weak = []
    for path in ("/jaarverslag/2024/", "/"):  # header, cover, table of contents, text; the edition cards
        page.goto(live_server.url + path)
        weak_here = []
        for _ in range(14):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_CONTRAST_JS)
            if focus["outline"] == "none" or focus["ratio"] < 3:
                weak_here.append(f"{path} {focus['element']}: {focus['outline']} {focus['ratio']:.2f}:1")
        record("focus", path, passed=not weak_here)
        weak += weak_here
    assert not weak, "\n".join(weak)
