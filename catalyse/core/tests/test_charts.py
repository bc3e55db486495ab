import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from catalyse.core import charts
from catalyse.core.charts import Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output


def texts(root: ET.Element) -> str:
    return " ".join(t for el in root.iter() for t in (el.text, el.tail) if t)


def all_charts() -> list[charts.Chart]:
    two = [Series("Locaux", [3, 5, 8]), Series("Nationaux", [1, 2, 2])]
    return [
        charts.bar_chart("Par profil", [("Association", 12), ("Entreprise", 3)]),
        charts.bar_chart("Vertical", [("A", 1), ("B", 2)], horizontal=False),
        charts.grouped_bar_chart("Groupes", ["2022", "2023", "2024"], two),
        charts.grouped_bar_chart("Empilé", ["2022", "2023", "2024"], two, stacked=True),
        charts.line_chart("Croissance", ["2022", "2023", "2024"], two, area=True),
        charts.donut_chart("Périmètre", [("Local", 67), ("National", 33)]),
        charts.radar_chart("Maturité", ["Vision", "Confiance", "Gouvernance", "Moyens"],
                           [Series("2024", [1, 3, 2, 4])], maximum=5),
        charts.radar_chart("Maturité et écarts", ["Vision", "Confiance", "Gouvernance"],
                           [Series("2024", [2.5, 3, 2], low=[1, 3, 2], high=[4, 3, 2])], maximum=4),
        charts.lane_chart("Mobilisation", [
            charts.Lane("A", [charts.Segment(dt.date(2023, 1, 1), dt.date(2024, 6, 30), "#1f5fa8", "présent",
                                             thin=True)],
                        [charts.Mark(dt.date(2024, 6, 30), "cross", "départ")])],
            start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31), legend=[("cross", "#1a1a1a", "Départ")]),
    ]


@pytest.mark.parametrize("chart", all_charts(), ids=lambda c: c.title)
def test_every_chart_is_valid_accessible_svg_without_inline_style(chart):
    root = parse(chart)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == chart.title and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style=" not in str(chart.svg) and "<script" not in str(chart.svg)


def test_bar_chart_shows_each_value_in_the_svg_and_the_table():
    chart = charts.bar_chart("Par profil", [("Association", 1234), ("Entreprise", 3)])
    assert "1\u202f234" in texts(parse(chart)) and "Entreprise" in texts(parse(chart))
    assert chart.rows == [["Association", "1\u202f234"], ["Entreprise", "3"]]
    assert len(parse(chart).findall(f".//{SVG}rect")) == 2


def test_donut_percentages_add_up_and_appear_in_the_description():
    chart = charts.donut_chart("Périmètre", [("Local", 67), ("National", 33)])
    assert [row[2] for row in chart.rows] == ["67 %", "33 %"]
    assert "Local : 67 (67 %)" in chart.description


def test_a_single_slice_donut_draws_a_full_ring():
    root = parse(charts.donut_chart("Tout", [("Seul", 5)]))
    assert root.find(f".//{SVG}circle") is not None


def test_stacked_bars_report_totals():
    chart = charts.grouped_bar_chart("Empilé", ["2023"], [Series("a", [2]), Series("b", [3])], stacked=True)
    assert chart.columns[-1] == "Total" and chart.rows == [["2023", "2", "3", "5"]]


def test_labels_are_escaped():
    nasty = '<script>alert("x")</script> & Cie'
    chart = charts.bar_chart(nasty, [(nasty, 1)])
    root = parse(chart)  # still well-formed XML
    assert "<script>" not in str(chart.svg)
    assert root.find(f"{SVG}title").text == nasty


@pytest.mark.parametrize("chart", [
    charts.bar_chart("Vide", []),
    charts.grouped_bar_chart("Vide", [], []),
    charts.line_chart("Vide", [], []),
    charts.donut_chart("Vide", [("A", 0)]),
    charts.radar_chart("Vide", ["a", "b"], [Series("s", [1, 2])]),
], ids=lambda c: c.svg[40:70])
def test_empty_data_gives_a_readable_message_not_an_error(chart):
    assert "Aucune donnée" in texts(parse(chart)) and chart.rows == []


def test_radar_values_are_capped_at_the_maximum():
    chart = charts.radar_chart("Maturité", ["a", "b", "c"], [Series("s", [9, 1, 1])], maximum=5)
    assert chart.rows[0] == ["a", "9"]
    parse(chart)


def test_same_data_gives_the_same_svg_and_ids():
    assert charts.bar_chart("T", [("a", 1)]).svg == charts.bar_chart("T", [("a", 1)]).svg
    assert charts.bar_chart("T", [("a", 1)]).svg != charts.bar_chart("T", [("a", 2)]).svg


def test_the_partial_renders_the_chart_and_its_table():
    html = render_to_string("core/chart.html", {"chart": charts.bar_chart("Par profil", [("Association", 12)])})
    assert "<svg" in html and "<table" in html and "<th scope=\"row\">Association</th>" in html


def test_french_number_format():
    assert charts.fmt(1234567) == "1\u202f234\u202f567" and charts.fmt(2.5) == "2,5" and charts.fmt(None) == "—"


def test_time_chart_places_dates_by_days_and_lists_rules_and_references_in_its_table():
    import datetime as dt

    chart = charts.time_chart(
        "Suivi", [charts.TimeSeries("Réel", [(dt.date(2024, 1, 1), 2), (dt.date(2024, 1, 31), 5)]),
                  charts.TimeSeries("Plan", [(dt.date(2024, 1, 1), 0), (dt.date(2024, 12, 31), 10)], dashed=True)],
        rules=[charts.Rule(dt.date(2024, 6, 1), "v2 : Budget")], references=[charts.Reference(10, "Cible")],
        note="Sens : hausse")
    root = parse(chart)
    assert root.get("role") == "img" and "style=" not in str(chart.svg)
    assert chart.rows == [["01/01/2024", "2", "0", ""], ["31/01/2024", "5", "—", ""],
                          ["01/06/2024", "—", "—", "v2 : Budget"], ["31/12/2024", "—", "10", ""],
                          ["Cible", "—", "—", "10"]]
    assert "v2 : Budget" in texts(root) and "Sens : hausse" in texts(root)
    assert 'stroke-dasharray="6 4"' in str(chart.svg)


def test_time_chart_on_a_scale_labels_the_axis_with_the_levels():
    import datetime as dt

    chart = charts.time_chart("Échelle", [charts.TimeSeries("Réel", [(dt.date(2024, 1, 1), 2)])],
                              levels=["Faible", "Moyen", "Fort"])
    assert chart.rows == [["01/01/2024", "2 — Moyen"]] and "Fort" in texts(parse(chart))
    assert "Aucune donnée" in texts(parse(charts.time_chart("Vide", [charts.TimeSeries("Réel", [])])))


def test_a_radar_band_shows_the_spread_in_the_drawing_and_the_table():
    chart = charts.radar_chart("Maturité", ["a", "b", "c"],
                               [Series("Alliance", [2.5, 3, 2], low=[1, 3, 2], high=[4, 3, 2])], maximum=4)
    root = parse(chart)
    assert root.find(f".//{SVG}path[@class='chart-band']") is not None
    assert len(root.findall(f".//{SVG}line[@class='chart-whisker']")) == 3
    assert chart.columns == ["", "Alliance (min–max)"]
    assert chart.rows[0] == ["a", "2,5 (1–4)"]


def test_lanes_place_stretches_and_marks_in_time():
    start, end = dt.date(2023, 1, 1), dt.date(2025, 1, 1)
    chart = charts.lane_chart("Frise", [
        charts.Lane("A", [charts.Segment(dt.date(2023, 1, 1), dt.date(2024, 1, 1), "#1f5fa8", "2023 : niveau 3",
                                         text="3")],
                    [charts.Mark(dt.date(2024, 1, 1), "triangle", "arrivée le 1er janvier 2024")]),
        charts.Lane("B"),
    ], start=start, end=end)
    root = parse(chart)
    segment = root.find(f".//{SVG}rect[@class='chart-segment']")
    # the plot runs from x = 150 to 626; 2023 is 365 of the 731 days
    assert float(segment.get("x")) == 150 and float(segment.get("width")) == pytest.approx(476 * 365 / 731, abs=0.1)
    assert chart.rows == [["A", "2023 : niveau 3", "arrivée le 1er janvier 2024"], ["B", "—", "—"]]
    assert "2024" in texts(root)
