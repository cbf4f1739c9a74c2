"""Photos and screenshots in a Teams message, as references the servicedesk can open.

Teams sends an inline image in a personal chat as an attachment with an ``image/*`` content type
and a ``contentUrl``; a file from OneDrive arrives as
``application/vnd.microsoft.teams.file.download.info`` with a ``contentUrl`` (the file in
SharePoint/OneDrive) and ``content.downloadUrl`` (short-lived). Every message also carries a
``text/html`` copy of itself as an attachment: that one is not a photo and is skipped. Cards are
skipped too. Only references are kept; the bot does not download anything.
"""

from __future__ import annotations

from typing import Any

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, dict) and obj.get(name) is not None:
            return obj[name]
        if not isinstance(obj, dict) and getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return None


def references(activity) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for attachment in getattr(activity, "attachments", None) or []:
        content_type = str(_get(attachment, "content_type", "contentType") or "")
        content = _get(attachment, "content")
        url = _get(attachment, "content_url", "contentUrl")
        if content_type.startswith("image/"):
            pass
        elif content_type == FILE_DOWNLOAD_INFO:
            url = url or _get(content, "downloadUrl", "download_url")
            file_type = _get(content, "fileType", "file_type")
            if file_type:
                content_type = f"{FILE_DOWNLOAD_INFO}; fileType={file_type}"
        else:
            continue
        if not url:
            continue
        name = _get(attachment, "name") or ("foto" if content_type.startswith("image/") else "bestand")
        found.append({"name": str(name), "content_type": content_type[:100], "content_url": str(url)})
    return found
