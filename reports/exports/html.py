"""The single-file HTML download: styles inline, images embedded, readable offline."""
import base64
import mimetypes
import re
from pathlib import Path

from .edition import local_file_for_url, static_path

_EXPORT_OMIT_RE = re.compile(r'<(?P<tag>p|div)[^>]*\bdata-export="omit"[^>]*>.*?</(?P=tag)>', re.S)
_ASSET_RE = re.compile(r'(?P<attr>src|href)="(?P<url>[^"#][^"]*)"')
_CSS_URL_RE = re.compile(r"url\((['\"]?)(?P<url>[^'\")]+)\1\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def standalone_html(html: str, *, origin: str) -> str:
    """Images become data: URIs; other site-relative links get the site's address so they work from disk."""
    html = _EXPORT_OMIT_RE.sub("", html)  # the download buttons: this file is the download

    def replace(match):
        url = match["url"]
        if match["attr"] == "src" and (path := local_file_for_url(url)) is not None:
            return f'src="{_data_uri(path)}"'
        if url.startswith("/") and not url.startswith("//"):
            return f'{match["attr"]}="{origin}{url}"'
        return match.group(0)

    return _ASSET_RE.sub(replace, html)


def inline_css(name: str) -> str:
    """A stylesheet with its url() references (fonts, images) embedded, ready for a <style> element."""
    path = static_path(name)

    def embed(match):
        target = (path.parent / match["url"]).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL_RE.sub(embed, path.read_text())

