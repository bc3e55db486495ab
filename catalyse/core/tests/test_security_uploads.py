import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalyse.core.uploads import check_document, clean_image, sniff


def _png(size=(40, 30), **info) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG", **info)
    return buffer.getvalue()


def _jpeg_with_exif() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    Image.new("RGB", (20, 20), "red").save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_images_are_re_encoded_dropping_metadata_and_appended_payloads():
    upload = SimpleUploadedFile("logo.jpg", _jpeg_with_exif() + b"<script>alert(1)</script>")
    cleaned = clean_image(upload)
    data = cleaned.read()
    assert b"<script>" not in data and b"Appareil secret" not in data
    assert Image.open(io.BytesIO(data)).format == "JPEG" and cleaned.name == "logo.jpg"


def test_large_images_are_scaled_down():
    cleaned = clean_image(SimpleUploadedFile("grand.png", _png((4000, 1000))))
    assert Image.open(cleaned).size == (2000, 500)


def test_svg_is_refused_even_when_named_png():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("image.png", svg, content_type="image/png"))
    assert exc.value.code == "svg"


def test_the_type_is_decided_by_content_not_by_name():
    with pytest.raises(ValidationError) as exc:
        check_document(SimpleUploadedFile("rapport.pdf", _png()))
    assert exc.value.code == "extension"
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("page.txt", b"<!DOCTYPE html><html><script>x</script>"))


def test_html_and_executables_are_refused():
    assert sniff(SimpleUploadedFile("a.html", b"<html><body>hi")) is None
    assert sniff(SimpleUploadedFile("a.exe", b"MZ\x90\x00\x03\x00\x00\x00")) is None


def test_documents_of_known_kinds_pass():
    assert check_document(SimpleUploadedFile("r.pdf", b"%PDF-1.7\n...")) == "pdf"
    assert check_document(SimpleUploadedFile("notes.csv", b"commune;valeur\nArras;3\n")) == "text"


def test_oversized_files_are_refused(settings):
    settings.CATALYSE_MAX_DOCUMENT_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        check_document(SimpleUploadedFile("r.pdf", b"%PDF-" + b"0" * 2048))
    assert exc.value.code == "too_large"


def test_a_decompression_bomb_is_refused(monkeypatch):
    from catalyse.core import uploads

    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 50 * 50)  # a real bomb would take seconds to build
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("bombe.png", _png((60, 60))))
    assert exc.value.code == "too_many_pixels"


def test_a_corrupt_image_is_refused():
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("casse.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50))
    assert exc.value.code == "invalid_image"


def test_a_plain_zip_is_not_an_office_document():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("virus.js", "x")
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("rapport.docx", buffer.getvalue()))
