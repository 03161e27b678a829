//go:build unix

package source

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) used by this process so
// far, so the benchmark can report throughput per CPU second, which other
// load on the machine does not distort as much as wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
