package warehouse

import (
	"context"
	"strconv"

	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
)

// Digests returns the input digests remembered by earlier runs
// (input_digest), for ingest.NewDigests.
func (w *Warehouse) Digests(ctx context.Context) ([]ingest.Digest, error) {
	rows, err := w.Query(ctx, `select path, size, mod_ns, change_ns, dev, inode, sha256, seen_ns from input_digest`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ingest.Digest
	for rows.Next() {
		var d ingest.Digest
		if err := rows.Scan(&d.Path, &d.Size, &d.ModNS, &d.ChangeNS, &d.Dev, &d.Inode, &d.SHA256, &d.SeenNS); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RememberDigests records digests computed by a scan, replacing what was
// remembered for the same files (device and inode). It belongs in the cache transaction: a
// digest only saves reading a file again, it never decides what a run uses.
func (w *Warehouse) RememberDigests(ctx context.Context, ds []ingest.Digest) error {
	if len(ds) == 0 {
		return nil
	}
	if err := w.Exec(ctx, `create or replace temp table fresh_digest as select * from input_digest limit 0`); err != nil {
		return err
	}
	defer w.Exec(ctx, `drop table if exists fresh_digest`)
	rows := make([][]any, len(ds))
	for i, d := range ds {
		// dev and inode are unsigned 64-bit: written as literals, not int64
		rows[i] = []any{d.Path, d.Size, d.ModNS, d.ChangeNS, literal(strconv.FormatUint(d.Dev, 10)), literal(strconv.FormatUint(d.Inode, 10)), d.SHA256, d.SeenNS}
	}
	if err := w.insertRows(ctx, "insert into fresh_digest values", nil, rows); err != nil {
		return err
	}
	if err := w.Exec(ctx, `delete from input_digest where (dev, inode) in (select (dev, inode) from fresh_digest)`); err != nil {
		return err
	}
	return w.Exec(ctx, `insert into input_digest select * from fresh_digest`)
}
