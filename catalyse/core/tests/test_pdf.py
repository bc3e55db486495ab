"""The one PDF renderer (core/pdf.py): user text printed as typed, fonts found, shared page furniture,
downloads named safely."""

import datetime
import io

import pytest
from pypdf import PdfReader

from catalyse.core import pdf as pdf_module
from catalyse.core.pdf import PdfError, pdf_filename, pdf_response, render_pdf

SAMPLE = "core/tests/typst/sample.typ"
HOSTILE = [
    "# titre *gras* _penché_",
    "crochet ] fermé [ ouvert",
    "maths $x^2$ et \\ barre",
    "<script>alert(1)</script> @etiquette",
    '#panic("injection") #read("/core/pdf.py")',
]


def sample(items: list[str], **options) -> bytes:
    return render_pdf(
        SAMPLE,
        {"heading": "Essai", "items": items, "note": "Une note"},
        title=options.pop("title", "Rapport d'essai"),
        **options,
    )


def test_user_text_is_printed_as_typed_never_read_as_typst(pdf_text):
    text = pdf_text(sample(HOSTILE))
    for line in HOSTILE:
        assert line in text


def test_the_pdf_carries_its_title_platform_and_french_date(pdf_text):
    pdf = sample(["élément"], title="Synthèse de la rencontre", subtitle="Lyon", kind="Événement")
    text = pdf_text(pdf)
    assert "Synthèse de la rencontre" in text and "Lyon" in text and "élément" in text
    assert "Catalyse · Édité le " in text and "Page 1 sur 1" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Synthèse de la rencontre"


def test_long_reports_number_their_pages_and_repeat_the_header(pdf_text):
    text = pdf_text(sample([f"ligne {n}" for n in range(120)]))
    assert "Page 1 sur 3" in text and "Page 3 sur 3" in text
    assert "Catalyse Rapport d'essai" in text  # the header from the second page on


def test_fictitious_notice_only_when_asked(pdf_text):
    assert "Valeurs fictives" in pdf_text(sample(["x"], fictitious=True))
    assert "Valeurs fictives" not in pdf_text(sample(["x"]))


def fonts_of(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}


def test_debian_dejavu_fonts_are_found_without_scanning_the_system():
    if not pdf_module.font_dirs():
        pytest.skip("fonts-dejavu-core is not installed")
    assert any("DejaVuSans" in font for font in fonts_of(sample(["x"])))


def test_a_machine_without_dejavu_still_prints_text_with_the_built_in_font(monkeypatch, pdf_text):
    monkeypatch.setattr(pdf_module, "FONT_DIRS", ())
    pdf = sample(["Qu'avons-nous inventé ensemble ?"])
    assert "Qu'avons-nous inventé ensemble ?" in pdf_text(pdf)
    assert any("Libertinus" in font for font in fonts_of(pdf))


@pytest.mark.parametrize("template", ["../settings.py", "/etc/passwd", "core/tests/typst/missing.typ", "core/pdf.py"])
def test_only_typst_templates_inside_the_package_are_rendered(template):
    with pytest.raises(PdfError):
        render_pdf(template, {}, title="x")


def test_pdf_response_is_a_safely_named_download():
    response = pdf_response(b"%PDF-1.7 test", name="Synthèse « rencontre » 2019\r\nX-Injected: 1")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="synthese-rencontre-2019-x-injected-1-')
    assert disposition.endswith('.pdf"') and "\n" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


def test_public_pdf_may_be_stored_but_is_revalidated_by_its_content():
    first, second = pdf_response(b"%PDF-a", name="a", private=False), pdf_response(b"%PDF-b", name="a", private=False)
    assert first["Cache-Control"] == "no-cache"
    assert first["ETag"] != second["ETag"]


def test_file_name_is_dated_and_never_empty():
    assert pdf_filename("!!!", datetime.date(2019, 11, 28)) == "document-2019-11-28.pdf"
