package ingest

import (
	"errors"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// pieceRows is the most rows of a file one piece holds (valid, rejected
// or marking a skyddad person); filesAhead the number of files, per
// worker, read ahead of the one being staged. The reading so holds at
// most filesAhead × workers + 1 pieces waiting to be staged (one per
// file) and one being filled per worker, whatever the files' sizes:
// national files are some 1 600 rows, one piece each. (Variables so that
// tests can make them small.)
var (
	pieceRows  = 8 * 1024
	filesAhead = 4
)

// piece is a run of consecutive rows of one file as a worker read them:
// the valid rows as Arrow (not yet checked against the skyddade marked by
// earlier files), the rejects, and the skyddade the rows mark. The run
// stages the pieces in file order (run.stage).
type piece struct {
	rows arrow.Record // valid rows, nil if none
	// blocks holds, for a person kind, each row's blockmark, so that the
	// run can leave out a row of a person marked skyddad before it.
	blocks  []personnummer.Mark
	marks   []mark
	rejects arrow.Record // rows rejected, nil if none
}

// mark is a row marking its person skyddad; at is the number of the
// piece's valid rows before it.
type mark struct {
	at int
	id identity
}

func (p piece) release() {
	if p.rows != nil {
		p.rows.Release()
	}
	if p.rejects != nil {
		p.rejects.Release()
	}
}

// job is one file to read. Its worker sends the pieces on pieces and
// closes it; res (Read, Rejected and the rows excluded by a skyddad mark
// of their own, with the header facts), opened (the file's header was
// read) and err are then set.
type job struct {
	file   File
	pieces chan piece
	res    Result
	opened bool
	err    error
}

// reading reads files on several goroutines: a feeder hands the files in
// order both to the workers and, through next, to the run, at most
// filesAhead × workers ahead of the run; each worker reads one file at a
// time. A worker blocks when its file's pieces are not taken, so memory
// stays bounded whatever the files' sizes. There is no deadlock: the
// file the run waits on was handed to a worker before any later one.
type reading struct {
	next chan *job
	quit chan struct{}
	wg   sync.WaitGroup
}

func startReading(files []File, opt Options) *reading {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(files)))
	rd := &reading{next: make(chan *job, filesAhead*workers), quit: make(chan struct{})}
	work := make(chan *job)
	ids := newIdentities(opt.Pseudo)
	rd.wg.Add(1)
	go func() {
		defer rd.wg.Done()
		defer close(work)
		for _, f := range files {
			j := &job{file: f, pieces: make(chan piece, 1)}
			select {
			case rd.next <- j:
			case <-rd.quit:
				return
			}
			select {
			case work <- j:
			case <-rd.quit:
				return
			}
		}
	}()
	for range workers {
		rd.wg.Add(1)
		go func() {
			defer rd.wg.Done()
			w := newWorker(opt, ids)
			for j := range work {
				w.job(j, rd.quit)
			}
		}()
	}
	return rd
}

// stop ends the reading (the run has all it wants, or gives up) and
// waits for the goroutines.
func (rd *reading) stop() {
	close(rd.quit)
	rd.wg.Wait()
	for {
		select {
		case j := <-rd.next:
			j.drain()
		default:
			return
		}
	}
}

// drain releases the pieces sent and not taken, without waiting.
func (j *job) drain() {
	for {
		select {
		case p, ok := <-j.pieces:
			if !ok {
				return
			}
			p.release()
		default:
			return
		}
	}
}

// errStopped ends a worker's file when the run is gone.
var errStopped = errors.New("ingest: reading stopped")

// worker reads files into pieces. Its builders are reused from piece to
// piece.
type worker struct {
	opt     Options
	ids     *identities
	rows    map[string]*array.RecordBuilder
	rejects *array.RecordBuilder
}

func newWorker(opt Options, ids *identities) *worker {
	return &worker{opt: opt, ids: ids, rows: map[string]*array.RecordBuilder{}, rejects: array.NewRecordBuilder(memory.DefaultAllocator, RejectSchema())}
}

// job reads j's file, sends its pieces and closes j.pieces.
func (w *worker) job(j *job, quit <-chan struct{}) {
	defer close(j.pieces)
	emit := func(p piece) bool {
		select {
		case j.pieces <- p:
			return true
		case <-quit:
			p.release()
			return false
		}
	}
	fh, err := os.Open(j.file.Abs)
	if err != nil {
		j.res, j.err = Result{File: j.file}, err
		return
	}
	defer fh.Close()
	j.res, j.opened, j.err = w.read(j.file, fh, emit)
}

// read reads one file's rows from src, handing them to emit in pieces of
// at most pieceRows valid rows; emit returns false when the run is gone.
// The Result counts Read, Rejected and the rows excluded by their own
// skyddad mark; opened is whether the header was read.
func (w *worker) read(f File, src io.Reader, emit func(piece) bool) (res Result, opened bool, err error) {
	res = Result{File: f}
	kind := f.Kind
	prof := w.opt.Profiles[f.Kommun]
	opt := prof.Options(kind.Name)
	// A cell failing a profile rule comes back in CellErrors, so that a
	// row marking its person skyddad excludes the person even then.
	opt.CellErrors = true
	rd, err := source.Open(src, f.Abs, kind.Names(), kind.Required(), opt)
	if err != nil {
		return res, false, err
	}
	res.Encoding = rd.Encoding()
	res.Delimiter = delimiterName(rd.Delimiter())
	for _, h := range rd.Ignored() {
		res.Ignored = append(res.Ignored, contract.Shown(h))
	}
	present := map[string]bool{}
	for _, c := range rd.Header() {
		present[c] = true
	}
	for _, c := range kind.Columns {
		if !present[c.Name] {
			res.Missing = append(res.Missing, c.Name)
		}
	}
	b := w.rows[kind.Name]
	if b == nil {
		b = array.NewRecordBuilder(memory.DefaultAllocator, Schema(kind))
		w.rows[kind.Name] = b
	}
	v := newValidator(kind, f)
	var (
		p        piece
		n, nrej  int // valid and rejected rows in p
		stopped  bool
		rejectAt = func(line int, rule, field, value string) {
			w.reject(f, line, rule, field, value)
			nrej++
		}
	)
	// cut ends the piece and emits it.
	cut := func() {
		if n > 0 {
			p.rows = newRecord(b, n)
		}
		if nrej > 0 {
			p.rejects = w.rejects.NewRecord()
		}
		if n > 0 || nrej > 0 || len(p.marks) > 0 {
			stopped = !emit(p)
		}
		p, n, nrej = piece{}, 0, 0
	}
	defer func() {
		cut()
		if stopped && err == nil {
			err = errStopped
		}
	}()
	for {
		if n+nrej+len(p.marks) >= pieceRows {
			if cut(); stopped {
				return res, true, errStopped
			}
		}
		rec, err := rd.Next()
		if err == io.EOF {
			return res, true, nil
		}
		if source.IsFileError(err) {
			// The file cannot be read on (a read error): the run stops.
			// Next would return the same error forever.
			return res, true, err
		}
		res.Read++
		if err != nil {
			var ee *source.Error
			if !errors.As(err, &ee) {
				return res, true, err
			}
			res.Rejected++
			rejectAt(ee.Line, ee.Rule, ee.Field, rejectValue(kind, ee.Field, ee.Value))
			continue
		}
		row, prob := v.row(rec.Values)
		if errs := rd.CellErrors(); len(errs) > 0 {
			e := errs[0]
			prob = &contract.Problem{Rule: e.Rule, Field: e.Field, Value: rejectValue(kind, e.Field, e.Value)}
		}
		if prob != nil {
			if num, ok := v.SkyddadNumber(rec.Values); ok {
				// A row marking its person skyddad excludes the person
				// even if another of its cells breaks a rule: the mark
				// must never be lost to a reject.
				p.marks = append(p.marks, mark{at: n, id: w.ids.get(num)})
				res.Excluded++
				continue
			}
			res.Rejected++
			rejectAt(rec.Line, prob.Rule, prob.Field, prob.Value)
			continue
		}
		if v.pnr >= 0 {
			id := w.ids.get(row.Number)
			if row.Skyddad {
				p.marks = append(p.marks, mark{at: n, id: id})
				res.Excluded++
				continue
			}
			row.id = id
			p.blocks = append(p.blocks, id.block)
		}
		v.append(b, f, rec.Line, row)
		n++
	}
}

// newRecord returns the n rows of b as a record and reserves b's room for
// as many again, so that the builders of the next piece (or file, most
// alike in size) do not grow from nothing.
func newRecord(b *array.RecordBuilder, n int) arrow.Record {
	data := make([]int, len(b.Fields()))
	for i, fb := range b.Fields() {
		if sb, ok := fb.(*array.StringBuilder); ok {
			data[i] = sb.DataLen()
		}
	}
	rec := b.NewRecord()
	b.Reserve(n)
	for i, fb := range b.Fields() {
		if sb, ok := fb.(*array.StringBuilder); ok && data[i] > 0 {
			sb.ReserveData(data[i])
		}
	}
	return rec
}

func (w *worker) reject(f File, line int, rule, field, value string) {
	b := w.rejects
	appendString(b.Field(0), f.ID, false)
	appendString(b.Field(1), f.Path, false)
	b.Field(2).(*array.Int32Builder).Append(int32(line))
	appendString(b.Field(3), rule, false)
	appendString(b.Field(4), field, false)
	appendString(b.Field(5), value, false)
}

// identity is what a row's personnummer stands for in the raw tables: its
// pseudonym, blockmark, birth date and sex. It holds no pointers, so that
// the garbage collector never scans the identity cache (about a million
// entries nationally) nor the blockmarks of the pieces in flight.
type identity struct {
	pseudo, block personnummer.Mark
	birth         arrow.Date32
	male          bool
}

// identities caches each person's identity (pseudonym, blockmark) for
// the workers: one HMAC per person rather than per row. It is sharded so
// that workers seldom wait on each other; being a cache of a function of
// the number, what it holds never changes a result.
type identities struct {
	pseudo *personnummer.Pseudonymizer
	shards [identityShards]struct {
		sync.Mutex
		m map[uint64]identity // personnummer (Number.Key) → identity; memory only
		_ [64]byte            // apart from the next shard's cache line
	}
}

// maxCache bounds the identity cache (about 150 bytes an entry).
const (
	maxCache       = 4 << 20
	identityShards = 64
)

func newIdentities(p *personnummer.Pseudonymizer) *identities {
	c := &identities{pseudo: p}
	for i := range c.shards {
		c.shards[i].m = map[uint64]identity{}
	}
	return c
}

func (c *identities) get(n personnummer.Number) identity {
	key := n.Key()
	sh := &c.shards[(key*0x9e3779b97f4a7c15)>>58] // the top 6 bits: one of 64
	sh.Lock()
	id, ok := sh.m[key]
	sh.Unlock()
	if ok {
		return id
	}
	pseudo, block := c.pseudo.Marks(n)
	id = identity{pseudo: pseudo, block: block, birth: arrow.Date32FromTime(n.Birth), male: n.Male}
	sh.Lock()
	if len(sh.m) >= maxCache/identityShards {
		sh.m = map[uint64]identity{}
	}
	sh.m[key] = id
	sh.Unlock()
	return id
}
