"""A zip of members compressed beforehand, written byte for byte as zipfile writes the same members.

zipfile compresses every member it writes; it cannot take a member that is compressed already. The
offline zip changes by a page or two between builds, so archive.py keeps each member's compressed
bytes and gives them back here: only changed files are compressed again. The layout is zipfile's
(`writestr` of a ZipInfo with FIXED date and 0644 permissions, deflate level LEVEL), which
tests/build/test_offline.py checks against zipfile itself. No zip64: the site is far below 4 GiB.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass

LEVEL = 6
LIMIT = (1 << 31) - 1  # below zip64's limits, for every size and offset
CENTRAL_RECORD = struct.Struct("<4s4B4HL2L5H2L")  # the central directory's entry of one member
END_RECORD = struct.Struct("<4s4H2LH")


class ZipTooLarge(Exception):
    """The zip would need zip64."""


@dataclass(frozen=True)
class Member:
    name: str
    crc: int
    size: int
    compress_type: int
    compressed: bytes


def compress(name, data, stored=False):
    """A Member of data: deflated as zipfile does, or stored as it is."""
    if stored:
        return Member(name, zlib.crc32(data), len(data), zipfile.ZIP_STORED, data)
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Member(
        name, zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED, compressor.compress(data) + compressor.flush()
    )


def _info(member, date_time):
    info = zipfile.ZipInfo(member.name, date_time)
    info.external_attr = 0o644 << 16
    info.compress_type = member.compress_type
    info.CRC, info.file_size, info.compress_size = member.crc, member.size, len(member.compressed)
    return info


def _name_and_flags(info):
    try:
        return info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        return info.filename.encode("utf-8"), info.flag_bits | 0x800  # the name is UTF-8


def write(out, members, date_time):
    """Write the zip of members (in order) to the binary file out. Returns, for each member, the
    offset in out of its compressed bytes."""
    entries, offsets, position = [], [], 0
    for member in members:
        info = _info(member, date_time)
        if max(position, info.file_size, info.compress_size) > LIMIT:
            raise ZipTooLarge(f"the offline zip passed {LIMIT} bytes at {member.name}: it would need zip64")
        header = info.FileHeader(zip64=False)
        out.write(header)
        out.write(member.compressed)
        entries.append((info, position))
        offsets.append(position + len(header))
        position += len(header) + len(member.compressed)
    start = position
    for info, header_offset in entries:
        name, flags = _name_and_flags(info)
        when = info.date_time
        dos_date = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
        dos_time = when[3] << 11 | when[4] << 5 | (when[5] // 2)
        out.write(
            CENTRAL_RECORD.pack(
                b"PK\001\002",
                info.create_version,
                info.create_system,
                info.extract_version,
                info.reserved,
                flags,
                info.compress_type,
                dos_time,
                dos_date,
                info.CRC,
                info.compress_size,
                info.file_size,
                len(name),
                0,
                0,
                0,
                info.internal_attr,
                info.external_attr,
                header_offset,
            )
        )
        out.write(name)
        position += CENTRAL_RECORD.size + len(name)
    count = len(entries)
    if count > 0xFFFF:
        raise ZipTooLarge(f"the offline zip would have {count} members: it would need zip64")
    out.write(END_RECORD.pack(b"PK\005\006", 0, 0, count, count, position - start, start, 0))
    return offsets
