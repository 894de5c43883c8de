"""Drive a page with the keyboard alone, as a person without a mouse would.

Only key presses act on the page (`page.keyboard.press`, `page.keyboard.type`): Tab and
Shift+Tab to move, Enter and Space to press, arrow keys, typing. Where the focus is comes from
`document.activeElement` (reading only: nothing here calls `click`, `fill`, `focus` or `check`).
Each move checks that the focused element shows a focus indicator (WCAG 2.4.7): a computed
outline or box shadow that is not none, not zero-width and not transparent.

    tab_to(page, "IIN")                            # Tab until the field labelled "IIN" has focus
    type_into(page, "Date of birth", "1990-05-17")  # date inputs: typed in the locale's order
    toggle_checkbox(page, "I agree")                # Space
    choose_radio(page, "Self-nominated")            # Tab into the group, then ArrowDown
    choose_option(page, "Party", "Amanat")          # Home, then ArrowDown on the closed select
    with page.expect_navigation():
        press_button(page, "Find my precinct")      # Enter (or key=" " for Space)
    follow_link(page, "Русский")

Names are matched after collapsing white space: a field's label, or a control's accessible
name (aria-labelledby, aria-label, its text, an input button's value, its title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page

MAX_PRESSES = 60
"""Tab presses before `tab_to` gives up (more than any page of the site has tab stops)."""

_FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const text = node => (node ? (node.innerText ?? node.textContent ?? '') : '').replace(/\s+/g, ' ').trim();
  let name = '';
  if (el.getAttribute('aria-labelledby'))
    name = el.getAttribute('aria-labelledby').split(/\s+/).map(id => text(document.getElementById(id))).join(' ');
  if (!name) name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = Array.from(el.labels).map(text).join(' ');
  if (!name && el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type)) name = el.value;
  if (!name && !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) name = text(el);
  if (!name) name = el.getAttribute('title') || '';
  const tag = el.tagName.toLowerCase();
  const role = el.getAttribute('role') ||
    (tag === 'a' && el.hasAttribute('href') ? 'link' :
     tag === 'button' || (tag === 'input' && ['submit', 'button', 'reset'].includes(el.type)) ? 'button' :
     ['input', 'select', 'textarea'].includes(tag) ? 'field' : tag);
  const style = getComputedStyle(el);
  const opaque = color => !/^transparent$|rgba\([^)]*,\s*0\)$/.test(color.trim());
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && opaque(style.outlineColor);
  const shadow = style.boxShadow !== 'none' &&
    (style.boxShadow.match(/rgba?\([^)]*\)/g) || ['rgb(0, 0, 0)']).some(opaque);
  const box = el.getBoundingClientRect();
  return {name: name.replace(/\s+/g, ' ').trim(), tag, role, type: el.getAttribute('type') || '',
          id: el.id, pressed: el.getAttribute('aria-pressed'), value: 'value' in el ? String(el.value) : '',
          checked: ['checkbox', 'radio'].includes(el.type) ? el.checked : null,
          group: el.getAttribute('name') || '',
          selected: el.tagName === 'SELECT' ? Array.from(el.selectedOptions, o => text(o)).join(', ') : null,
          indicator: outline ? `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`
                             : shadow ? `box-shadow ${style.boxShadow}` : '',
          inViewport: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth};
}"""


@dataclass(frozen=True)
class Focus:
    name: str
    tag: str
    role: str
    """link, button, field (input, select, textarea), an explicit role, or else the tag."""
    type: str
    id: str
    pressed: str | None
    value: str
    checked: bool | None
    """For a checkbox or radio button: whether it is checked."""
    group: str
    """The `name` attribute (a radio button's group)."""
    selected: str | None
    """For a select: the text of the selected option(s)."""
    indicator: str
    """How the focus shows ("outline solid 3px …", "box-shadow …"); empty if it does not."""
    inViewport: bool  # noqa: N815  (the name of the JavaScript object's field)

    def __str__(self) -> str:
        return f"<{self.tag}{' #' + self.id if self.id else ''}> {self.role} “{self.name}”"


def focused(page: Page) -> Focus | None:
    """The element that has the keyboard focus, or None (the document itself)."""
    found = page.evaluate(_FOCUSED)
    return Focus(**found) if found else None


def assert_focus_visible(page: Page) -> Focus:
    """The focused element, after checking that it shows a focus indicator and is on screen."""
    focus = focused(page)
    assert focus is not None, f"{page.url}: nothing has the focus"
    assert focus.indicator, f"{page.url}: the focus on {focus} is invisible (no outline, no box shadow)"
    assert focus.inViewport, f"{page.url}: the focused {focus} is off screen"
    return focus


def press(page: Page, key: str) -> Focus | None:
    """Press `key` ("Tab", "Shift+Tab", "Enter", " ", "ArrowDown", …); the focus afterwards
    (None when Tab has left the page for the browser's own controls, as after the last stop).
    An element that Tab lands on must show its focus."""
    page.keyboard.press(key)
    if key in ("Tab", "Shift+Tab") and focused(page) is not None:
        return assert_focus_visible(page)
    return focused(page)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tab_to(page: Page, name: str, *, role: str | None = None, backwards: bool = False,
           limit: int = MAX_PRESSES) -> Focus:
    """Press Tab (or Shift+Tab) until the element named `name` (and of `role`, if given: "link",
    "button", "field", …) has the focus; fails after `limit` presses, listing the stops."""
    want = _norm(name)
    stops: list[str] = []
    for _ in range(limit):
        focus = press(page, "Shift+Tab" if backwards else "Tab")
        if focus is None:
            if "(out of the page)" in stops:
                break  # twice round: it is not there
            stops.append("(out of the page)")
            continue
        if focus.name == want and (role is None or focus.role == role):
            return focus
        if not stops or stops[-1] != str(focus):  # a date input's fields are one element
            stops.append(str(focus))
    raise AssertionError(f"{page.url}: no {role or 'element'} named “{want}” reached with "
                         f"{'Shift+Tab' if backwards else 'Tab'}; the focus went to:\n  "
                         + "\n  ".join(stops))


_LOCALE_ORDER = """() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2001, 1, 3))
                     .map(part => part.type).filter(type => ['day', 'month', 'year'].includes(type))"""
_DATE_ORDERS = (("month", "day", "year"), ("day", "month", "year"), ("year", "month", "day"))


def _type_date(page: Page, text: str) -> None:
    """Type an ISO date into the focused date input, field by field. The fields' order is the
    browser's (Chromium follows its own UI language, not the page's locale): if the locale's
    order does not give `text`, go back to the first field (Shift+Tab twice: each field is a
    stop) and type the next order."""
    year, month, day = text.split("-")
    parts = {"year": year, "month": month, "day": day}
    orders = list(dict.fromkeys((tuple(page.evaluate(_LOCALE_ORDER)), *_DATE_ORDERS)))
    for attempt, order in enumerate(orders):
        if attempt:
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Shift+Tab")
        for part in order:
            page.keyboard.type(parts[part])
        if page.evaluate("() => document.activeElement.value") == text:
            return


def type_into(page: Page, label: str, text: str) -> Focus:
    """Tab to the field labelled `label`, clear it (Ctrl+A, Backspace) and type `text`.

    For a date input give `text` as YYYY-MM-DD: it is typed field by field (day, month and year
    in the order the browser shows them), as a person would."""
    focus = tab_to(page, label, role="field")
    if focus.type == "date":
        _type_date(page, text)
    else:
        page.keyboard.press("Control+a")
        page.keyboard.press("Backspace")
        page.keyboard.type(text)
    after = focused(page)
    assert after is not None and after.value == text, (
        f"{page.url}: typed “{text}” into {focus}, which now holds “{after.value if after else None}”")
    return after


def press_button(page: Page, name: str, *, key: str = "Enter") -> Focus:
    """Tab to the button named `name` and press it (Enter, or " " for Space)."""
    focus = tab_to(page, name, role="button")
    page.keyboard.press(key)
    return focus


def toggle_checkbox(page: Page, label: str, *, checked: bool = True) -> Focus:
    """Tab to the checkbox labelled `label` and press Space if it is not `checked` yet."""
    focus = tab_to(page, label, role="field")
    assert focus.checked is not None, f"{page.url}: {focus} is no checkbox"
    if focus.checked != checked:
        page.keyboard.press(" ")
    after = focused(page)
    assert after is not None and after.checked == checked, f"{page.url}: {focus} did not toggle"
    return after


def choose_radio(page: Page, label: str, *, limit: int = 20) -> Focus:
    """Choose the radio button labelled `label`: Tab into its group (Tab stops once per group,
    on the checked button or else the first), then ArrowDown until it is checked."""
    group = page.evaluate("""label => { const found = Array.from(document.querySelectorAll('input[type=radio]'))
                                          .find(r => Array.from(r.labels, l => l.innerText.replace(/\\s+/g, ' ').trim())
                                                        .includes(label));
                                        return found ? found.name : null; }""", _norm(label))
    assert group, f"{page.url}: no radio button labelled “{label}”"
    for _ in range(MAX_PRESSES):
        focus = press(page, "Tab")
        if focus is not None and focus.type == "radio" and focus.group == group:
            break
    else:
        raise AssertionError(f"{page.url}: Tab never reached the radio group “{group}”")
    for _ in range(limit):
        if focus is not None and focus.name == _norm(label) and focus.checked:
            return focus
        focus = press(page, "ArrowDown")
    raise AssertionError(f"{page.url}: ArrowDown never checked “{label}” in the group “{group}”")


def choose_option(page: Page, label: str, option: str, *, limit: int = 200) -> Focus:
    """Tab to the select labelled `label` and move through its options with the arrow keys
    (Home, then ArrowDown, on the closed list) until `option` is selected."""
    focus = tab_to(page, label, role="field")
    assert focus.selected is not None, f"{page.url}: {focus} is no select"
    page.keyboard.press("Home")
    for _ in range(limit):
        now = focused(page)
        if now is not None and now.selected == _norm(option):
            return now
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{page.url}: no option “{option}” in {focus}")


def follow_link(page: Page, name: str) -> Focus:
    """Tab to the link named `name` and follow it (Enter)."""
    focus = tab_to(page, name, role="link")
    page.keyboard.press("Enter")
    return focus
