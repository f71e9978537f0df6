"""Serving an uploaded file as a download, after the caller's permission check."""

from typing import Any

from django.http import FileResponse, Http404


def stored_file_response(file: Any, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as an attachment under the name it was uploaded with; 404 when the file itself is gone."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
