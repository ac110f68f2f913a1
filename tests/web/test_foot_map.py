"""The foot map partial (`_foot_map.html`): checkboxes are the control, drawings point at them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from jinja2 import Environment, FileSystemLoader

from stridewell.knowledge.questions import load_questionnaire

WEB = Path(__file__).resolve().parents[2] / "src" / "stridewell" / "web"
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"
SVG_NS = "{http://www.w3.org/2000/svg}"
VOID = {"input", "br", "img", "meta", "link", "hr", "wbr", "source", "area", "col", "embed"}
CONTRACT_IDS = {
    "heel_bottom",
    "heel_pad",
    "heel_back",
    "achilles",
    "arch",
    "inner_midfoot",
    "inner_ankle",
    "outer_ankle",
    "outer_midfoot",
    "top_of_foot",
    "ball_of_foot",
    "big_toe_ball",
    "big_toe_joint",
    "between_toes",
    "toes",
}


class Region(NamedTuple):
    value: str
    label: str


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False, compare=False)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> list[Node]:
        found = [self]
        for child in self.children:
            if isinstance(child, Node):
                found.extend(child.walk())
        return found

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.walk()[1:]
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def location_choices() -> list[Any]:
    question = next(q for q in load_questionnaire().questions if q.field == "locations")
    return list(question.choices)


def render(regions: Any = None, selected: Any = (), error: str | None = None) -> str:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)
    page = env.from_string('<form method="post">{% include "_foot_map.html" %}</form>')
    return page.render(
        regions=location_choices() if regions is None else regions,
        selected=selected,
        error=error,
    )


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root


def shapes_by_region(root: Node) -> dict[str, list[Node]]:
    found: dict[str, list[Node]] = {}
    for shape in root.find_all(cls="fm-region"):
        found.setdefault(shape.attrs.get("data-region") or "", []).append(shape)
    return found


def checkbox(root: Node, region_id: str) -> Node:
    boxes = [n for n in root.find_all("input") if n.attrs.get("id") == f"loc-{region_id}"]
    assert len(boxes) == 1, region_id
    return boxes[0]


def test_the_questionnaire_offers_the_contract_regions() -> None:
    assert {c.value for c in location_choices()} == CONTRACT_IDS


def test_every_region_has_a_labelled_checkbox_and_a_shape() -> None:
    choices = location_choices()
    root = parse(render())
    labels = {n.attrs.get("for"): n.text().strip() for n in root.find_all("label")}
    shapes = shapes_by_region(root)
    for choice in choices:
        box = checkbox(root, choice.value)
        assert box.attrs["type"] == "checkbox"
        assert box.attrs["name"] == "locations"
        assert box.attrs["value"] == choice.value
        assert "checked" not in box.attrs
        assert labels[f"loc-{choice.value}"] == choice.label
        assert shapes.get(choice.value), f"no shape for {choice.value}"
    # The list follows the display order of the questionnaire.
    order = [n.attrs["value"] for n in root.find_all("input") if n.attrs.get("name") == "locations"]
    assert order == [c.value for c in choices]


def test_every_shape_is_a_known_region_with_its_label_as_title() -> None:
    labels = {c.value: c.label for c in location_choices()}
    root = parse(render())
    shapes = root.find_all(cls="fm-region")
    assert shapes
    for shape in shapes:
        region_id = shape.attrs.get("data-region")
        assert region_id in labels
        titles = [c for c in shape.children if isinstance(c, Node) and c.tag == "title"]
        assert len(titles) == 1 and titles[0].text() == labels[region_id]
        assert "tabindex" not in shape.attrs  # pointer only: the checkboxes are the keyboard path
        assert "fm-on" not in shape.classes


def test_four_captioned_drawings_are_named_groups_without_tab_stops() -> None:
    root = parse(render())
    figures = root.find_all("figure")
    assert [f.find_all("figcaption")[0].text().strip() for f in figures] == [
        "Sole",
        "Top",
        "Inner side",
        "Outer side",
    ]
    for figure in figures:
        (svg,) = figure.find_all("svg")
        caption = figure.find_all("figcaption")[0].text().strip()
        assert svg.attrs.get("role") == "group"
        assert (svg.attrs.get("aria-label") or "").startswith(caption)
        assert svg.find_all("path"), "a drawn outline"
        assert svg.find_all(cls="fm-region")
        # the "inner"/"outer" words are for the eye only
        assert all(t.attrs.get("aria-hidden") == "true" for t in svg.find_all("text"))
    # No shape outside the drawings, and no tab stop inside them (the list is the keyboard path).
    svgs = root.find_all("svg")
    assert sum(len(s.find_all(cls="fm-region")) for s in svgs) == len(
        root.find_all(cls="fm-region")
    )
    assert not [n for s in svgs for n in s.find_all() if "tabindex" in n.attrs]


def test_every_shape_is_a_labelled_checkbox_with_a_hit_area_of_24_units() -> None:
    labels = {c.value: c.label for c in location_choices()}
    root = parse(render(selected={"arch"}))
    for shape in root.find_all(cls="fm-region"):
        region_id = shape.attrs.get("data-region") or ""
        assert shape.attrs.get("role") == "checkbox"
        assert shape.attrs.get("aria-label") == labels[region_id]
        assert shape.attrs.get("aria-checked") == ("true" if region_id == "arch" else "false")
        (hit,) = shape.find_all(cls="fm-hit")
        assert hit.tag == "circle" and float(hit.attrs["r"] or 0) * 2 >= 24


def test_the_selected_line_names_the_chosen_spots_above_the_drawings() -> None:
    labels = {c.value: c.label for c in location_choices()}
    html = render(selected={"heel_pad", "arch"})
    root = parse(html)
    (line,) = [n for n in root.walk() if n.attrs.get("id") == "fm-selected"]
    assert line.attrs.get("aria-live") == "polite"
    text = " ".join(line.text().split())
    assert text.startswith("Selected:")
    assert labels["arch"] in text and labels["heel_pad"] in text
    assert html.index('id="fm-selected"') < html.index("<svg")
    empty = parse(render())
    (none,) = [n for n in empty.walk() if n.attrs.get("id") == "fm-selected"]
    assert " ".join(none.text().split()) == "Selected: nothing yet"


def test_heel_back_shows_on_both_side_views() -> None:
    root = parse(render())
    figures = {f.find_all("figcaption")[0].text().strip(): f for f in root.find_all("figure")}
    for view in ("Inner side", "Outer side"):
        assert any(
            s.attrs.get("data-region") == "heel_back"
            for s in figures[view].find_all(cls="fm-region")
        )


def test_the_drawings_are_well_formed_svg() -> None:
    html = render(selected={"heel_pad"}, error="Pick one")
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert len(svgs) == 4
    for text in svgs:
        svg = ET.fromstring(text)
        assert svg.tag == f"{SVG_NS}svg"
        assert svg.get("viewBox")
        for shape in svg.iter():
            if "fm-region" in (shape.get("class") or "").split():
                assert shape.find(f"{SVG_NS}title") is not None


def test_legend_and_no_error_by_default() -> None:
    root = parse(render())
    (fieldset,) = root.find_all("fieldset")
    legend = fieldset.find_all("legend")[0]
    assert legend.text().strip() == "Where does it hurt? Tap every spot that hurts."
    assert "aria-describedby" not in fieldset.attrs
    assert not [n for n in root.walk() if n.attrs.get("role") == "alert"]
    assert not [n for n in root.walk() if n.attrs.get("id") == "locations-error"]


@pytest.mark.parametrize("selected", [{"heel_pad", "achilles"}, ["heel_back", "toes", "arch"]])
def test_selected_regions_are_checked_and_lit(selected: Any) -> None:
    root = parse(render(selected=selected))
    for choice in location_choices():
        on = choice.value in selected
        assert ("checked" in checkbox(root, choice.value).attrs) is on
        for shape in shapes_by_region(root)[choice.value]:
            assert ("fm-on" in shape.classes) is on, choice.value


def test_the_error_is_an_alert_that_describes_the_fieldset() -> None:
    root = parse(render(error="Choose at least one spot <now>."))
    (fieldset,) = root.find_all("fieldset")
    (alert,) = [n for n in root.walk() if n.attrs.get("role") == "alert"]
    assert alert.attrs.get("id") == "locations-error"
    assert fieldset.attrs.get("aria-describedby") == "locations-error"
    assert alert.text().strip() == "Choose at least one spot <now>."
    assert not root.find_all("now")


def test_labels_are_escaped() -> None:
    regions = [Region("heel_pad", "Heel <b>pad</b> & co"), Region("toes", "Toes")]
    html = render(regions=regions, selected={"heel_pad"})
    root = parse(html)
    assert not root.find_all("b")
    assert "&lt;b&gt;pad&lt;/b&gt; &amp; co" in html
    (label,) = [n for n in root.find_all("label") if n.attrs.get("for") == "loc-heel_pad"]
    assert label.text() == "Heel <b>pad</b> & co"
    titles = [s.find_all("title")[0].text() for s in shapes_by_region(root)["heel_pad"]]
    assert titles and set(titles) == {"Heel <b>pad</b> & co"}
    # Regions left out of `regions` get neither a checkbox nor a shape to click.
    assert set(shapes_by_region(root)) == {"heel_pad", "toes"}
    assert len([n for n in root.find_all("input") if n.attrs.get("name") == "locations"]) == 2


def test_script_and_styles_are_small_and_plain() -> None:
    script = (STATIC / "footmap.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 3 * 1024
    assert "fm-region" in script and "fm-on" in script and "loc-" in script
    assert "import " not in script and "require(" not in script
    css = (STATIC / "footmap.css").read_text(encoding="utf-8")
    assert ".fm-on" in css and "min-height: 44px" in css
