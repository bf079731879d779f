"""Re-importing a dump into an article editors may have worked on: a three-way
merge of what the dump carries, and nothing else (docs/import.md).

Three versions meet: the **base** (what the last import wrote, kept in
``LegacyImport``), the **dump** as it reads now, and the article as it is
**now**. A dump carries its title, date, category and body blocks (each
paragraph, the numbered list, each photo caption), plus a photo per caption
and the feature image only when the run is given photos. For each of those:

- the dump did not change it since the base: the article keeps what it has
  (an editor's edit included);
- the dump changed it and the article still has the base's: the dump's is
  written;
- both changed it: the editor's stays, and the run says so (a note).

Anything else (tags, excerpt, SEO fields, alt text, a photo an editor chose
for a caption when the run has none, blocks an editor inserted) is never
touched. A dump block gone from the dump is removed unless an editor edited
it; a new one is placed after the dump block before it.

Pure functions on plain data; ``articles.importers.run`` reads and writes.
"""

import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any

_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class DumpBlock:
    """A block the dump carries: a paragraph's HTML or a caption; ``image``
    counts only when ``photo`` (the run was given that caption's photo)."""

    type: str  # "paragraph" or "image"
    text: str
    image: int | None = None
    photo: bool = False


@dataclass(frozen=True)
class DumpContent:
    title: str
    published_at: datetime
    category: int
    blocks: tuple[DumpBlock, ...]
    feature_image: int | None = None
    has_feature_image: bool = False


@dataclass(frozen=True)
class Current:
    """The article now: its fields and its body as raw stream data."""

    title: str
    published_at: datetime | None
    category: int
    feature_image: int | None
    body: list[dict]


@dataclass
class Merged:
    title: str
    published_at: datetime | None
    category: int
    feature_image: int | None
    body: list[dict]
    base: dict
    changed: bool = False
    notes: list[str] = field(default_factory=list)


def base_of(dump: DumpContent, *, block_ids: list[str | None]) -> dict:
    """The record of ``dump`` written into blocks ``block_ids`` (in order)."""
    base = {
        "title": dump.title,
        "published_at": _time(dump.published_at),
        "category": dump.category,
        "blocks": [
            _entry(block, block_id)
            for block, block_id in zip(dump.blocks, block_ids, strict=True)
        ],
    }
    if dump.has_feature_image:
        base["feature_image"] = dump.feature_image
    return base


def adopt(dump: DumpContent, *, current: Current) -> tuple[dict, list[str]]:
    """A base for an article imported before records were kept: the dump as
    it is now, its blocks matched to the article's equal ones. What differs
    is taken as the editors' (kept, noted), since nothing tells who wrote it."""
    body_keys = [_body_key(block) for block in current.body]
    dump_keys = [_key(block.type, block.text) for block in dump.blocks]
    ids: list[str | None] = [None] * len(dump.blocks)
    matcher = SequenceMatcher(None, body_keys, dump_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                ids[j] = current.body[i]["id"]
    base = base_of(dump, block_ids=ids)
    if dump.has_feature_image:
        base["feature_image"] = current.feature_image
    for entry, block_id in zip(base["blocks"], ids, strict=True):
        if block_id is not None and entry["type"] == "image":
            entry["image"] = _by_id(current.body)[block_id]["value"].get("image")
    notes = []
    unmatched = ids.count(None)
    if unmatched:
        notes.append(
            f"first re-import since records are kept: {unmatched} of the dump's "
            "blocks differ from the article and were left as the article has them"
        )
    return base, notes


def merge(*, base: dict, dump: DumpContent, current: Current) -> Merged:
    """``current`` with what the dump changed since ``base`` (module doc)."""
    notes: list[str] = []
    merged = Merged(
        title=_field(
            "title", base["title"], dump.title, current.title, notes, same=_eq_text
        ),
        published_at=_field(
            "date",
            base["published_at"],
            _time(dump.published_at),
            _time(current.published_at),
            notes,
        ),
        category=_field(
            "category", base["category"], dump.category, current.category, notes
        ),
        feature_image=current.feature_image,
        body=[dict(block) for block in current.body],
        base={},
        notes=notes,
    )
    if merged.published_at != _time(current.published_at):
        merged.published_at = dump.published_at
    else:
        merged.published_at = current.published_at
    if dump.has_feature_image:
        merged.feature_image = _field(
            "feature image",
            base.get("feature_image"),
            dump.feature_image,
            current.feature_image,
            notes,
        )
    ids = _merge_body(base["blocks"], list(dump.blocks), merged.body, notes)
    merged.base = base_of(dump, block_ids=ids)
    carried = _carried_images(base, ids)
    for entry, old in zip(merged.base["blocks"], carried, strict=True):
        if entry["type"] == "image" and "image" not in entry and old is not _NONE:
            entry["image"] = old
    if not dump.has_feature_image and "feature_image" in base:
        merged.base["feature_image"] = base["feature_image"]
    merged.changed = (
        merged.title != current.title
        or _time(merged.published_at) != _time(current.published_at)
        or merged.category != current.category
        or merged.feature_image != current.feature_image
        or merged.body != current.body
    )
    return merged


# --- fields ---------------------------------------------------------------------


def _field(name, base, new, now, notes, *, same=None):
    """Three-way: the dump's value if it changed and the article did not."""
    same = same or (lambda a, b: a == b)
    if same(new, base):
        return now
    if same(now, base):
        return new
    if not same(now, new):
        notes.append(f"{name} changed in the dump and in the admin: the admin's kept")
    return now


def _eq_text(a, b) -> bool:
    return _norm(a or "") == _norm(b or "")


def _time(value: datetime | None) -> str | None:
    """An instant as compared and recorded: ISO 8601 in UTC."""
    return value.astimezone(UTC).isoformat() if value else None


# --- the body -------------------------------------------------------------------

_NONE = object()


def _merge_body(
    base_blocks: list[dict], dump_blocks: list[DumpBlock], body: list[dict], notes
) -> list[str | None]:
    """Change ``body`` in place; return the body block id of each dump block."""
    by_id = _by_id(body)
    matcher = SequenceMatcher(
        None,
        [_key(entry["type"], entry["text"]) for entry in base_blocks],
        [_key(block.type, block.text) for block in dump_blocks],
        autojunk=False,
    )
    placed: list[str | None] = [None] * len(dump_blocks)
    new: list[int] = []
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1)
        for i, j in zip(range(i1, i1 + paired), range(j1, j1 + paired), strict=True):
            placed[j] = _update(base_blocks[i], dump_blocks[j], by_id, notes)
        for i in range(i1 + paired, i2):
            _remove(base_blocks[i], by_id, body, notes)
        new.extend(range(j1 + paired, j2))
    for j in new:
        block = _new_block(dump_blocks[j])
        body.insert(_insert_at(j, placed, body), block)
        by_id[block["id"]] = block
        placed[j] = block["id"]
    return placed


def _update(entry: dict, block: DumpBlock, by_id: dict, notes) -> str | None:
    """Apply the dump's change to one block it had; the block's id."""
    now = by_id.get(entry["id"]) if entry["id"] else None
    text_changed = not _eq_text(entry["text"], block.text)
    image_changed = (
        block.type == "image" and block.photo and block.image != entry.get("image")
    )
    if now is None or now["type"] != entry["type"]:
        if text_changed or image_changed:
            notes.append(
                f"{_what(block)} changed in the dump but was removed in the "
                "admin: not restored"
            )
        return entry["id"]
    if text_changed:
        if _eq_text(_text_of(now), entry["text"]):
            _set_text(now, block.text)
        else:
            notes.append(
                f"{_what(block)} changed in the dump and in the admin: the admin's kept"
            )
    if image_changed:
        if now["value"].get("image") == entry.get("image"):
            now["value"] = {**now["value"], "image": block.image}
        else:
            notes.append(
                f"photo of {_what(block)} changed in the dump and in the admin: "
                "the admin's kept"
            )
    return entry["id"]


def _remove(entry: dict, by_id: dict, body: list[dict], notes) -> None:
    now = by_id.get(entry["id"]) if entry["id"] else None
    if now is None:
        return
    unchanged = now["type"] == entry["type"] and _eq_text(_text_of(now), entry["text"])
    if unchanged and entry["type"] == "image":
        # A photo an editor put in a caption the dump had without one is theirs.
        unchanged = now["value"].get("image") == entry.get("image")
    if unchanged:
        body.remove(now)
        del by_id[entry["id"]]
    else:
        notes.append(
            f"a {entry['type']} the dump no longer has was edited in the admin: kept"
        )


def _insert_at(j: int, placed: list[str | None], body: list[dict]) -> int:
    """After the nearest earlier dump block still in the body; else before
    the nearest later one; else at the end."""
    index = {block["id"]: i for i, block in enumerate(body)}
    for k in range(j - 1, -1, -1):
        if placed[k] in index:
            return index[placed[k]] + 1
    for k in range(j + 1, len(placed)):
        if placed[k] in index:
            return index[placed[k]]
    return len(body)


def _new_block(block: DumpBlock) -> dict:
    if block.type == "paragraph":
        value: Any = block.text
    else:
        value = {
            "image": block.image if block.photo else None,
            "caption": block.text,
            "alt": "",
        }
    return {"type": block.type, "value": value, "id": str(uuid.uuid4())}


def _entry(block: DumpBlock, block_id: str | None) -> dict:
    entry = {"id": block_id, "type": block.type, "text": block.text}
    if block.type == "image" and block.photo:
        entry["image"] = block.image
    return entry


def _carried_images(base: dict, ids: list[str | None]) -> list:
    """For each dump block, the photo the base last recorded for the same
    body block (kept in the new base when this run gives no photo)."""
    recorded = {
        entry["id"]: entry["image"]
        for entry in base["blocks"]
        if entry["id"] and "image" in entry
    }
    return [recorded.get(block_id, _NONE) for block_id in ids]


def _text_of(block: dict) -> str:
    if block["type"] == "paragraph":
        return block["value"] if isinstance(block["value"], str) else ""
    if block["type"] == "image" and isinstance(block["value"], dict):
        return block["value"].get("caption") or ""
    return ""


def _set_text(block: dict, text: str) -> None:
    if block["type"] == "paragraph":
        block["value"] = text
    else:
        block["value"] = {**block["value"], "caption": text}


def _what(block: DumpBlock) -> str:
    words = _norm(
        block.text
        if block.type == "image"
        else html.unescape(re.sub(r"<[^>]+>", " ", block.text))
    ).split()
    start = " ".join(words[:6])
    kind = "caption" if block.type == "image" else "paragraph"
    return f'{kind} "{start}…"'


def _key(kind: str, text: str) -> tuple[str, str]:
    return kind, _norm(text)


def _body_key(block: dict) -> tuple[str, str]:
    if block["type"] in ("paragraph", "image"):
        return _key(block["type"], _text_of(block))
    return block["type"], f"\0{block['id']}"  # matches no dump block


def _by_id(body: list[dict]) -> dict[str, dict]:
    return {block["id"]: block for block in body}


def _norm(text: str) -> str:
    """Text as compared: the admin's editor adds ``data-block-key`` to each
    paragraph and may write entities and spaces differently."""
    return _SPACE.sub(" ", html.unescape(_BLOCK_KEY.sub("", text))).strip()
