"""The optional metrics page: off by default; when on, the figures of `statusgen stats` with inline
SVG charts that need no JavaScript, no style attributes and have a text equivalent each."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BuildResult, run_build, write_site
from sitecheck import broken_internal_links, parse_strict, text_of, tree
from statusgen.cli import main
from test_stats import CONFIG, NOW, SITE


@pytest.fixture
def metrics_build(tmp_path: Path) -> BuildResult:
    source = write_site(tmp_path / "src", SITE, config=CONFIG + "metrics: true\n")
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    return result


def test_off_by_default(example_build: BuildResult) -> None:
    assert not (example_build.site / "metrics").exists()
    assert "metrics/" not in example_build.read("index.html")
    assert "metrics/" not in example_build.read("sitemap.xml")


def test_on_adds_the_page_and_a_nav_link_on_every_page(metrics_build: BuildResult) -> None:
    assert (metrics_build.site / "metrics/index.html").is_file()
    for page in ("index.html", "history/index.html", "incidents/a-db-outage/index.html"):
        links = tree(metrics_build.read(page)).xpath("//nav[@aria-label='Site']//a[text()='Metrics']/@href")
        assert len(links) == 1
    current = tree(metrics_build.read("metrics/index.html")).xpath("//nav//a[@aria-current='page']/text()")
    assert current == ["Metrics"]
    assert "https://stats.test/metrics/" in metrics_build.read("sitemap.xml")
    assert broken_internal_links(metrics_build.site) == []


def test_page_is_valid_html_without_style_attributes_or_inline_scripts(metrics_build: BuildResult) -> None:
    html = metrics_build.read("metrics/index.html")
    parse_strict(html)
    page = tree(html)
    assert page.xpath("//*[@style]") == []
    assert page.xpath("//style") == []
    assert [s for s in page.xpath("//script") if not s.get("src")] == []
    assert not any(name.startswith("on") for element in page.iter() if isinstance(element.tag, str)
                   for name in element.attrib)


def test_every_chart_is_labelled_and_has_a_text_equivalent(metrics_build: BuildResult) -> None:
    page = tree(metrics_build.read("metrics/index.html"))
    charts = page.xpath("//svg")
    assert len(charts) == 7
    for chart in charts:
        assert chart.get("role") == "img"
        title_id, desc_id = chart.get("aria-labelledby").split()
        assert chart.xpath(f"./title[@id='{title_id}']") and chart.xpath(f"./desc[@id='{desc_id}']")
        assert text_of(chart.xpath("./desc")[0])
        section = chart.getparent().getparent()
        assert section.xpath(".//table") or section.xpath(".//ul[@class='shares']")
    assert "MTTR by severity" not in text_of(page)  # titles name what is measured
    desc = text_of(page.xpath("//svg[@id='chart-mttr']/desc")[0])
    assert desc.startswith("SEV-1: median 22 min, 90th percentile 1 h 36 min; SEV-2: median 1 h 50 min")
    assert "SEV-4: n/a — no SEV-4 incidents" in desc


def test_tables_carry_the_same_figures_as_the_command(metrics_build: BuildResult) -> None:
    page = tree(metrics_build.read("metrics/index.html"))
    response = page.xpath("//table[caption[starts-with(., 'Response times')]]")[0]
    sev1 = [text_of(c) for c in response.xpath(".//tbody/tr[1]/*")]
    assert sev1 == ["SEV-1 (Critical)", "2", "4 min / 4 min (n=1)", "2 min / 6 min (n=2)", "22 min / 1 h 36 min (n=2)"]
    sev2 = [text_of(c) for c in response.xpath(".//tbody/tr[2]/*")]
    assert sev2[2] == "n/a — no SEV-2 incidents with a known start time"
    text = text_of(page)
    assert "We kept 3 of 7 of those promises (43%)" in text
    assert "is 1 h overdue" in text
    months = page.xpath("//table[caption='Incidents per month by severity']//tbody/tr")
    assert [[text_of(c) for c in r] for r in months] == [["March 2026", "2", "0", "0", "0", "2"],
                                                          ["April 2026", "0", "1", "1", "0", "2"]]
    assert "Customers: 1 (25%)" in text
    cadence = page.xpath("//table[caption='Gaps between updates against the cadence target']//tbody/tr")
    assert [text_of(c) for c in cadence[0]] == ["SEV-1", "30 min", "25 min", "35 min", "3 of 4"]
    assert [text_of(c) for c in cadence[2]] == ["SEV-3", "3 h", "n/a — no SEV-3 update followed by another"]


def test_the_public_page_says_things_in_words_not_field_names(metrics_build: BuildResult) -> None:
    """Customers read this page: no `started_at`, `detected_at`, `next_update` or `reported_by`."""
    html = metrics_build.read("metrics/index.html")
    text = text_of(tree(html))
    for name in ("started_at", "detected_at", "next_update", "reported_by", "_at"):
        assert name not in text, name
    assert "<code>" not in html
    assert "from when the problem began to when we detected it" in text


def test_monthly_chart_stacks_severities_with_tooltips(metrics_build: BuildResult) -> None:
    chart = tree(metrics_build.read("metrics/index.html")).xpath("//svg[@id='chart-months']")[0]
    tips = [text_of(r.xpath("./title")[0]) for r in chart.xpath(".//rect")]
    assert tips == ["Mar 2026: 2 SEV-1 incidents", "Apr 2026: 1 SEV-2 incident", "Apr 2026: 1 SEV-3 incident"]
    assert [r.get("class") for r in chart.xpath(".//rect")] == ["chart-sev sev1", "chart-sev sev2", "chart-sev sev3"]


def test_the_theme_styles_the_charts(metrics_build: BuildResult) -> None:
    css = metrics_build.read("assets/style.css")
    for selector in (".chart .chart-bar", ".chart .chart-sev.sev1", ".chart .chart-target", ".chart .chart-p90"):
        assert selector in css


def test_metrics_must_be_true_or_false(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {}, config=CONFIG + "metrics: maybe\n")
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 1
    assert "statusgen.yml:9: metrics 'maybe' must be true or false" in result.output


def test_an_empty_site_gets_a_page_that_says_n_a(tmp_path: Path) -> None:
    source = write_site(tmp_path / "src", {}, config=CONFIG + "metrics: true\n")
    result = run_build(source, tmp_path / "site", NOW)
    assert result.exit_code == 0, result.output
    html = result.read("metrics/index.html")
    parse_strict(html)
    text = text_of(tree(html))
    assert "n/a — no incidents." in text
    assert "n/a — no SEV-1 incidents" in text


def test_schema_lists_metrics() -> None:
    result = CliRunner().invoke(main, ["schema", "config"])
    assert '"metrics"' in result.output and '"boolean"' in result.output
