"""Files on their way in and out: uploads read in chunks (never whole into memory), and stored
files written whole or not at all.
"""

import hashlib
import io
import os
import shutil
from pathlib import Path

from django.core.files.base import ContentFile, File

# A file being written is named `.<final name>.partial` beside its final place until it is whole;
# `manage.py cleanup_media` removes ones a killed process left behind.
PARTIAL_SUFFIX = ".partial"
CHUNK_SIZE = 1024 * 1024
# The mode of an upload linked into storage when FILE_UPLOAD_PERMISSIONS is None (Django's
# default is 0o644, which the storage applies itself).
LINKED_FILE_MODE = 0o644


def upload_digest(upload) -> str:
    """SHA-256 of an uploaded file, read in chunks (never whole into memory)."""
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_size(upload) -> int:
    """The size of an upload: as declared, else as its file on disk says."""
    return upload.size if getattr(upload, "size", None) is not None else os.fstat(upload.fileno()).st_size


def file_length(handle) -> int:
    """Size in bytes of a binary file, which is left at its start."""
    size = handle.seek(0, os.SEEK_END)
    handle.seek(0)
    return size


def on_disk(upload) -> bool:
    """Whether `upload` is a real file on disk (it can be mapped and copied in chunks)."""
    try:
        upload.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    return True


def write_whole(field_file, filename: str, data) -> None:
    """Store `data` (bytes, or a binary file copied in chunks) as the file of `field_file`
    (named by its field's `upload_to`), never as a half-written file under that name.

    On a local disk the bytes go to `.<name>.partial` beside the final place, are synced, and
    the file is then renamed into place (atomic on one file system): a process killed while
    writing leaves at most that partial file, which no row names and `cleanup_media` removes.
    A failure in-process removes it at once. Other storages (S3) store an object whole or not
    at all, so they are used as they are.

    An upload Django spilled to a temporary file on the same file system is hard-linked there
    rather than copied: storing a 200 MB video then costs a sync, not a second write of every
    byte, and the upload request answers that much sooner.
    """
    field, storage, instance = field_file.field, field_file.storage, field_file.instance
    name = field.generate_filename(instance, filename)
    try:
        storage.path(name)
    except NotImplementedError:
        content = ContentFile(data) if isinstance(data, (bytes, bytearray)) else File(data, name=filename)
        field_file.save(filename, content, save=False)
        return
    name = storage.get_available_name(name, max_length=field.max_length)
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    try:
        linked = _linked(data, partial)
        if not linked:
            _copy(data, partial)
        if storage.file_permissions_mode is not None:
            os.chmod(partial, storage.file_permissions_mode)
        elif linked:
            os.chmod(partial, LINKED_FILE_MODE)  # the temporary file was private to this user
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    setattr(instance, field.attname, name)


def _linked(data, partial: Path) -> bool:
    """Whether the uploaded temporary file `data` could be hard-linked as `partial` (then
    synced); False to copy it instead (bytes, another file system, one without links)."""
    temporary_path = getattr(data, "temporary_file_path", None)
    if temporary_path is None:
        return False
    try:
        os.link(temporary_path(), partial)
    except OSError:
        return False
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _copy(data, partial: Path) -> None:
    """Write `data` (bytes or a binary file) as the new file `partial`, synced to disk."""
    # Created like the storage creates files (0o666 less the umask), so the rename changes nothing else.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    with os.fdopen(fd, "wb") as handle:
        if isinstance(data, (bytes, bytearray)):
            handle.write(data)
        else:
            shutil.copyfileobj(data, handle, CHUNK_SIZE)
        handle.flush()
        os.fsync(handle.fileno())
