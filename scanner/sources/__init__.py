"""Readers: one module per input format, all returning the same Document model.

``read_document`` decides the format from the content, not the file name, and
turns every failure into a ReadError with a reason a person understands.
"""

from __future__ import annotations

import re
from typing import Iterator

from lxml import etree

from ..models import Document, Format, ReadError
from . import d1law, egov, gyosei, text
from .builder import DocumentBuilder, TooManyLines
from .encoding import DecodeError, decode
from .html import PageRefused
from .inputs import Input, Limits, iter_inputs

__all__ = ["Limits", "read_document", "read_paths", "detect_format"]

_READERS = {"egov": egov.read, "gyosei": gyosei.read, "d1law": d1law.read, "text": text.read}
_LAW_ROOT = re.compile(r"<Law[\s>]")
_HTML = re.compile(r"<(?:!doctype\s+html|html|body|div|p)[\s>]", re.IGNORECASE)


class UnknownFormat(ValueError):
    pass


def detect_format(content: str) -> Format:
    head = content[:20000]
    if _LAW_ROOT.search(head) and not _HTML.search(head[:2000]):
        return "egov"
    if gyosei.looks_like(content):
        return "gyosei"
    if d1law.looks_like(content):
        return "d1law"
    if _HTML.search(head):
        raise UnknownFormat("an HTML page in neither the ぎょうせい (div.eline) nor the 第一法規 "
                            "(div.danraku-normal) reiki layout")
    if head.lstrip().startswith("<"):
        return "egov"  # XML of some kind: the e-Gov reader says what is wrong with it
    return "text"


def read_document(source: str, data: bytes, limits: Limits = Limits()) -> Document | ReadError:
    """Read one input into a Document, or say in a sentence why it cannot be read."""
    try:
        content = decode(data)
        fmt = detect_format(content)
        builder = DocumentBuilder(source, fmt, data, max_lines=limits.max_lines)
        _READERS[fmt](builder, content)
        doc = builder.build()
    except DecodeError as exc:
        return ReadError(source, f"cannot be decoded: {exc}")
    except etree.XMLSyntaxError as exc:
        return ReadError(source, f"malformed XML (truncated or not XML): {exc}")
    except (UnknownFormat, egov.NotALaw, egov.Refused, PageRefused, gyosei.NotGyosei, d1law.NotD1law,
            TooManyLines) as exc:
        return ReadError(source, str(exc))
    except RecursionError:
        return ReadError(source, "structure nested too deeply to read")
    except Exception as exc:  # a batch must go on past any one bad file
        return ReadError(source, f"could not be parsed ({type(exc).__name__}: {exc})")
    if not doc.provisions:
        return ReadError(source, f"read as {fmt}, but no 条・項 were found in it")
    longest = max(doc.provisions, key=lambda p: len(p.text))
    if len(longest.text) > limits.max_provision_chars:
        return ReadError(source, f"{longest.citation} runs to {len(longest.text):,} characters, over the "
                                 f"{limits.max_provision_chars:,}-character limit for one provision; not read")
    return doc


def read_paths(paths: list, limits: Limits = Limits()) -> Iterator[Document | ReadError]:
    """Every document under ``paths`` (files, folders, zips), or the reason it could not be read."""
    for got in iter_inputs(paths, limits):
        if isinstance(got, Input):
            yield read_document(got.source, got.data, limits)
        else:
            yield got
