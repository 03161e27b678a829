package warehouse

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// The WAL of DuckDB 1.1 (version 2): an unframed version entry, then
// entries framed as size (uint64), checksum (uint64) and payload, little
// endian. A commit is its entries followed by a flush entry, and DuckDB
// acknowledges the commit only once the flush entry is written.
var (
	walVersion2 = []byte{0x64, 0x00, 0x62, 0x65, 0x00, 0x02, 0xff, 0xff} // wal_type WAL_VERSION, version 2
	walFlush    = []byte{0x64, 0x00, 0x64, 0xff, 0xff}                   // wal_type WAL_FLUSH
)

// trimWAL cuts the WAL at path after its last complete commit and returns
// the bytes removed (0: it ended there, or there is no WAL). DuckDB 1.1
// replays a WAL up to that point but leaves the entries of a commit cut
// short by a kill in the file, and appends its next writes after them (a
// commit, or a checkpoint's marker and flush entry); the next replay then
// joins the unfinished entries to those writes. DuckDB 1.2 truncates the
// same way (duckdb/duckdb#14785).
//
// Only a torn end is cut: an entry whose frame runs past the end of the
// file, or the last entry with a wrong checksum. A wrong checksum with data
// after it is damage, not a kill; it is left for DuckDB to refuse (see
// Open). A WAL of another version is left alone.
func trimWAL(path string) (int64, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	keep, n, err := committedPrefix(f)
	f.Close()
	if err != nil || keep == n {
		return 0, err
	}
	if err := os.Truncate(path, keep); err != nil {
		return 0, fmt.Errorf("cutting the unfinished commit off %s: %w", path, err)
	}
	return n - keep, nil
}

// committedPrefix reads a WAL and returns the length to keep and its size.
func committedPrefix(f *os.File) (keep, n int64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	n = fi.Size()
	r := bufio.NewReaderSize(f, 1<<20)
	head := make([]byte, len(walVersion2))
	got, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return 0, 0, err
	}
	if got < len(head) {
		if bytes.HasPrefix(walVersion2, head[:got]) {
			return 0, n, nil // a torn version entry: nothing was committed
		}
		return n, n, nil
	}
	if !bytes.Equal(head, walVersion2) {
		return n, n, nil // another WAL version: left to DuckDB
	}
	keep = int64(len(walVersion2)) // end of the last complete commit
	pos := keep
	var frame [16]byte
	var payload []byte
	for pos < n {
		if n-pos < 16 {
			break // torn frame header
		}
		if _, err := io.ReadFull(r, frame[:]); err != nil {
			return 0, 0, err
		}
		size := binary.LittleEndian.Uint64(frame[:])
		if size > uint64(n-pos-16) {
			break // torn payload
		}
		if uint64(cap(payload)) < size {
			payload = make([]byte, size)
		}
		payload = payload[:size]
		if _, err := io.ReadFull(r, payload); err != nil {
			return 0, 0, err
		}
		end := pos + 16 + int64(size)
		if walChecksum(payload) != binary.LittleEndian.Uint64(frame[8:]) {
			if end < n {
				return n, n, nil // damaged, not torn: DuckDB refuses it
			}
			break
		}
		if bytes.Equal(payload, walFlush) {
			keep = end
		}
		pos = end
	}
	return keep, n, nil
}

// walChecksum is DuckDB 1.1's Checksum(buffer, size): the 8-byte words
// multiplied and xored, the remaining bytes by its HashBytes.
func walChecksum(p []byte) uint64 {
	result := uint64(5381)
	i := 0
	for ; i+8 <= len(p); i += 8 {
		result ^= binary.LittleEndian.Uint64(p[i:]) * 0xbf58476d1ce4e5b9
	}
	if i < len(p) {
		result ^= hashBytes(p[i:])
	}
	return result
}

// hashBytes is DuckDB's HashBytes (robin-hood hashing's) for fewer than 8
// bytes, the only use walChecksum makes of it.
func hashBytes(p []byte) uint64 {
	const (
		m    = 0xc6a4a7935bd1e995
		seed = 0xe17a1465
		r    = 47
	)
	h := uint64(seed) ^ (uint64(len(p)) * m)
	var tail uint64
	for i := len(p) - 1; i >= 0; i-- {
		tail = tail<<8 | uint64(p[i])
	}
	if len(p) > 0 {
		h ^= tail
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}
