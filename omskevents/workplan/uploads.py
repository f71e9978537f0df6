"""Checks on uploaded report files: size, extension and content must agree; limits per report and per person."""

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024

# extension -> (content type, a check of the first bytes / the zip's contents)
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@dataclass(frozen=True)
class UploadInfo:
    name: str
    content_type: str
    size: int


def _content_matches(extension: str, upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in (".docx", ".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        marker = "word/" if extension == ".docx" else "xl/"
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(n.startswith(marker) for n in names)
    return False


def safe_name(filename: str) -> str:
    """The last path component, with characters unsafe in a header or a file system removed."""
    base = PurePath(filename.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*')
    try:
        cleaned = get_valid_filename(cleaned)
    except Exception:  # noqa: BLE001 - get_valid_filename raises SuspiciousFileOperation for "" or ".."
        cleaned = ""
    return cleaned[:200] or "file"


def inspect_upload(upload: UploadedFile) -> UploadInfo:
    """Validate a report file; raise ValidationError with a message the user can act on."""
    name = safe_name(upload.name or "")
    extension = PurePath(name).suffix.lower()
    limit = settings.ATTACHMENT_MAX_SIZE
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if extension not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”: only PDF, DOCX, XLSX, PNG and JPEG files can be attached.") % {"name": name},
            code="type",
        )
    if not _content_matches(extension, upload):
        raise ValidationError(
            _("“%(name)s” is not a real %(kind)s file.") % {"name": name, "kind": extension[1:].upper()},
            code="content",
        )
    return UploadInfo(name=name, content_type=ALLOWED[extension], size=upload.size)


def megabytes(size: int) -> str:
    """A size in megabytes with one decimal, written the way the reader's language writes numbers."""
    return formats.number_format(round(size / MB, 1), 1)


def check_upload_batch(files: Sequence[UploadedFile]) -> None:
    """The files sent together (one report): at most UPLOAD_MAX_FILES of them, UPLOAD_MAX_REQUEST_BYTES in all."""
    limit = settings.UPLOAD_MAX_FILES
    if len(files) > limit:
        raise ValidationError(
            ngettext(
                "At most %(limit)s file can be sent at once; %(count)s were chosen. Send the rest in another report.",
                "At most %(limit)s files can be sent at once; %(count)s were chosen. Send the rest in another report.",
                limit,
            )
            % {"limit": limit, "count": len(files)},
            code="too_many_files",
        )
    total = sum(upload.size or 0 for upload in files)
    if total > settings.UPLOAD_MAX_REQUEST_BYTES:
        raise ValidationError(
            _(
                "The files come to %(total)s MB together; at most %(limit)s MB can be sent at once. Send the rest "
                "in another report."
            )
            % {"total": megabytes(total), "limit": megabytes(settings.UPLOAD_MAX_REQUEST_BYTES)},
            code="batch_too_large",
        )


def check_storage_quota(*, used: int, adding: int) -> None:
    """A person's stored files (`used` bytes) with `adding` more must stay within UPLOAD_USER_QUOTA_BYTES."""
    quota = settings.UPLOAD_USER_QUOTA_BYTES
    if adding and used + adding > quota:
        raise ValidationError(
            _(
                "Your files already take %(used)s MB of your %(quota)s MB; these %(adding)s MB do not fit. Ask the "
                "committee secretariat for help."
            )
            % {"used": megabytes(used), "quota": megabytes(quota), "adding": megabytes(adding)},
            code="over_quota",
        )
