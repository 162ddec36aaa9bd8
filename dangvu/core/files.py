"""Files people attach (a report, a document to study, signed minutes): the check on upload, the
name kept, and the download to whoever may see the record (never a guessable public URL)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
}
NAME_LENGTH = 255  # the models' *_file_name columns


def file_problem(name: str, size: int, head: bytes) -> str | None:
    """Why a file is refused, or None: at most 20 MB, and a document, spreadsheet, PDF or picture
    whose first bytes match its extension (a renamed program is refused)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        return _("Send a PDF, Word, Excel, OpenDocument file or a JPG/PNG picture.")
    if size > MAX_FILE_BYTES:
        return _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return _("The file's content is not a .%(ext)s file.") % {"ext": extension}
    return None


def check_upload(file: UploadedFile | None, field: str = "file") -> None:
    """Refuse an uploaded file (ValidationError on `field`) that file_problem finds wrong; None
    (nothing sent) passes."""
    if file is None:
        return
    head = file.read(8)
    file.seek(0)
    problem = file_problem(file.name or "", file.size or 0, head)
    if problem:
        raise ValidationError({field: problem})


def stored_name(file: UploadedFile) -> str:
    """The name the file came with, as kept beside it (shown and given back on download)."""
    return (file.name or "")[:NAME_LENGTH]


def store(instance, field_name: str, file: UploadedFile, default: str) -> str:
    """Store an uploaded file under its field's random name and return the name, leaving the instance
    as it is (update_versioned then sees the new name as a change and writes it)."""
    field = type(instance)._meta.get_field(field_name)
    name = field.generate_filename(instance, file.name or default)
    return field.storage.save(name, file, max_length=field.max_length)


def file_response(fieldfile: FieldFile, name: str, default: str) -> FileResponse:
    """The stored file as a download named `name` (or `default`); 404 when there is none or it is
    missing from the storage."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name or default)
