package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stage is one `-v` log line of kaa: "kaa: <stage> <detail> (<n> ms)",
// with the peak RSS sampled while it ran.
type stage struct {
	Name    string
	Detail  string
	MS      int64
	PeakRSS int64 // bytes; 0 when /proc is not there to sample
}

// result is one kaa subprocess.
type result struct {
	Args    []string
	Wall    time.Duration
	CPU     time.Duration // user + system of the child (rusage)
	MaxRSS  int64         // bytes, rusage ru_maxrss of the child
	Stages  []stage
	Stderr  string
	ExitErr error
}

func (r result) stage(name string) (stage, bool) {
	for _, s := range r.Stages {
		if s.Name == name {
			return s, true
		}
	}
	return stage{}, false
}

var stageLine = regexp.MustCompile(`^kaa: (\S+)\s+(.*) \((\d+) ms\)$`)

// logSeq numbers the children's logs under BENCH_LOGS.
var logSeq int

// kaa runs the binary with args, parsing its -v stage lines as they arrive
// and sampling its resident set from /proc every 100 ms, so each stage gets
// the peak RSS seen while it ran.
func kaa(bin string, args ...string) result {
	r := result{Args: args}
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	pipe, err := cmd.StderrPipe()
	if err != nil {
		r.ExitErr = err
		return r
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.ExitErr = err
		return r
	}
	var (
		mu      sync.Mutex
		current int64 // peak RSS since the last stage line
	)
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if rss := procRSS(cmd.Process.Pid); rss > 0 {
				mu.Lock()
				current = max(current, rss)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	var stderr bytes.Buffer
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		stderr.WriteString(line + "\n")
		if m := stageLine.FindStringSubmatch(line); m != nil {
			ms, _ := strconv.ParseInt(m[3], 10, 64)
			mu.Lock()
			peak := current
			current = 0
			mu.Unlock()
			if rss := procRSS(cmd.Process.Pid); rss > peak {
				peak = rss
			}
			r.Stages = append(r.Stages, stage{Name: m[1], Detail: m[2], MS: ms, PeakRSS: peak})
		}
	}
	r.ExitErr = cmd.Wait()
	r.Wall = time.Since(start)
	close(stop)
	<-sampled
	r.Stderr = stderr.String()
	if dir := os.Getenv("BENCH_LOGS"); dir != "" {
		// each child's -v log (per-model build times), numbered in run order
		logSeq++
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s.log", logSeq, args[0])), stderr.Bytes(), 0o644)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		r.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		r.MaxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	if r.ExitErr != nil {
		r.ExitErr = fmt.Errorf("kaa %s: %w\n%s", strings.Join(args, " "), r.ExitErr, r.Stderr)
	}
	return r
}

// procRSS is a process's resident set in bytes (VmRSS), 0 if unknown.
func procRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// selfCPU is this process's user + system CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadavg is the first three fields of /proc/loadavg, "" if unknown.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// copyFile copies a database file (and its WAL, if any) for a second run
// from the same state.
func copyFile(src, dst string) error {
	for _, suffix := range []string{"", ".wal"} {
		in, err := os.Open(src + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.Create(dst + suffix)
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if e := out.Close(); err == nil {
			err = e
		}
		if err != nil {
			return err
		}
	}
	return nil
}
